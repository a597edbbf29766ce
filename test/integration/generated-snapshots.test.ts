import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateApi } from "../../codegen/pipeline.js";
import { isSpecFile } from "../../codegen/output/workspace.js";
import { ROOT } from "../support/fixtures.js";

// Every fixture's generated output, file by file, committed beside this test: a codegen
// change shows its effect on each fixture in the diff. `npx vitest run -u` rewrites them
// after an intended change. (The repo's own specs/ have a committed snapshot already:
// generated/, compared below; `npm run generate` rewrites it.)
const FIXTURES = path.join(ROOT, "test/fixtures/specs");
// A fixture that is only the target of another's $ref is not a document of its own.
const PARTS = new Set(["kitchen-sink-parts.yaml"]);
const fixtures = readdirSync(FIXTURES)
    .filter((name) => isSpecFile(name) && !PARTS.has(name) && name !== "redocly.yaml")
    .sort();
const specs = readdirSync(path.join(ROOT, "specs"))
    .filter((name) => isSpecFile(name))
    .sort();

const generate = (file: string) => generateApi(file, { displayName: path.relative(ROOT, file), cwd: ROOT });

describe("generated output, file by file", () => {
    it("covers every fixture and spec", () => {
        expect(fixtures.length).toBeGreaterThanOrEqual(6);
        expect(specs.length).toBeGreaterThanOrEqual(3);
    });

    it.each(fixtures)("test/fixtures/specs/%s matches its snapshot", async (name) => {
        const api = await generate(path.join(FIXTURES, name));
        const folder = name.replace(/\.(ya?ml|json)$/, "");
        expect([...api.files.keys()].sort()).toEqual([
            ".joinkit-manifest.json",
            "errors.ts",
            "index.ts",
            "operations.ts",
            "schema.ts",
        ]);
        for (const [file, text] of api.files) {
            await expect(text).toMatchFileSnapshot(`__snapshots__/generated/${folder}/${file}`);
        }
    }, 60_000);

    it.each(specs)("specs/%s matches its committed generated/ folder", async (name) => {
        const api = await generate(path.join(ROOT, "specs", name));
        const folder = path.join(ROOT, "generated", name.replace(/\.(ya?ml|json)$/, ""));
        expect(readdirSync(folder).sort()).toEqual([...api.files.keys()].sort());
        for (const [file, text] of api.files) {
            expect(text, `generated/${path.basename(folder)}/${file} is stale: run npm run generate`).toBe(
                readFileSync(path.join(folder, file), "utf8"),
            );
        }
    }, 60_000);
});
