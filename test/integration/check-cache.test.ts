import { createHash } from "node:crypto";
import {
    appendFileSync,
    cpSync,
    existsSync,
    lstatSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generatorFingerprint, openCheckCache } from "../../codegen/output/check-cache.js";
import { contentHash } from "../../codegen/core/hash.js";
import { MANIFEST_FILE } from "../../codegen/emit/manifest.js";
import { joinkit, snapshotTree } from "../support/cli.js";
import { PETS_SPEC, petsProject } from "../support/pets-project.js";

// `joinkit check` may skip a spec's pipeline when a recorded run vouches for its output
// (codegen/output/check-cache.ts). The rule these tests hold it to: the cache makes a check
// faster, never makes one pass that a full check (--no-cache) fails. Each kind of change is
// made to a project whose cache holds a valid entry (a hit is shown first), and the cached
// check must then answer exactly as the full one does.

const UP_TO_DATE = "up to date (inputs unchanged since the last verified run";

/** The pets spec with an error catalogue, so the enum style shapes the output. */
const SPEC = `${PETS_SPEC}        "404":
          description: not found
          content:
            application/json:
              schema:
                type: object
                properties:
                  code: {type: string, enum: [no_pets, gone]}
`;

/**
 * A project with node_modules/ (so a cache), specs/pets.yaml ($ref to specs/parts/pet.yaml),
 * a Redocly config that extends a local file and lists the spec as the project's own, with
 * a lint error its ignore file suppresses; generated once.
 */
async function cacheProject(): Promise<string> {
    const dir = petsProject();
    mkdirSync(path.join(dir, "node_modules"));
    writeFileSync(path.join(dir, "specs/pets.yaml"), SPEC);
    writeFileSync(path.join(dir, "lint-base.yaml"), "extends: [minimal]\n");
    writeFileSync(
        path.join(dir, "redocly.yaml"),
        "extends:\n  - ./lint-base.yaml\napis:\n  pets:\n    root: specs/pets.yaml\nrules:\n  info-contact: error\n",
    );
    writeFileSync(
        path.join(dir, ".redocly.lint-ignore.yaml"),
        "specs/pets.yaml:\n  info-contact:\n    - '#/info/contact'\n",
    );
    expect((await joinkit(["generate"], dir)).code).toBe(0);
    return dir;
}

const cacheDir = (dir: string) => path.join(dir, "node_modules/.cache/joinkit");

function entryFile(dir: string): string {
    const entries = readdirSync(cacheDir(dir)).filter((name) => name.endsWith(".json"));
    expect(entries).toHaveLength(1);
    return path.join(cacheDir(dir), entries[0]!);
}

/** Rewrites the one cache entry; with `sealed`, its checksum is made to match, as a deliberate edit would. */
function tamper(dir: string, edit: (entry: Record<string, any>) => void, sealed: boolean): void {
    const file = entryFile(dir);
    const { checksum, ...entry } = JSON.parse(readFileSync(file, "utf8")) as Record<string, any>;
    edit(entry);
    writeFileSync(file, JSON.stringify({ ...entry, checksum: sealed ? contentHash(JSON.stringify(entry)) : checksum }));
}

