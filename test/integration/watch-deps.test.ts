import {
    existsSync,
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
import { afterEach, describe, expect, it } from "vitest";
import { watchSpecs, type SpecWatcher } from "../../codegen/output/spec-watcher.js";
import { watchWorkspace } from "../../codegen/output/watch.js";
import { singleSpec, workspaceAt } from "../../codegen/output/workspace.js";
import { joinkit } from "../support/cli.js";
import { PET_PART, PETS_SPEC, petsProject } from "../support/pets-project.js";

/** Lines a watcher prints, awaitable: `next(pattern)` resolves with the next matching line. */
function output() {
    const lines: string[] = [];
    const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
    const push = (line: string) => {
        lines.push(line);
        for (const waiter of [...waiters]) {
            if (waiter.pattern.test(line)) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(line);
            }
        }
    };
    return {
        lines,
        push,
        next: (pattern: RegExp) => new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
    };
}

let watcher: SpecWatcher | undefined;
afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
});

describe("generate --watch follows $refs", () => {
    it(
        "regenerates a spec when a $ref'd part is saved, reports a broken save located and keeps the output, recovers on the fix",
        async () => {
            const cwd = petsProject();
            const part = path.join(cwd, "specs/parts/pet.yaml");
            const schema = path.join(cwd, "generated/pets/schema.ts");
            const out = output();
            watcher = watchWorkspace(workspaceAt(cwd), out.push, out.push, { cwd });
            const watching = out.next(/^joinkit: watching /);
            await watcher.ready;
            await watching;
            expect(out.lines[0]).toMatch(/^pets: regenerated .*schema\.ts/);
            expect(readFileSync(schema, "utf8")).toContain("@description A pet");

            let event = out.next(/^pets: /);
            writeFileSync(part, PET_PART.replace("A pet", "A good pet"));
            expect(await event).toMatch(/^pets: regenerated .*schema\.ts.* \(\d+ ms\)$/);
            expect(readFileSync(schema, "utf8")).toContain("@description A good pet");

            const lastGood = readFileSync(schema, "utf8");
            event = out.next(/^pets: not regenerated/);
            writeFileSync(part, "type: object\nproperties: [broken\n");
            await event;
            expect(out.lines.some((line) => /specs\/parts\/pet\.yaml:\d+:\d+ error /.test(line))).toBe(true);
            expect(readFileSync(schema, "utf8")).toBe(lastGood);

            event = out.next(/^pets: regenerated/);
            writeFileSync(part, PET_PART.replace("A pet", "A fixed pet"));
            await event;
            expect(readFileSync(schema, "utf8")).toContain("@description A fixed pet");
        },
        120_000,
    );

    it("watches a part from the save that first $refs it", async () => {
        const cwd = petsProject();
        const spec = path.join(cwd, "specs/pets.yaml");
        writeFileSync(path.join(cwd, "specs/parts/owner.yaml"), "type: object\ndescription: An owner\n");
        const schema = path.join(cwd, "generated/pets/schema.ts");
        const out = output();
        watcher = watchWorkspace(workspaceAt(cwd), out.push, out.push, { cwd });
        await watcher.ready;

        let event = out.next(/^pets: regenerated/);
        writeFileSync(
            spec,
            PETS_SPEC.replace('schema: {$ref: "./parts/pet.yaml"}', 'schema: {$ref: "./parts/owner.yaml"}'),
        );
        await event;
        expect(readFileSync(schema, "utf8")).toContain("An owner");

        event = out.next(/^pets: regenerated/);
        writeFileSync(path.join(cwd, "specs/parts/owner.yaml"), "type: object\ndescription: The owner\n");
        await event;
        expect(readFileSync(schema, "utf8")).toContain("The owner");
    }, 120_000);

    it("picks up a new spec file and removes joinkit's files for a deleted one", async () => {
        const cwd = petsProject();
        const out = output();
        watcher = watchWorkspace(workspaceAt(cwd), out.push, out.push, { cwd });
        await watcher.ready;

        let event = out.next(/^cats: regenerated/);
        writeFileSync(
            path.join(cwd, "specs/cats.yaml"),
            PETS_SPEC.replace("Pets", "Cats").replace("listPets", "listCats"),
        );
        await event;
        expect(existsSync(path.join(cwd, "generated/cats/index.ts"))).toBe(true);

        writeFileSync(path.join(cwd, "generated/cats/NOTES.md"), "mine\n");
        event = out.next(/^cats: spec deleted/);
        rmSync(path.join(cwd, "specs/cats.yaml"));
        await event;
        expect(existsSync(path.join(cwd, "generated/cats/index.ts"))).toBe(false);
        expect(readFileSync(path.join(cwd, "generated/cats/NOTES.md"), "utf8")).toBe("mine\n");
    }, 120_000);

    it("with --spec/--out, watches that document and its parts and writes to --out", async () => {
        const cwd = petsProject();
        const spec = path.join(cwd, "specs/pets.yaml");
        const outDir = path.join(cwd, "client");
        const out = output();
        watcher = watchWorkspace(singleSpec(cwd, spec, outDir), out.push, out.push, { cwd }, {
            single: { allowForeign: false },
        });
        await watcher.ready;
        expect(readFileSync(path.join(outDir, "schema.ts"), "utf8")).toContain("A pet");
        const event = out.next(/^pets: regenerated/);
        writeFileSync(path.join(cwd, "specs/parts/pet.yaml"), PET_PART.replace("A pet", "A watched pet"));
        await event;
        expect(readFileSync(path.join(outDir, "schema.ts"), "utf8")).toContain("A watched pet");
        expect(existsSync(path.join(cwd, "generated"))).toBe(false);
    }, 120_000);
});

