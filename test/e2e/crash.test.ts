import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyWorkspace, joinkit } from "../support/cli.js";
import { ROOT } from "../support/fixtures.js";

/**
 * kill -9 during generate. joinkit announces each step of replacing an output folder when
 * JOINKIT_TEST_PAUSE_AT=<n> is set and waits at step n; the test SIGKILLs it there. Every
 * step is visited in order (a fixed set, so every run of the suite tests the same points),
 * until a run finishes without pausing. The killed process runs generate's writing half
 * (test/support/write-generated.mjs: the built generator's own functions, with the files a
 * real `joinkit generate` made for the same spec), where every step is; the run after each
 * kill is a whole `joinkit generate`.
 */

const GENERATED = ["errors.ts", "index.ts", "operations.ts", "schema.ts", ".joinkit-manifest.json"];

/** Writes generate's output as `joinkit generate …` would and kills it with SIGKILL at step n; resolves false if it finished first. */
function generateKilledAt(step: number, args: string[], cwd: string): Promise<boolean> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, "test/support/write-generated.mjs"), ...args], {
            cwd,
            env: { ...process.env, JOINKIT_TEST_PAUSE_AT: String(step) },
        });
        let stderr = "";
        let paused = false;
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
            if (!paused && stderr.includes(`joinkit-test: paused at step ${step} `)) {
                paused = true;
                child.kill("SIGKILL");
            }
        });
        child.on("exit", (code) => {
            if (!paused) expect(code, stderr).toBe(0);
            resolve(paused);
        });
    });
}

/** The files `joinkit generate` wrote into a folder: those its manifest names, and the manifest. */
function generatedFiles(dir: string): Record<string, string> {
    const manifest = JSON.parse(readFileSync(path.join(dir, ".joinkit-manifest.json"), "utf8")) as {
        files: Record<string, string>;
    };
    return Object.fromEntries(
        [...Object.keys(manifest.files), ".joinkit-manifest.json"].map((
            f,
        ) => [f, readFileSync(path.join(dir, f), "utf8")]),
    );
}

/** Saves JSON where the writer reads it (outside the folders under test). */
function saved(value: unknown): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-crash-files-")), "files.json");
    writeFileSync(file, JSON.stringify(value));
    return file;
}

function readFolder(dir: string): Record<string, string> | undefined {
    if (!existsSync(dir)) return undefined;
    return Object.fromEntries(
        GENERATED.filter((f) => existsSync(path.join(dir, f))).map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
    );
}

/** The folder right after the kill: all old files or all new ones; never a mix. */
function expectWholeFolder(
    dir: string,
    old: Record<string, string>,
    fresh: Record<string, string>,
    step: number,
): void {
    const now = readFolder(dir);
    if (now === undefined) {
        // The one instant between the two renames: both copies are complete and the journal says which wins.
        const parent = path.dirname(dir);
        expect(readdirSync(parent), `step ${step}`).toContain(`.${path.basename(dir)}.joinkit-journal`);
        return;
    }
    const matches = JSON.stringify(now) === JSON.stringify(old)
        ? "old"
        : JSON.stringify(now) === JSON.stringify(fresh)
        ? "new"
        : "mixed";
    expect(matches, `${dir} after a kill at step ${step}`).not.toBe("mixed");
}

function expectNoLeftovers(parent: string): void {
    expect(readdirSync(parent).filter((name) => name.includes(".joinkit-"))).toEqual([]);
}

