import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { joinkit, snapshotTree } from "../support/cli.js";
import { ROOT } from "../support/fixtures.js";

const billionLaughs = [
    "openapi: 3.1.0",
    'info: { title: bomb, version: "1" }',
    "paths: {}",
    "x-bomb:",
    '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ..."bcdefghi".split("").map((c, i) => `  ${c}: &${c} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(",")}]`),
].join("\n");

const cases: { name: string; file: string; text: string | (() => Buffer); expect: RegExp }[] = [
    {
        name: "invalid YAML",
        file: "spec.yaml",
        text: "openapi: 3.1.0\ninfo:\n  title: [unclosed\n",
        expect: /spec\.yaml:\d+:\d+ error parse: /,
    },
    {
        name: "a YAML bomb (billion laughs)",
        file: "spec.yaml",
        text: billionLaughs,
        expect: /spec\.yaml error parse: YAML aliases expand the document past 5000000 nodes/,
    },
    {
        name: "truncated JSON",
        file: "spec.json",
        text: '{"openapi": "3.1.0", "info": {',
        expect: /spec\.json:1:\d+ error parse: /,
    },
    { name: "an empty file", file: "spec.yaml", text: "  \n", expect: /spec\.yaml error parse: the file is empty/ },
    {
        name: "a non-OpenAPI document",
        file: "spec.yaml",
        text: "name: my-package\nversion: 1.0.0\n",
        expect:
            /error openapi-version: expected "openapi: 3\.0\.x", "3\.1\.x" or "3\.2\.x" \(or "swagger: 2\.0"\).*found null/,
    },
    {
        name: "a YAML list",
        file: "spec.yaml",
        text: "- a\n- b\n",
        expect: /error openapi-version: the document is not a mapping/,
    },
    {
        name: "OpenAPI 4",
        file: "spec.yaml",
        text: "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        expect: /found "4\.0\.0"/,
    },
    {
        name: "Swagger 1.2",
        file: "spec.yaml",
        text: 'swagger: "1.2"\ninfo: {title: s, version: "1"}\napis: []\n',
        expect:
            /spec\.yaml:1:1 error openapi-version: this is a Swagger 1\.2 document; joinkit reads Swagger 2\.0 and OpenAPI 3\.0-3\.2/,
    },
    {
        name: "a $ref to a missing file",
        file: "spec.yaml",
        text:
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: 'nowhere.yaml#/Ok'}\n",
        expect: /spec\.yaml:7:\d+ error no-unresolved-refs: .*\(at #\/paths\/~1x\/get\/responses\/200\)/,
    },
    {
        name: "a $ref to a missing pointer",
        file: "spec.yaml",
        text:
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
        expect: /spec\.yaml:7:\d+ error no-unresolved-refs:/,
    },
    {
        name: "a cyclic $ref chain",
        file: "spec.yaml",
        text: [
            "openapi: 3.1.0",
            "info: {title: t, version: '1'}",
            "paths: {}",
            "components:",
            "  schemas:",
            "    A: {$ref: '#/components/schemas/B'}",
            "    B: {$ref: '#/components/schemas/A'}",
        ].join("\n"),
        expect:
            /spec\.yaml:6:\d+ error no-ref-cycles: \$ref chain loops without reaching a schema: #\/components\/schemas\/A → #\/components\/schemas\/B → #\/components\/schemas\/A/,
    },
    {
        name: "a 50 MB document",
        file: "spec.yaml",
        text: () =>
            Buffer.concat([Buffer.from("openapi: 3.1.0\n"), Buffer.alloc(50 * 1024 * 1024, "# padding line\n")]),
        expect: /spec\.yaml error size: the document is 52428815 bytes; joinkit reads documents up to 33554432 bytes/,
    },
];

describe("hostile and broken input", () => {
    it.each(cases)("refuses $name with a located error, exit 1, and the output left as it was", async (c) => {
        const dir = mkdtempSync(path.join(tmpdir(), "joinkit-hostile-"));
        const spec = path.join(dir, c.file);
        writeFileSync(spec, typeof c.text === "string" ? c.text : c.text());
        // An existing, good output folder that must survive the failed run byte for byte.
        const out = path.join(dir, "out");
        cpSync(path.join(ROOT, "generated/sonoran-cad"), out, { recursive: true });
        const before = snapshotTree(out);

        const run = await joinkit(["generate", "--spec", spec, "--out", out], dir);
        expect(run.stderr).toMatch(c.expect);
        expect(run.stderr).toContain("joinkit: nothing was written.");
        expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
        expect(run.code).toBe(1);
        expect(snapshotTree(out)).toEqual(before);
    }, 90_000); // generous: a loaded box
});
