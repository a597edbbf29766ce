import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateApi } from "../../codegen/pipeline.js";
import { typecheckOutput } from "../../codegen/emit/typecheck.js";
import { joinkit } from "../support/cli.js";
import { ROOT } from "../support/fixtures.js";

const TRAPS = path.join(ROOT, "test/fixtures/specs/compile-traps-3.0.yaml");

describe("the type-check gate (--typecheck)", () => {
    it("passes generated output that compiles", async () => {
        const out = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-gate-")), "client");
        const api = await generateApi(TRAPS, { typecheckAs: out });
        expect(api.model.operations).toHaveLength(4);
        expect(readdirSync(path.dirname(out))).toEqual([]); // checked in memory: nothing written
    }, 120_000);

    it("locates each error in the generated files, under strict", async () => {
        const api = await generateApi(TRAPS);
        const files = new Map(api.files);
        files.set(
            "index.ts",
            `${api.files.get("index.ts")}\nexport const broken: string = 42;\nexport function loose(x) { return x; }\n`,
        );
        const lines = files.get("index.ts")!.split("\n").length;
        const problems = typecheckOutput(files, "/virtual/out", "client");
        expect(problems.map((p) => [p.file, p.line, p.rule, p.message.slice(0, 7)])).toEqual([
            ["client/index.ts", lines - 2, "typecheck", "TS2322:"],
            ["client/index.ts", lines - 1, "typecheck", "TS7006:"],
        ]);
    }, 120_000);

    it("runs from the CLI on --spec output, then writes it", async () => {
        const out = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-gate-")), "client");
        const run = await joinkit(["generate", "--spec", TRAPS, "--out", out, "--typecheck"], tmpdir());
        expect(run.stderr).not.toMatch(/error/);
        expect(run.code).toBe(0);
        expect(readdirSync(out).sort()).toEqual([
            ".joinkit-manifest.json",
            "errors.ts",
            "index.ts",
            "operations.ts",
            "schema.ts",
        ]);
    }, 120_000);
});
