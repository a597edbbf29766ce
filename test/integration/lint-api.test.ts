import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintApi } from "../../codegen/pipeline.js";
import { refusal } from "../support/refusal.js";

function folderWith(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-lint-api-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
}

const CYCLIC = `openapi: 3.1.0
info: { title: Loop, version: "1" }
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/A" }
components:
  schemas:
    A: { $ref: "#/components/schemas/B" }
    B: { $ref: "#/components/schemas/A" }
`;

describe("lintApi: the pipeline up to lint", () => {
    it("refuses a $ref loop located, before Redocly sees it", async () => {
        const dir = folderWith({ "loop.yaml": CYCLIC });
        const error = await refusal(lintApi(path.join(dir, "loop.yaml"), { cwd: dir, displayName: "loop.yaml" }));
        expect(error.problems).toHaveLength(1);
        expect(error.problems[0]).toMatchObject({ file: "loop.yaml", rule: "no-ref-cycles", severity: "error" });
        expect(error.problems[0]!.line).toBeGreaterThan(1);
        expect(error.dependencies).toEqual([path.join(dir, "loop.yaml")]);
    });

    it("locates a $ref'd file that does not parse at the line Redocly's parser stopped on", async () => {
        const spec = CYCLIC.replace(
            'A: { $ref: "#/components/schemas/B" }\n    B: { $ref: "#/components/schemas/A" }',
            'A: { $ref: "./part.yaml" }',
        );
        const dir = folderWith({ "api.yaml": spec, "part.yaml": "type: object\nproperties: [broken\n" });
        const error = await refusal(lintApi(path.join(dir, "api.yaml"), { cwd: dir, displayName: "api.yaml" }));
        const inPart = error.problems.filter((p) => p.file.endsWith("part.yaml"));
        expect(inPart.length).toBeGreaterThan(0);
        for (const problem of inPart) {
            expect(problem).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
        }
    });

    it("returns warnings and every file the $refs reach, without bundling", async () => {
        const dir = folderWith({
            "api.yaml": `openapi: 3.1.0
info: { title: Parts, version: "1" }
servers: [{ url: "https://api.example.com/v1/" }]
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "./thing.yaml" }
`,
            "thing.yaml": "type: object\nproperties:\n  id: { type: string }\n",
        });
        const linted = await lintApi(path.join(dir, "api.yaml"), { cwd: dir });
        expect(linted.dependencies).toEqual([path.join(dir, "api.yaml"), path.join(dir, "thing.yaml")].sort());
        expect(linted.problems.every((p) => p.severity === "warning")).toBe(true);
        expect(linted.spec.file).toBe(path.join(dir, "api.yaml"));
    });

    it("stops on a lint error in a spec the config lists as the project's own", async () => {
        const dir = folderWith({
            "ours.yaml": `openapi: 3.1.0
info: { title: Ours, version: "1" }
paths:
  /a:
    get:
      responses:
        "200": {}
`,
            "redocly.yaml": "apis:\n  ours:\n    root: ours.yaml\n    extends: [recommended-strict]\n",
        });
        const error = await refusal(lintApi(path.join(dir, "ours.yaml"), { cwd: dir }));
        expect(error.problems.some((p) => p.severity === "error" && p.rule === "struct")).toBe(true);
    });
});
