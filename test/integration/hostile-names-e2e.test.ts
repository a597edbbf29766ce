import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { generateApi } from "../../codegen/pipeline.js";
import { writeOutput } from "../../codegen/output/workspace.js";
import { typecheck } from "../support/typecheck.js";

/** Names Node's \p{ID_Start} accepts but TypeScript 5.9's scanner does not, and an operation called `then`. */
const document = {
    openapi: "3.1.0",
    info: { title: "names", version: "1" },
    servers: [{ url: "https://api.example.test" }],
    paths: {
        "/then": { get: { operationId: "then", responses: { "200": { description: "ok" } } } },
        "/new-letters": {
            get: {
                operationId: "\uA7D2\uA7DC",
                responses: {
                    "200": {
                        description: "ok",
                        content: {
                            "application/json": {
                                schema: {
                                    type: "object",
                                    properties: { "\uA7D2": { type: "string" }, "a\uA7DC": { type: "string" } },
                                },
                            },
                        },
                    },
                    "400": {
                        description: "bad",
                        content: {
                            "text/plain": {
                                schema: {
                                    type: "string",
                                    enum: ["\uA7D2", "\uA7DC"],
                                    "x-enum-varnames": ["\uA7D2", "x\uA7DC"],
                                },
                            },
                        },
                    },
                },
            },
        },
    },
};

describe("hostile names, end to end", () => {
    it("gives a module that compiles under strict, whose import settles, and that exports no `then`", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "joinkit-names-"));
        const spec = path.join(dir, "names.yaml");
        writeFileSync(spec, stringify(document));
        const api = await generateApi(spec);
        await writeOutput(path.join(dir, "client"), api.files);
        expect(api.model.operations.map((op) => op.name)).not.toContain("then");
        expect(api.warnings.map((w) => w.message)).toContain('operationId "then" is emitted as then_');

        expect(typecheck(dir).output).toBe("");
        const settled = await Promise.race([
            import(path.join(dir, "client/index.ts")).then((module: Record<string, unknown>) => module),
            new Promise((resolve) => setTimeout(() => resolve("never settled"), 10_000)),
        ]);
        expect(settled).not.toBe("never settled");
        expect(Object.keys(settled as object)).not.toContain("then");
        expect(typeof (settled as Record<string, unknown>).then_).toBe("function");
    }, 60_000);
});
