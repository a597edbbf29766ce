import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyWorkspace, joinkit, snapshotTree, type CliRun } from "../support/cli.js";
import { SONORAN_SPEC } from "../support/fixtures.js";

const GENERATED = ["errors.ts", "index.ts", "operations.ts", "schema.ts"];

/** A user's project: package.json, their own source, a spec, and a .git folder to lose. */
function userProject(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-user-"));
    writeFileSync(path.join(dir, "package.json"), '{ "name": "my-app", "private": true }\n');
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "src/app.ts"), "export const app = 1;\n");
    mkdirSync(path.join(dir, ".git"));
    writeFileSync(path.join(dir, ".git/HEAD"), "ref: refs/heads/main\n");
    cpSync(SONORAN_SPEC, path.join(dir, "api.yaml"));
    return dir;
}

function expectRefused(run: CliRun, message: RegExp): void {
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("joinkit: nothing was written.");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(1);
}

describe("joinkit generate --out: writes only where it may, deletes only what it wrote", () => {
    it(
        "refuses an --out that holds the user's files, touching nothing, unless told it may write beside them",
        async () => {
            const project = userProject();
            const before = snapshotTree(project);
            expectRefused(
                await joinkit(["generate", "--spec", "api.yaml", "--out", "src"], project),
                /^src error out-not-empty: holds files joinkit did not write \(app\.ts\).*--allow-nonempty-out/m,
            );
            expect(snapshotTree(project)).toEqual(before);

            const allowed = await joinkit(
                ["generate", "--spec", "api.yaml", "--out", "src", "--allow-nonempty-out"],
                project,
            );
            expect(allowed.code).toBe(0);
            expect(allowed.stdout).toContain("src: kept 1 file(s) joinkit did not write: app.ts");
            expect(readFileSync(path.join(project, "src/app.ts"), "utf8")).toBe("export const app = 1;\n");
            for (const file of GENERATED) expect(existsSync(path.join(project, "src", file))).toBe(true);
        },
        120_000,
    );

    it("never overwrites a file it did not write, even when allowed to write beside the user's files", async () => {
        const project = userProject();
        writeFileSync(path.join(project, "src/index.ts"), "// my entry point\n");
        const before = snapshotTree(project);
        expectRefused(
            await joinkit(["generate", "--spec", "api.yaml", "--out", "src", "--allow-nonempty-out"], project),
            /^src\/index\.ts error out-foreign-file: exists and joinkit did not write it/m,
        );
        expect(snapshotTree(project)).toEqual(before);
    }, 120_000);

    it.each([
        [".", /^\. error out: is the project root/m],
        ["..", /^\.\. error out: holds the whole project/m],
        ["/", /^\/ error out: is the file-system root/m],
        ["package.json", /^package\.json error out: is a file, not a folder/m],
        [".git/out", /error out: is inside \.git or node_modules/m],
    ])("always refuses --out %s, and the project is left exactly as it was", async (out, message) => {
        const project = userProject();
        const before = snapshotTree(project);
        expectRefused(
            await joinkit(["generate", "--spec", "api.yaml", "--out", out, "--allow-nonempty-out"], project),
            message,
        );
        expect(snapshotTree(project)).toEqual(before);
    }, 120_000);

    it("refuses a folder that holds the spec, and a path through a symbolic link out of the project", async () => {
        const project = userProject();
        mkdirSync(path.join(project, "api"));
        cpSync(SONORAN_SPEC, path.join(project, "api/spec.yaml"));
        const outside = mkdtempSync(path.join(tmpdir(), "joinkit-elsewhere-"));
        writeFileSync(path.join(outside, "precious.txt"), "keep me");
        symlinkSync(outside, path.join(project, "link"));
        const before = snapshotTree(project);

        expectRefused(
            await joinkit(["generate", "--spec", "api/spec.yaml", "--out", "api", "--allow-nonempty-out"], project),
            /^api error out: holds the spec api\/spec\.yaml/m,
        );
        expectRefused(
            await joinkit(["generate", "--spec", "api.yaml", "--out", "link/client"], project),
            /^link\/client error out: leads out of the project through a symbolic link/m,
        );
        expectRefused(
            await joinkit(["generate", "--spec", "api.yaml", "--out", "link"], project),
            /error out: (leads out of the project|is a symbolic link)/,
        );
        expect(snapshotTree(project)).toEqual(before);
        expect(readFileSync(path.join(outside, "precious.txt"), "utf8")).toBe("keep me");
        expect(existsSync(path.join(outside, "client"))).toBe(false);
    }, 120_000);

    it("records what it wrote in a manifest, and on regeneration keeps files the user added beside them", async () => {
        const project = userProject();
        expect((await joinkit(["generate", "--spec", "api.yaml", "--out", "src/api"], project)).code).toBe(0);
        const manifest = JSON.parse(readFileSync(path.join(project, "src/api/.joinkit-manifest.json"), "utf8"));
        expect(Object.keys(manifest.files)).toEqual(GENERATED);
        expect(manifest.files["index.ts"]).toMatch(/^sha256:[0-9a-f]{64}$/);

        writeFileSync(path.join(project, "src/api/extensions.ts"), "export const mine = true;\n");
        const spec = path.join(project, "api.yaml");
        writeFileSync(
            spec,
            readFileSync(spec, "utf8").replace(
                "summary: Join or leave a community",
                "summary: Join or leave a CAD community",
            ),
        );
        const again = await joinkit(["generate", "--spec", "api.yaml", "--out", "src/api"], project);
        expect(again.code).toBe(0);
        expect(again.stdout).toContain("kept 1 file(s) joinkit did not write: extensions.ts");
        expect(readFileSync(path.join(project, "src/api/extensions.ts"), "utf8")).toBe("export const mine = true;\n");
        expect(readFileSync(path.join(project, "src/api/operations.ts"), "utf8")).toContain(
            "Join or leave a CAD community",
        );
    }, 120_000);

    it("deletes a file it no longer generates only as it left it; a hand-edited one is kept", async () => {
        const project = userProject();
        expect((await joinkit(["generate", "--spec", "api.yaml", "--out", "client"], project)).code).toBe(0);
        // Pretend an earlier version also generated old.ts and edited.ts, and the user then edited edited.ts.
        const manifestFile = path.join(project, "client/.joinkit-manifest.json");
        const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
        writeFileSync(path.join(project, "client/old.ts"), "// old\n");
        writeFileSync(path.join(project, "client/edited.ts"), "// edited by hand\n");
        const hash = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
        manifest.files["old.ts"] = hash("// old\n");
        manifest.files["edited.ts"] = hash("// as generated\n");
        writeFileSync(manifestFile, JSON.stringify(manifest));

        expect((await joinkit(["generate", "--spec", "api.yaml", "--out", "client"], project)).code).toBe(0);
        expect(existsSync(path.join(project, "client/old.ts"))).toBe(false);
        expect(readFileSync(path.join(project, "client/edited.ts"), "utf8")).toBe("// edited by hand\n");
    }, 120_000);
});