describe("generate --watch applies every rule generate does", () => {
    it("refuses a generated/ that leads out of the project through a symbolic link, as generate does", async () => {
        const cwd = petsProject();
        const outside = mkdtempSync(path.join(tmpdir(), "joinkit-elsewhere-"));
        writeFileSync(path.join(outside, "precious.txt"), "keep me");
        symlinkSync(outside, path.join(cwd, "generated"), "dir");

        const plain = await joinkit(["generate"], cwd);
        expect(plain.code).toBe(1);
        expect(plain.stderr).toMatch(/generated error out: leads out of the project through a symbolic link/);

        const out = output();
        watcher = watchWorkspace(workspaceAt(cwd), out.push, out.push, { cwd });
        const first = out.next(/^pets: /);
        await watcher.ready;
        expect(await first).toMatch(/^pets: not regenerated/);
        expect(out.lines.join("\n")).toMatch(/generated error out: leads out of the project through a symbolic link/);
        expect(readdirSync(outside)).toEqual(["precious.txt"]);

        // Deleting the spec removes nothing through the link either.
        writeFileSync(path.join(outside, ".joinkit-manifest.json"), '{"files":{"precious.txt":"x"}}\n');
        const removal = out.next(/pets/);
        rmSync(path.join(cwd, "specs/pets.yaml"));
        await removal;
        expect(readdirSync(outside).sort()).toEqual([".joinkit-manifest.json", "precious.txt"]);
    }, 60_000);
});

describe("the dependency-aware watcher", () => {
    it(
        "rebuilds only the specs that depend on the saved file, and an unexpected error never stops later rebuilds",
        async () => {
            const dir = mkdtempSync(path.join(tmpdir(), "joinkit-watcher-"));
            mkdirSync(path.join(dir, "specs/parts"), { recursive: true });
            const [a, b, shared, onlyB] = [
                "specs/a.yaml",
                "specs/b.yaml",
                "specs/parts/shared.yaml",
                "specs/parts/only-b.yaml",
            ].map((file) => path.join(dir, file)) as [
                string,
                string,
                string,
                string,
            ];
            for (const file of [a, b, shared, onlyB]) writeFileSync(file, "v: 1\n");
            const deps = new Map([
                [a, [a, shared]],
                [b, [b, shared, onlyB]],
            ]);
            const builds: string[] = [];
            const failures: string[] = [];
            let explode = false;
            let settled = () => {};
            const next = () => new Promise<void>((resolve) => (settled = resolve));
            watcher = watchSpecs({
                folder: path.join(dir, "specs"),
                listSpecs: async () => [a, b].filter((file) => existsSync(file)),
                isSpecFile: (file) => file.endsWith(".yaml"),
                async build(spec) {
                    builds.push(path.basename(spec));
                    settled();
                    if (explode) {
                        explode = false;
                        throw new Error("disk on fire");
                    }
                    return deps.get(spec)!;
                },
                async removed() {},
                failed(spec, error) {
                    failures.push(`${path.basename(spec)}: ${(error as Error).message}`);
                },
            });
            await watcher.ready;
            expect(builds.sort()).toEqual(["a.yaml", "b.yaml"]);

            builds.length = 0;
            let done = next();
            writeFileSync(onlyB, "v: 2\n");
            await done;
            expect(builds).toEqual(["b.yaml"]);

            builds.length = 0;
            explode = true;
            done = next();
            writeFileSync(a, "v: 2\n");
            await done;
            await expect.poll(() => failures).toEqual(["a.yaml: disk on fire"]);

            builds.length = 0;
            writeFileSync(shared, "v: 2\n");
            await expect.poll(() => [...builds].sort(), { timeout: 20_000 }).toEqual(["a.yaml", "b.yaml"]);
        },
        60_000,
    );
});
