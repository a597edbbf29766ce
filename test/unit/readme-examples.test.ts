// README's "Testing your integration" examples run as written: each code block marked with a
// file's path is that file, byte for byte, and the file is a test `npm test` runs.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const examples = [...readme.matchAll(/<!-- (test\/[^ ]+\.test\.ts) -->\n```ts\n([\s\S]*?)```\n/g)].map((m) =>
    [m[1]!, m[2]!] as const
);

describe("README's examples", () => {
    it("has one per vendor under Testing your integration", () => {
        expect(examples.map(([file]) => path.basename(file))).toEqual([
            "amity.test.ts",
            "sonoran-cad.test.ts",
            "sonoran-cms.test.ts",
        ]);
        const section = readme.slice(
            readme.indexOf("## Testing your integration"),
            readme.indexOf("## Browsing the API docs"),
        );
        for (const [file] of examples) expect(section).toContain(`<!-- ${file} -->`);
    });

    it.each(examples)("%s is the block, byte for byte", (file, block) => {
        expect(existsSync(path.join(ROOT, file))).toBe(true);
        expect(block).toBe(readFileSync(path.join(ROOT, file), "utf8"));
    });
});