const bytesHash = (file: string) => `sha256:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;

function edit(file: string, from: string, to: string): void {
    const text = readFileSync(file, "utf8");
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
}

interface Change {
    readonly name: string;
    readonly change: (dir: string) => void;
    /** Options of both checks after the change. */
    readonly args?: string[];
}

const CHANGES: Change[] = [
    {
        name: "the spec is edited",
        change: (dir) => edit(path.join(dir, "specs/pets.yaml"), "summary: List pets", "summary: List every pet"),
    },
    {
        name: "a file its $ref reaches is edited",
        change: (dir) =>
            edit(path.join(dir, "specs/parts/pet.yaml"), "description: A pet", "description: A pet in the store"),
    },
    {
        name: "the Redocly config is edited",
        change: (dir) => appendFileSync(path.join(dir, "redocly.yaml"), "  operation-description: error\n"),
    },
    {
        name: "a file the config extends is edited",
        change: (dir) => appendFileSync(path.join(dir, "lint-base.yaml"), "rules:\n  operation-description: error\n"),
    },
    { name: "the lint ignore file is removed", change: (dir) => rmSync(path.join(dir, ".redocly.lint-ignore.yaml")) },
    {
        name: "a redocly.yaml appears nearer the spec",
        change: (dir) =>
            writeFileSync(
                path.join(dir, "specs/redocly.yaml"),
                "extends: [minimal]\napis:\n  pets:\n    root: pets.yaml\nrules:\n  operation-description: error\n",
            ),
    },
    { name: "--enums const is given", change: () => undefined, args: ["--enums", "const"] },
    {
        name: "a generated file is edited by hand",
        change: (dir) => appendFileSync(path.join(dir, "generated/pets/operations.ts"), "// hand edit\n"),
    },
    { name: "a generated file is removed", change: (dir) => rmSync(path.join(dir, "generated/pets/index.ts")) },
    {
        name: "a generated folder no spec generates is added",
        change: (dir) =>
            cpSync(path.join(dir, "generated/pets"), path.join(dir, "generated/gone"), { recursive: true }),
    },
    {
        name: "the manifest is edited",
        change: (dir) =>
            edit(path.join(dir, "generated/pets", MANIFEST_FILE), '"source": "pets.yaml"', '"source": "dogs.yaml"'),
    },
    {
        name: "a file is added to the folder and its manifest",
        change: (dir) => {
            const manifest = path.join(dir, "generated/pets", MANIFEST_FILE);
            writeFileSync(path.join(dir, "generated/pets/extra.ts"), "export {};\n");
            edit(manifest, '"files": {', `"files": {\n        "extra.ts": "${contentHash("export {};\n")}",`);
        },
    },
    {
        name: "an interrupted generate left its journal",
        change: (dir) =>
            writeFileSync(path.join(dir, "generated/.pets.joinkit-journal"), '{"state":"swapping","staged":true}\n'),
    },
    {
        name: "a spec is added",
        change: (dir) => writeFileSync(path.join(dir, "specs/zoo.yaml"), SPEC.replace("title: Pets", "title: Zoo")),
    },
    { name: "the spec is removed", change: (dir) => rmSync(path.join(dir, "specs/pets.yaml")) },
    {
        name: "the cache entry is edited to claim a hand-edited file's hash, checksum and all",
        change: (dir) => {
            const file = path.join(dir, "generated/pets/errors.ts");
            appendFileSync(file, "// hand edit\n");
            tamper(dir, (entry) => void (entry.outputs["errors.ts"] = contentHash(readFileSync(file, "utf8"))), true);
        },
    },
    {
        name: "the cache entry is edited to claim an edited spec's hash, checksum and all",
        change: (dir) => {
            const spec = path.join(dir, "specs/pets.yaml");
            edit(spec, "summary: List pets", "summary: List every pet");
            tamper(
                dir,
                (entry) => void (entry.inputs.find(([file]: [string]) => file === spec)[1] = bytesHash(spec)),
                true,
            );
        },
    },
];

/** Projects for the tests below, made up front so their files are older than the cache's settling time. */
const projects = new Map<string, string>();
const project = (name: string) => projects.get(name)!;
const OTHER = [
    "not sealed by its checksum",
    "hit",
    "generate records",
    "strict",
    "config option",
    "foreign file",
    "generator",
    "garbage",
    "directory",
    "other spec",
    "link entry",
    "link cache",
    "settle",
];

beforeAll(async () => {
    const base = await cacheProject();
    rmSync(path.join(base, "node_modules/.cache"), { recursive: true, force: true }); // each copy starts without a cache
    for (const name of [...CHANGES.map((c) => c.name), ...OTHER]) {
        const dir = mkdtempSync(path.join(tmpdir(), "joinkit-cache-"));
        cpSync(base, dir, { recursive: true });
        projects.set(name, dir);
    }
    // A run is recorded only if its inputs are older than 2 s when it starts (check-cache.ts, SETTLE_MS).
    await new Promise((resolve) => setTimeout(resolve, 2_200));
}, 120_000);

/** The first check runs in full and records; the second is a hit. */
async function primed(dir: string): Promise<void> {
    const full = await joinkit(["check"], dir);
    expect(full).toMatchObject({ code: 0, stderr: "" });
    expect(full.stdout).toBe("joinkit check: generated/ matches 1 spec(s).\n");
    const hit = await joinkit(["check"], dir);
    expect(hit).toMatchObject({ code: 0, stderr: "" });
    expect(hit.stdout).toContain(UP_TO_DATE);
}

describe("joinkit check with its cache", () => {
    it("passes from the cache, saying so, and writes nothing but the cache; --no-cache compares in full", async () => {
        const dir = project("hit");
        await primed(dir);
        const before = snapshotTree(dir);
        const hit = await joinkit(["check"], dir);
        expect(hit.stdout).toBe(
            `joinkit check: generated/ matches 1 spec(s): ${UP_TO_DATE}; --no-cache generates and compares them).\n`,
        );
        expect(snapshotTree(dir)).toEqual(before);
        const full = await joinkit(["check", "--no-cache"], dir);
        expect(full).toEqual({ code: 0, stdout: "joinkit check: generated/ matches 1 spec(s).\n", stderr: "" });
        expect(readdirSync(cacheDir(dir))).toEqual([path.basename(entryFile(dir))]);
    });

    it("a generate records what it wrote: the next check is a hit", async () => {
        const dir = project("generate records");
        expect((await joinkit(["generate"], dir)).code).toBe(0);
        const check = await joinkit(["check"], dir);
        expect(check).toMatchObject({ code: 0, stderr: "" });
        expect(check.stdout).toContain(UP_TO_DATE);
    });

    it.each(CHANGES)(
        "$name: the cached check fails exactly as the full check does",
        async ({ name, change, args = [] }) => {
            const dir = project(name);
            await primed(dir);
            change(dir);
            const cached = await joinkit(["check", ...args], dir);
            const full = await joinkit(["check", ...args, "--no-cache"], dir);
            expect(full.code).toBe(1);
            expect(cached).toEqual(full);
        },
        60_000,
    );

    it("a file the user put in the folder is no drift, from the cache or not", async () => {
        const dir = project("foreign file");
        await primed(dir);
        writeFileSync(path.join(dir, "generated/pets/NOTES.md"), "mine\n");
        expect((await joinkit(["check"], dir)).stdout).toContain(UP_TO_DATE);
        expect((await joinkit(["check", "--no-cache"], dir)).code).toBe(0);
    });

    it.each([
        ["strict", ["--strict"]],
        ["config option", ["--config", "redocly.yaml"]],
    ])("another option (%s) is a miss: the spec is generated and compared", async (name, args) => {
        const dir = project(name);
        await primed(dir);
        const other = await joinkit(["check", ...args], dir);
        expect(other).toEqual({ code: 0, stdout: "joinkit check: generated/ matches 1 spec(s).\n", stderr: "" });
        expect((await joinkit(["check", ...args], dir)).stdout).toContain(UP_TO_DATE);
    });

    it("an entry made by another generator is a miss", async () => {
        const dir = project("generator");
        await primed(dir);
        tamper(dir, (entry) => void (entry.fingerprint = contentHash("another generator")), true);
        expect(await joinkit(["check"], dir)).toEqual({
            code: 0,
            stdout: "joinkit check: generated/ matches 1 spec(s).\n",
            stderr: "",
        });
    });

    it.each([
        [
            "not sealed by its checksum",
            (file: string) =>
                writeFileSync(file, readFileSync(file, "utf8").replace('"outputs"', '"edited": true, "outputs"')),
        ],
        ["garbage", (file: string) => writeFileSync(file, "{ not json")],
        ["directory", (file: string) => (rmSync(file), mkdirSync(file))],
        [
            "other spec",
            (file: string) =>
                writeFileSync(file, readFileSync(file, "utf8").replaceAll("specs/pets.yaml", "specs/dogs.yaml")),
        ],
    ])("an entry that is %s is ignored, never an error", async (name, spoil) => {
        const dir = project(name);
        await primed(dir);
        spoil(entryFile(dir));
        expect(await joinkit(["check"], dir)).toEqual({
            code: 0,
            stdout: "joinkit check: generated/ matches 1 spec(s).\n",
            stderr: "",
        });
    });

    it("an entry that is a link is not followed, and the link is replaced, not written through", async () => {
        const dir = project("link entry");
        await primed(dir);
        const entry = entryFile(dir);
        const outside = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-outside-")), "entry.json");
        cpSync(entry, outside);
        const copy = readFileSync(outside, "utf8");
        rmSync(entry);
        symlinkSync(outside, entry);
        expect((await joinkit(["check"], dir)).stdout).toBe("joinkit check: generated/ matches 1 spec(s).\n");
        expect(lstatSync(entry).isFile()).toBe(true);
        expect(readFileSync(outside, "utf8")).toBe(copy);
    });

    it("a cache folder that leads out of the project through a link is neither read nor written", async () => {
        const dir = project("link cache");
        const outside = mkdtempSync(path.join(tmpdir(), "joinkit-outside-"));
        symlinkSync(outside, path.join(dir, "node_modules/.cache"));
        for (let run = 0; run < 2; run++) {
            expect(await joinkit(["check"], dir)).toEqual({
                code: 0,
                stdout: "joinkit check: generated/ matches 1 spec(s).\n",
                stderr: "",
            });
        }
        expect(readdirSync(outside)).toEqual([]);
    });

    it("a project without node_modules has no cache: every check is in full and nothing is created", async () => {
        const dir = petsProject();
        expect((await joinkit(["generate"], dir)).code).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 2_200));
        for (let run = 0; run < 2; run++) {
            expect((await joinkit(["check"], dir)).stdout).toBe("joinkit check: generated/ matches 1 spec(s).\n");
        }
        expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
    }, 60_000);

    it("a run is recorded only if its inputs had settled 2 s before it started: a save during a run is never recorded as what it read", async () => {
        const dir = project("settle");
        const spec = path.join(dir, "specs/pets.yaml");
        const run = {
            name: "pets",
            spec,
            dir: path.join(dir, "generated/pets"),
            options: { cwd: dir, displayName: "specs/pets.yaml" },
        };
        const files = new Map(
            readdirSync(run.dir).map((name) => [name, readFileSync(path.join(run.dir, name), "utf8")]),
        );
        const api = { dependencies: [spec, path.join(dir, "specs/parts/pet.yaml")], files };
        const cache = (await openCheckCache(dir))!;
        // Saved just now: a run that started now may have read it before or after the save.
        writeFileSync(spec, SPEC);
        const saved = lstatSync(spec).ctimeMs;
        await cache.record(run, api, saved + 1_000);
        expect(existsSync(cacheDir(dir))).toBe(false);
        expect(await cache.upToDate(run)).toBe(false);
        // The same save, 2 s or more before a run started: that run read it.
        await cache.record(run, api, saved + 2_500);
        expect(await cache.upToDate(run)).toBe(true);
    });
});

describe("the generator's fingerprint", () => {
    it("changes with its code, its package.json, a dependency's installed version, npm's installed tree and the runtime; not with declarations or other files", async () => {
        const root = mkdtempSync(path.join(tmpdir(), "joinkit-generator-"));
        const write = (file: string, text: string) => {
            mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            writeFileSync(path.join(root, file), text);
        };
        write(
            "codegen/package.json",
            JSON.stringify({
                name: "@joinkit/codegen",
                version: "0.1.0",
                dependencies: { dep: "^1.0.0", joinkit: "^0.1.0" },
            }),
        );
        write("codegen/dist/cli/main.js", "export const a = 1;\n");
        write("codegen/dist/model/index.js", "export const b = 1;\n");
        write("codegen/dist/cli.d.ts", "export declare const a: 1;\n");
        write("node_modules/dep/package.json", JSON.stringify({ name: "dep", version: "1.0.0" }));
        write("node_modules/joinkit/package.json", JSON.stringify({ name: "joinkit", version: "0.1.0" }));
        write("node_modules/joinkit/dist/src/runtime/index.js", "export const c = 1;\n");
        write("node_modules/.package-lock.json", "{}\n");
        const fingerprint = () =>
            generatorFingerprint(path.join(root, "codegen/dist"), path.join(root, "codegen/package.json"));

        let last = await fingerprint();
        expect(await fingerprint()).toBe(last);
        for (
            const [file, text] of [
                ["codegen/dist/cli/main.js", "export const a = 2;\n"],
                ["codegen/dist/model/added.js", "export const d = 1;\n"],
                [
                    "codegen/package.json",
                    JSON.stringify({
                        name: "@joinkit/codegen",
                        version: "0.1.1",
                        dependencies: { dep: "^1.0.0", joinkit: "^0.1.0" },
                    }),
                ],
                ["node_modules/dep/package.json", JSON.stringify({ name: "dep", version: "1.0.1" })],
                ["node_modules/.package-lock.json", '{ "packages": {} }\n'],
                ["node_modules/joinkit/dist/src/runtime/index.js", "export const c = 2;\n"],
            ] as const
        ) {
            write(file, text);
            const now = await fingerprint();
            expect(now, file).not.toBe(last);
            last = now;
        }
        write("codegen/dist/cli.d.ts", "export declare const a: 2;\n");
        write("codegen/dist/README.md", "notes\n");
        expect(await fingerprint()).toBe(last);
    });
});
