import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { generateApi, type GeneratedApi } from "./pipeline.js";
import { SpecError, type SpecProblem } from "./spec-error.js";

/** The project layout joinkit works on: `specs/*.yaml` in, `generated/<spec-name>/` out. */
export interface Workspace {
    readonly root: string;
    readonly specsDir: string;
    readonly generatedDir: string;
}

export function workspaceAt(root: string): Workspace {
    return { root, specsDir: path.join(root, "specs"), generatedDir: path.join(root, "generated") };
}

const SPEC_FILE = /\.(ya?ml|json)$/i;

/** Whether a file name is one joinkit reads as a spec. */
export function isSpecFile(name: string): boolean {
    return SPEC_FILE.test(name);
}

/** The spec files, sorted, so output never depends on the order the file system lists them. */
export async function listSpecs(workspace: Workspace): Promise<string[]> {
    const entries = await readdir(workspace.specsDir, { withFileTypes: true });
    return entries
        .filter((entry) => entry.isFile() && SPEC_FILE.test(entry.name))
        .map((entry) => path.join(workspace.specsDir, entry.name))
        .sort();
}

export function apiName(specFile: string): string {
    return path.basename(specFile).replace(SPEC_FILE, "");
}

/**
 * Generates every spec in memory. Fails as a whole, with every spec's problems, if any one
 * fails: a half-updated `generated/` would pass for a consistent one.
 */
export async function generateWorkspace(workspace: Workspace): Promise<Map<string, GeneratedApi>> {
    const specs = await listSpecs(workspace);
    const results = new Map<string, GeneratedApi>();
    const problems: SpecProblem[] = [];
    for (const spec of specs) {
        try {
            results.set(apiName(spec), await generateApi(spec, { displayName: path.relative(process.cwd(), spec) }));
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            problems.push(...error.problems);
        }
    }
    if (problems.length > 0) throw new SpecError(problems);
    return results;
}

/**
 * Replaces `outDir` with exactly these files. They are written to a sibling folder first and
 * swapped in by rename, so a failure midway leaves the old output as it was.
 */
export async function writeOutput(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
    const suffix = randomBytes(4).toString("hex");
    const staging = `${outDir}.joinkit-new-${suffix}`;
    const retired = `${outDir}.joinkit-old-${suffix}`;
    await mkdir(staging, { recursive: true });
    try {
        for (const [name, text] of files) await writeFile(path.join(staging, name), text);
        const hadOutput = await rename(outDir, retired).then(
            () => true,
            (error: NodeJS.ErrnoException) => {
                if (error.code === "ENOENT") return false;
                throw error;
            },
        );
        await rename(staging, outDir);
        if (hadOutput) await rm(retired, { recursive: true, force: true });
    } finally {
        await rm(staging, { recursive: true, force: true });
    }
}

/** Writes every API's folder and removes folders whose spec is gone. */
export async function writeWorkspace(workspace: Workspace, apis: ReadonlyMap<string, GeneratedApi>): Promise<void> {
    await mkdir(workspace.generatedDir, { recursive: true });
    for (const [name, api] of apis) await writeOutput(path.join(workspace.generatedDir, name), api.files);
    for (const stale of await outputFolders(workspace)) {
        if (!apis.has(stale)) await rm(path.join(workspace.generatedDir, stale), { recursive: true, force: true });
    }
}

export interface Drift {
    /** Path relative to the workspace root. */
    readonly file: string;
    readonly reason: "changed" | "missing" | "unexpected";
    /** A unified diff, cut to a few lines. */
    readonly diff: string;
}

const MAX_DIFF_LINES = 24;

/** Every difference between freshly generated output and what `generated/` holds. */
export async function findDrift(workspace: Workspace, apis: ReadonlyMap<string, GeneratedApi>): Promise<Drift[]> {
    const drift: Drift[] = [];
    const relative = (file: string) => path.relative(workspace.root, file);
    for (const [name, api] of apis) {
        const dir = path.join(workspace.generatedDir, name);
        const onDisk = new Set(await readdir(dir).catch(() => [] as string[]));
        for (const [file, expected] of api.files) {
            const target = path.join(dir, file);
            onDisk.delete(file);
            const actual = await readFile(target, "utf8").catch(() => undefined);
            if (actual === expected) continue;
            drift.push({
                file: relative(target),
                reason: actual === undefined ? "missing" : "changed",
                diff: shortDiff(relative(target), actual ?? "", expected),
            });
        }
        for (const extra of [...onDisk].sort()) {
            drift.push({ file: relative(path.join(dir, extra)), reason: "unexpected", diff: "" });
        }
    }
    for (const stale of await outputFolders(workspace)) {
        if (!apis.has(stale)) drift.push({ file: relative(path.join(workspace.generatedDir, stale)), reason: "unexpected", diff: "" });
    }
    return drift;
}

function shortDiff(file: string, actual: string, expected: string): string {
    const patch = createTwoFilesPatch(`${file} (committed)`, `${file} (from spec)`, actual, expected, "", "", { context: 2 });
    const lines = patch.split("\n").slice(2).filter((line) => line !== "\\ No newline at end of file");
    const shown = lines.slice(0, MAX_DIFF_LINES);
    if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more diff lines`);
    return shown.join("\n").trimEnd();
}

async function outputFolders(workspace: Workspace): Promise<string[]> {
    const entries = await readdir(workspace.generatedDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
