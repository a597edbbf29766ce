import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintApi } from "../../codegen/pipeline.js";
import { SpecError } from "../../codegen/spec-error.js";
import { createContext, runStage, type Stage } from "../../codegen/stage.js";

function folderWith(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-stages-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
}

async function refusal(work: Promise<unknown>): Promise<SpecError> {
    const error = await work.then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
}

describe("the stage convention", () => {
    const warns: Stage<number, number> = {
        name: "warns",
        run(input, context) {
            context.problems.push({ file: context.displayName, rule: "w", message: "odd", severity: "warning" });
            return input + 1;
        },
    };
    const fails: Stage<number, number> = {
        name: "fails",
        run(input, context) {
            context.problems.push({ file: context.displayName, rule: "e1", message: "first", severity: "error" });
            context.problems.push({ file: context.displayName, rule: "e2", message: "second", severity: "error" });
            return input + 1;
        },
    };

    it("collects warnings and goes on", async () => {
        const context = createContext("spec.yaml");
        const out = await runStage(warns, await runStage(warns, 1, context), context);
        expect(out).toBe(3);
        expect(context.problems.map((p) => p.rule)).toEqual(["w", "w"]);
    });

    it("stops at the end of the stage that found an error, with every problem found so far", async () => {
        const context = createContext("spec.yaml");
        context.dependencies.add("/abs/spec.yaml");
        const ran: string[] = [];
        const next: Stage<number, number> = { name: "next", run: (n) => (ran.push("next"), n) };
        const error = await refusal(
            (async () => {
                const a = await runStage(warns, 1, context);
                const b = await runStage(fails, a, context);
                return runStage(next, b, context);
            })(),
        );
        expect(ran).toEqual([]);
        expect(error.problems.map((p) => p.rule)).toEqual(["w", "e1", "e2"]);
        expect(error.dependencies).toEqual(["/abs/spec.yaml"]);
    });

    it("turns a library's throw into a located problem only where the stage says so", async () => {
        const context = createContext("spec.yaml");
        const throws = (refuseThrown?: (m: string) => string): Stage<void, void> => ({
            name: "parse-ish",
            refuseThrown,
            run() {
                throw new Error("boom");
            },
        });
        const error = await refusal(runStage(throws((m) => `could not: ${m}`), undefined, context));
        expect(error.problems).toEqual([{ file: "spec.yaml", rule: "parse-ish", message: "could not: boom", severity: "error" }]);
        // Without refuseThrown a throw is a bug, not a spec problem: it propagates as it is.
        await expect(runStage(throws(), undefined, createContext("spec.yaml"))).rejects.toThrow(/^boom$/);
    });
});

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