describe("joinkit generate in a workspace: generated/ through manifests", () => {
    it(
        "migrates folders generated before manifests existed, and keeps user files in generated/ when a spec goes away",
        async () => {
            const ws = copyWorkspace();
            for (const api of ["sonoran-cad", "amity-social-cloud"]) {
                rmSync(
                    path.join(ws, "generated", api, ".joinkit-manifest.json"),
                );
            }
            expect((await joinkit(["check"], ws)).code).toBe(1); // a missing manifest is drift

            const run = await joinkit(["generate"], ws);
            expect(run.stderr).toBe("");
            expect(run.code).toBe(0);
            expect((await joinkit(["check"], ws)).code).toBe(0);

            writeFileSync(path.join(ws, "generated/sonoran-cad/README.md"), "notes");
            rmSync(path.join(ws, "specs/sonoran-cad.yaml"));
            expect((await joinkit(["generate"], ws)).code).toBe(0);
            expect(snapshotTree(path.join(ws, "generated/sonoran-cad"))).toEqual({
                "README.md": expect.stringMatching(/ notes$/),
            });
            expect(existsSync(path.join(ws, "generated/amity-social-cloud/index.ts"))).toBe(true);
        },
        120_000,
    );
});

describe("spec file names map to output folders by one rule", () => {
    const withSpecs = (names: string[]) => {
        const ws = copyWorkspace();
        mkdirSync(path.join(ws, ".git"));
        writeFileSync(path.join(ws, ".git/HEAD"), "ref: refs/heads/main\n");
        for (const name of names) cpSync(SONORAN_SPEC, path.join(ws, "specs", name));
        return ws;
    };

    it.each([
        [
            "...yaml",
            /^specs\/\.\.\.yaml error spec-name: the output folder name would be "\.\.", which names a parent folder/m,
        ],
        [".yaml", /^specs\/\.yaml error spec-name: the output folder name would be empty/m],
        [
            ".hidden.yaml",
            /^specs\/\.hidden\.yaml error spec-name: the output folder name "\.hidden" is not a safe folder name/m,
        ],
        ["index.yaml", /^specs\/index\.yaml error spec-name: "index" is taken by the docs index page/m],
    ])(
        "refuses specs/%s and leaves the whole project, .git and generated/ included, as it was",
        async (name, message) => {
            const ws = withSpecs([name]);
            const before = snapshotTree(ws);
            expectRefused(await joinkit(["generate"], ws), message);
            expect(snapshotTree(ws)).toEqual(before);
            expect((await joinkit(["check"], ws)).code).toBe(1);
        },
        120_000,
    );

    it.each([
        [
            ["a.yaml", "a.yml"],
            /^specs\/a\.yml error spec-name: its output folder "a" is the same as that of specs\/a\.yaml/m,
        ],
        [
            ["Api.yaml", "api.json"],
            /^specs\/api\.json error spec-name: its output folder "api" is the same as that of specs\/Api\.yaml/m,
        ],
    ])("refuses %j, naming both files, in generate and in check", async (names, message) => {
        const ws = withSpecs(names);
        const before = snapshotTree(ws);
        expectRefused(await joinkit(["generate"], ws), message);
        expect(snapshotTree(ws)).toEqual(before);
        expectRefused(await joinkit(["check"], ws), message);
    }, 120_000);
});
