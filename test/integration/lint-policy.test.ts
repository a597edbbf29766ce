import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateApi } from "../../codegen/pipeline.js";
import { summariseProblems, WARNINGS_SHOWN } from "../../codegen/cli/problem-summary.js";
import { SpecError, type SpecProblem } from "../../codegen/core/spec-error.js";
import { copyWorkspace, joinkit } from "../support/cli.js";
import { ROOT } from "../support/fixtures.js";

// Valid OpenAPI that Redocly reports as errors: `nullable` in a 3.1 schema (struct), a
// response without a description (struct), a trailing slash on a server URL.
const FOREIGN = `openapi: 3.1.0
info: { title: Foreign, version: "1" }
servers: [{ url: "https://api.example.com/v1/" }]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: { type: string, nullable: true }
`;

const STRICT_CONFIG = `extends: [minimal]
apis:
  ours:
    root: ours.yaml
    extends: [recommended-strict]
`;

function folderWith(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-lint-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
}

async function problemsOf(work: Promise<unknown>): Promise<readonly SpecProblem[]> {
    try {
        await work;
    } catch (error) {
        if (error instanceof SpecError) return error.problems;
        throw error;
    }
    throw new Error("expected a SpecError");
}

describe("lint errors in documents nobody here wrote", () => {
    it("are warnings: the document generates", async () => {
        const dir = folderWith({ "foreign.yaml": FOREIGN, "redocly.yaml": STRICT_CONFIG });
        const api = await generateApi(path.join(dir, "foreign.yaml"), { cwd: dir });
        expect(api.model.operations.map((op) => op.name)).toEqual(["listThings"]);
        const struct = api.warnings.filter((w) => w.rule === "struct");
        expect(struct.map((w) => w.pointer).sort()).toEqual([
            "#/paths/~1things/get/responses/200", // no description
            "#/paths/~1things/get/responses/200/content/application~1json/schema/properties/name/nullable",
        ]);
        expect(api.warnings.every((w) => w.severity === "warning")).toBe(true);
    });

    it("stop generation for a spec the config lists under apis: (the project's own), and with strict", async () => {
        const dir = folderWith({ "ours.yaml": FOREIGN, "foreign.yaml": FOREIGN, "redocly.yaml": STRICT_CONFIG });
        const own = await problemsOf(generateApi(path.join(dir, "ours.yaml"), { cwd: dir })); // the folder is the project: its config applies
        expect(own.filter((p) => p.severity === "error").map((p) => p.rule)).toEqual(
            expect.arrayContaining(["struct", "no-server-trailing-slash", "info-license"]),
        );
        const strict = await problemsOf(generateApi(path.join(dir, "foreign.yaml"), { strict: true, cwd: dir }));
        expect(strict.filter((p) => p.severity === "error").map((p) => p.rule)).toContain("struct");
    });

    it("still refuses what makes generation impossible, once per cause with its count", async () => {
        const refs = Array.from(
            { length: 40 },
            (_, i) => `  /r${i}:\n    get:\n      responses:\n        "200": { $ref: "missing.yaml#/Ok" }\n`,
        );
        const dir = folderWith({
            "broken.yaml": `openapi: 3.0.3\ninfo: { title: B, version: "1" }\npaths:\n${refs.join("")}`,
        });
        const problems = await problemsOf(generateApi(path.join(dir, "broken.yaml"), { cwd: dir }));
        const errors = problems.filter((p) => p.severity === "error");
        expect(errors).toHaveLength(40);
        expect(new Set(errors.map((p) => p.rule))).toEqual(new Set(["no-unresolved-refs"]));
        const lines = summariseProblems(errors);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/error no-unresolved-refs: .* \(and 39 more places with the same cause\)$/);
        expect(summariseProblems(errors, true)).toHaveLength(40);
    });
});

describe("summariseProblems", () => {
    const warning = (rule: string, i: number): SpecProblem => ({
        file: "a.yaml",
        line: i,
        column: 1,
        rule,
        message: `m${i}`,
        severity: "warning",
    });

    it("counts warnings per rule and shows the first few; verbose shows all", () => {
        const warnings = [
            ...Array.from({ length: 7 }, (_, i) => warning("struct", i + 1)),
            warning("tag-description", 8),
            warning("tag-description", 9),
        ];
        const lines = summariseProblems(warnings);
        expect(lines[0]).toBe(`a.yaml: 9 warnings (struct ×7, tag-description ×2); the first ${WARNINGS_SHOWN}:`);
        expect(lines.slice(1, -1)).toEqual(
            warnings.slice(0, WARNINGS_SHOWN).map((w) => `  a.yaml:${w.line}:1 warning ${w.rule}: ${w.message}`),
        );
        expect(lines.at(-1)).toBe("  … 4 more: rerun with --verbose to list them all");
        expect(summariseProblems(warnings, true)).toHaveLength(9);
        expect(summariseProblems(warnings.slice(0, 3))).toHaveLength(3);
    });
});

describe("a foreign document dropped into specs/", () => {
    it("generates, with its warnings summarised, while the project's own specs stay strict", async () => {
        const ws = copyWorkspace();
        writeFileSync(path.join(ws, "specs", "foreign.yaml"), FOREIGN);
        const run = await joinkit(["generate"], ws);
        expect(run.stderr).toMatch(/foreign\.yaml:\d+:\d+ warning struct: /);
        expect(run.stdout).toMatch(/^foreign: 1 of 1 operation\(s\)/m);
        expect(run.code).toBe(0);

        // The same problem in one of the project's own specs stops generation.
        const amity = path.join(ws, "specs", "amity-social-cloud.yaml");
        writeFileSync(amity, FOREIGN);
        const strict = await joinkit(["generate"], ws);
        expect(strict.code).toBe(1);
        expect(strict.stderr).toMatch(/amity-social-cloud\.yaml:\d+:\d+ error struct: /);
    }, 60_000);
});

describe("this repository's specs", () => {
    it("are all the project's own: listed under apis: in redocly.yaml, so the strict rules apply", () => {
        const config = parse(readFileSync(path.join(ROOT, "redocly.yaml"), "utf8")) as {
            apis?: Record<string, { root: string }>;
        };
        const roots = Object.values(config.apis ?? {}).map((api) => path.normalize(api.root));
        const specs = readdirSync(path.join(ROOT, "specs")).map((name) => path.join("specs", name));
        expect(roots.sort()).toEqual(specs.sort());
    });
});