describe("kill -9 during generate", () => {
    it(
        "leaves --out wholly old or wholly new at every step, and the next run finishes cleanly keeping the user's file",
        async () => {
            const base = mkdtempSync(path.join(tmpdir(), "joinkit-crash-"));
            cpSync(path.join(ROOT, "specs/sonoran-cad.yaml"), path.join(base, "api.yaml"));
            expect((await joinkit(["generate", "--spec", "api.yaml", "--out", "client"], base)).code).toBe(0);
            writeFileSync(path.join(base, "client/mine.ts"), "export const mine = 1;\n");
            const old = readFolder(path.join(base, "client"))!;
            const spec = path.join(base, "api.yaml");
            writeFileSync(
                spec,
                readFileSync(spec, "utf8").replace(
                    "summary: Join or leave a community",
                    "summary: Join or leave a CAD community",
                ),
            );
            const expected = mkdtempSync(path.join(tmpdir(), "joinkit-crash-expected-"));
            cpSync(spec, path.join(expected, "api.yaml"));
            expect((await joinkit(["generate", "--spec", "api.yaml", "--out", "client"], expected)).code).toBe(0);
            const fresh = readFolder(path.join(expected, "client"))!;
            expect(fresh).not.toEqual(old);
            const files = saved(generatedFiles(path.join(expected, "client")));

            let step = 1;
            for (;; step++) {
                const dir = mkdtempSync(path.join(tmpdir(), `joinkit-crash-${step}-`));
                cpSync(base, dir, { recursive: true });
                const killed = await generateKilledAt(step, ["out", dir, "api.yaml", "client", files], dir);
                if (killed) expectWholeFolder(path.join(dir, "client"), old, fresh, step);

                expect((await joinkit(["generate", "--spec", "api.yaml", "--out", "client"], dir)).code).toBe(0);
                expect(readFolder(path.join(dir, "client"))).toEqual(fresh);
                expect(readFileSync(path.join(dir, "client/mine.ts"), "utf8")).toBe("export const mine = 1;\n");
                expectNoLeftovers(dir);
                if (!killed) break;
            }
            expect(step).toBeGreaterThan(8); // every staged file, both renames and the clean-up were visited
        },
        300_000,
    );

    it(
        "leaves each folder of generated/ wholly old or wholly new wherever a workspace generate is killed",
        async () => {
            const base = copyWorkspace();
            for (
                const [name, summary] of [
                    ["sonoran-cad", "summary: Join or leave a community"],
                    ["amity-social-cloud", "summary: Join a community"],
                ] as const
            ) {
                const spec = path.join(base, "specs", `${name}.yaml`);
                writeFileSync(spec, readFileSync(spec, "utf8").replace(summary, `${summary} (edited)`));
            }
            const expected = copyWorkspace();
            cpSync(path.join(base, "specs"), path.join(expected, "specs"), { recursive: true });
            expect((await joinkit(["generate"], expected)).code).toBe(0);
            const folders = ["amity-social-cloud", "sonoran-cad"];
            const old = Object.fromEntries(folders.map((f) => [f, readFolder(path.join(base, "generated", f))!]));
            const fresh = Object.fromEntries(folders.map((f) => [f, readFolder(path.join(expected, "generated", f))!]));
            for (const f of folders) expect(fresh[f]).not.toEqual(old[f]);
            const apis = saved(
                Object.fromEntries(
                    readdirSync(path.join(expected, "generated")).map((
                        f,
                    ) => [f, generatedFiles(path.join(expected, "generated", f))]),
                ),
            );

            // Every third step, from the first folder's journal to the second folder's clean-up.
            for (let step = 1;; step += 3) {
                const dir = mkdtempSync(path.join(tmpdir(), `joinkit-crash-ws-${step}-`));
                cpSync(base, dir, { recursive: true });
                const killed = await generateKilledAt(step, ["workspace", dir, apis], dir);
                if (!killed) break;
                for (const f of folders) expectWholeFolder(path.join(dir, "generated", f), old[f]!, fresh[f]!, step);
                expect((await joinkit(["generate"], dir)).code).toBe(0);
                for (const f of folders) expect(readFolder(path.join(dir, "generated", f))).toEqual(fresh[f]);
                expectNoLeftovers(path.join(dir, "generated"));
            }
        },
        300_000,
    );
});
