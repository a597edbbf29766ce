import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyWorkspace, joinkit, snapshotTree } from "../support/cli.js";
import { ROOT, SONORAN_SPEC } from "../support/fixtures.js";

describe("joinkit check", () => {
    it("passes on the repo as committed", async () => {
        const run = await joinkit(["check"]);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
    }, 90_000); // a full run over every spec in specs/ (unless the check cache answers), on a loaded machine

    it("fails naming the drifted file with a diff and the fix, then passes after generate", async () => {
        const ws = copyWorkspace();
        const specFile = path.join(ws, "specs/amity-social-cloud.yaml");
        writeFileSync(
            specFile,
            readFileSync(specFile, "utf8").replace("summary: Join a community", "summary: Join one community"),
        );

        const drifted = await joinkit(["check"], ws);
        expect(drifted.code).toBe(1);
        expect(drifted.stderr).toContain(
            "generated/amity-social-cloud/operations.ts: differs from what its spec generates",
        );
        expect(drifted.stderr).toContain("+ * Join one community");
        expect(drifted.stderr).toContain("- * Join a community");
        expect(drifted.stderr).toContain("Run `npx joinkit generate`");
        expect(drifted.stderr).not.toContain("generated/sonoran-cad/");

        expect((await joinkit(["generate"], ws)).code).toBe(0);
        const clean = await joinkit(["check"], ws);
        expect(clean.stderr).toBe("");
        expect(clean.code).toBe(0);
    }, 90_000); // three full runs over every spec in specs/

    it("reports a generated file edited by hand, a missing file and manifest, and a generated folder with no spec; a user's file is not drift", async () => {
        const ws = copyWorkspace();
        const errors = path.join(ws, "generated/sonoran-cad/errors.ts");
        writeFileSync(errors, readFileSync(errors, "utf8") + "\n// hand edit\n");
        rmSync(path.join(ws, "generated/sonoran-cad/index.ts"));
        writeFileSync(path.join(ws, "generated/sonoran-cad/notes.md"), "mine");
        rmSync(path.join(ws, "generated/amity-social-cloud/.joinkit-manifest.json"));
        cpSync(path.join(ws, "generated/sonoran-cad"), path.join(ws, "generated/gone"), { recursive: true });
        const run = await joinkit(["check"], ws);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain("generated/sonoran-cad/errors.ts: differs");
        expect(run.stderr).toContain("generated/sonoran-cad/index.ts: missing");
        expect(run.stderr).toContain("generated/amity-social-cloud/.joinkit-manifest.json: missing");
        expect(run.stderr).toContain("generated/gone: not generated from any spec");
        expect(run.stderr).not.toContain("notes.md");
    });

    it("fails when a spec fails lint", async () => {
        const ws = copyWorkspace();
        const specFile = path.join(ws, "specs/sonoran-cad.yaml");
        writeFileSync(specFile, readFileSync(specFile, "utf8").replace("      operationId: joinCommunity\n", ""));
        const run = await joinkit(["check"], ws);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/specs\/sonoran-cad\.yaml:\d+:\d+ error operation-operationId:/);
    });
});

describe("joinkit generate", () => {
    it("refuses a spec that fails lint with file:line:column and rule, and leaves generated/ untouched", async () => {
        const ws = copyWorkspace();
        const specFile = path.join(ws, "specs/amity-social-cloud.yaml");
        const text = readFileSync(specFile, "utf8");
        // An example that contradicts its schema: the code must be an integer.
        writeFileSync(specFile, text.replace("            code: 400400\n", "            code: not-a-number\n"));
        const line = text.split("\n").findIndex((l) => l === "            code: 400400") + 1;
        const before = snapshotTree(path.join(ws, "generated"));

        const run = await joinkit(["generate"], ws);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`specs/amity-social-cloud.yaml:${line}:19 error no-invalid-media-type-examples:`);
        expect(run.stderr).toContain("nothing was written");
        expect(snapshotTree(path.join(ws, "generated"))).toEqual(before);
    });

    it("refuses invalid YAML with its line and column", async () => {
        const ws = copyWorkspace();
        writeFileSync(path.join(ws, "specs/sonoran-cad.yaml"), "openapi: 3.1.0\ninfo:\n  title: [unclosed\n");
        const before = snapshotTree(path.join(ws, "generated"));
        const run = await joinkit(["generate"], ws);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/specs\/sonoran-cad\.yaml:\d+:\d+ error parse:/);
        expect(snapshotTree(path.join(ws, "generated"))).toEqual(before);
    });

    it("generates one document anywhere on disk with --spec and --out, byte-identical to the repo's output", async () => {
        const out = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-out-")), "client");
        const run = await joinkit(["generate", "--spec", SONORAN_SPEC, "--out", out], tmpdir());
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/sonoran-cad: 1 of 1 operation\(s\), 1 error catalogue\(s\)/);
        for (const file of ["schema.ts", "errors.ts", "operations.ts", "index.ts"]) {
            expect(readFileSync(path.join(out, file), "utf8")).toBe(
                readFileSync(path.join(ROOT, "generated/sonoran-cad", file), "utf8"),
            );
        }
    });

    it("is deterministic: two runs in different folders give identical bytes", async () => {
        const a = copyWorkspace();
        const b = copyWorkspace();
        expect((await joinkit(["generate"], a)).code).toBe(0);
        expect((await joinkit(["generate"], b)).code).toBe(0);
        const strip = (tree: Record<string, string>) =>
            Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, v.slice(v.indexOf(" ") + 1)]));
        expect(strip(snapshotTree(path.join(a, "generated")))).toEqual(strip(snapshotTree(path.join(b, "generated"))));
    }, 90_000); // two full runs over every spec in specs/

    it("marks every generated file as generated, naming its spec and hash", () => {
        for (const file of ["schema.ts", "errors.ts", "operations.ts", "index.ts"]) {
            const text = readFileSync(path.join(ROOT, "generated/amity-social-cloud", file), "utf8");
            expect(text).toMatch(
                /^\/\*\*\n \* Generated by joinkit \d+\.\d+\.\d+ from amity-social-cloud\.yaml \(sha256:[0-9a-f]{12}\)\.\n \* Do not edit/,
            );
        }
    });
});

describe("joinkit usage", () => {
    it.each([
        [["frobnicate"], /unknown command: frobnicate/],
        [[], /no command given/],
        [["generate", "--spec", "x.yaml"], /joinkit generate: --spec goes with --out/],
        [["generate", "--bogus"], /joinkit generate: unknown option --bogus/],
    ])("joinkit %j exits 2 with: %s", async (args, message) => {
        const run = await joinkit(args);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(message);
    });

    it("lints the repo's specs with no problems", async () => {
        const run = await joinkit(["lint"]);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain("specs/amity-social-cloud.yaml: no problems");
    });
});
