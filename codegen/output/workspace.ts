import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import {
    applyPlan,
    hasPendingJournal,
    isOutputFolder,
    isSwapLeftover,
    ownedFiles,
    planFolder,
    recoverFolder,
    refuseUnsafeLocation,
    writeFolder,
    type FolderPlan,
} from "./folder.js";
import type { GenerateOptions, GeneratedApi } from "../pipeline.js";
import { findProjectRoot } from "../core/project.js";
import { SpecError, type SpecProblem } from "../core/spec-error.js";

/**
 * The project layout joinkit works on: `specs/*.yaml` in, `generated/<spec-name>/` and
 * `docs/` out; or one document named with `--spec` (see singleSpec).
 */
export interface Workspace {
    readonly root: string;
    readonly specsDir: string;
    readonly generatedDir: string;
    readonly docsDir: string;
    /** The project the workspace belongs to (see findProjectRoot). */
    readonly project: string;
    /** The specs, when named rather than found in `specsDir`. */
    readonly specFiles?: readonly string[];
}

export function workspaceAt(root: string): Workspace {
    return {
        root,
        specsDir: path.join(root, "specs"),
        generatedDir: path.join(root, "generated"),
        docsDir: path.join(root, "docs"),
        project: findProjectRoot(root),
    };
}

/** One document anywhere on disk (`--spec`), its output in `out` (`--out`). */
export function singleSpec(root: string, spec: string, out: string): Workspace {
    return {
        root,
        specsDir: path.dirname(spec),
        generatedDir: out,
        docsDir: out,
        project: findProjectRoot(root),
        specFiles: [spec],
    };
}

const SPEC_FILE = /\.(ya?ml|json)$/i;

/** Whether a file name is one joinkit reads as a spec. */
export function isSpecFile(name: string): boolean {
    return SPEC_FILE.test(name);
}

/** The spec files, sorted, so output never depends on the order the file system lists them. */
export async function listSpecs(workspace: Workspace): Promise<string[]> {
    if (workspace.specFiles !== undefined) return [...workspace.specFiles];
    const entries = await readdir(workspace.specsDir, { withFileTypes: true });
    return entries
        .filter((entry) => entry.isFile() && SPEC_FILE.test(entry.name))
        .map((entry) => path.join(workspace.specsDir, entry.name))
        .sort();
}

/**
 * The one rule from a spec file to its output folder (and docs page, and package subpath):
 * the file name without its `.yaml`, `.yml` or `.json` extension. It must start with a
 * letter or digit and hold only letters, digits, `.`, `_` and `-`, must not be `index`
 * (the docs index page), and must differ from every other spec's in more than letter case.
 */
export function apiName(specFile: string): string {
    return path.basename(specFile).replace(SPEC_FILE, "");
}

const FOLDER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/** Output folder name → spec file; refuses names that are unsafe or that collide. */
export function specFolders(specs: readonly string[]): Map<string, string> {
    const problems: SpecProblem[] = [];
    const byKey = new Map<string, string>();
    const folders = new Map<string, string>();
    const shown = (file: string) => path.relative(process.cwd(), file) || file;
    for (const spec of specs) {
        const name = apiName(spec);
        const refuse = (message: string) =>
            problems.push({ file: shown(spec), rule: "spec-name", message, severity: "error" });
        const rule =
            "folder names are the file name without .yaml/.yml/.json: letters, digits, '.', '_' and '-', starting with a letter or digit";
        if (name === "") refuse(`the output folder name would be empty; rename the file (${rule})`);
        else if (name === "." || name === "..") {
            refuse(`the output folder name would be "${name}", which names a parent folder; rename the file (${rule})`);
        } else if (!FOLDER_NAME.test(name)) {
            refuse(
                `the output folder name ${JSON.stringify(name)} is not a safe folder name; rename the file (${rule})`,
            );
        } else if (name.toLowerCase() === "index") refuse(`"index" is taken by the docs index page; rename the file`);
        else {
            const key = name.normalize("NFC").toLowerCase();
            const other = byKey.get(key);
            if (other !== undefined) {
                refuse(
                    `its output folder "${name}" is the same as that of ${
                        shown(other)
                    } (names may not differ only in case or extension); rename one of them`,
                );
            } else {
                byKey.set(key, spec);
                folders.set(name, spec);
            }
        }
    }
    if (problems.length > 0) throw new SpecError(problems);
    return folders;
}

/** One spec's run: its output folder's name, its file, that folder, and what the pipeline is given for it. */
export interface SpecRun {
    readonly name: string;
    readonly spec: string;
    readonly dir: string;
    readonly options: GenerateOptions;
}

/** The run of every spec in the workspace, in spec order; refuses folder names that are unsafe or collide. */
export async function specRuns(workspace: Workspace, options: GenerateOptions = {}): Promise<SpecRun[]> {
    const folders = specFolders(await listSpecs(workspace));
    return [...folders].map(([name, spec]) => ({
        name,
        spec,
        dir: path.join(workspace.generatedDir, name),
        options: { ...options, displayName: path.relative(process.cwd(), spec), cwd: workspace.root },
    }));
}

/** The run of one document named with `--spec`, its output in `out`. */
export function singleSpecRun(spec: string, out: string, options: GenerateOptions = {}): SpecRun {
    return {
        name: apiName(spec),
        spec,
        dir: out,
        options: { ...options, displayName: path.relative(process.cwd(), spec) || spec },
    };
}

/**
 * Generates every spec in memory (or the `runs` given). Fails as a whole, with every spec's
 * problems, if any one fails: a half-updated `generated/` would pass for a consistent one.
 */
export async function generateWorkspace(
    workspace: Workspace,
    options: GenerateOptions = {},
    runs?: readonly SpecRun[],
): Promise<Map<string, GeneratedApi>> {
    // Loaded here, not with this module: writing and checking folders needs none of the
    // pipeline's TypeScript and Redocly (the crash test's writer process loads only that half,
    // and `check` none of it for the specs its cache vouches for).
    const { generateApi } = await import("../pipeline.js");
    const results = new Map<string, GeneratedApi>();
    const problems: SpecProblem[] = [];
    for (const run of runs ?? (await specRuns(workspace, options))) {
        try {
            results.set(run.name, await generateApi(run.spec, run.options));
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            problems.push(...error.problems);
        }
    }
    if (problems.length > 0) throw new SpecError(problems);
    return results;
}

export interface OutputOptions {
    /** The project `out` must stay clear of (defaults to the one around the working directory). */
    readonly project?: string;
    /** Specs of this run: an output folder may not hold one. */
    readonly specs?: readonly string[];
    /** `out` may hold files joinkit did not write; they are kept. */
    readonly allowForeign?: boolean;
    readonly displayName?: string;
}

/**
 * Replaces `outDir` with exactly these files, through its manifest: files joinkit did not
 * write are kept (or, unless allowed, refused), and the folder is swapped in whole, so an
 * interrupted run leaves it old or new, never mixed.
 */
export async function writeOutput(
    outDir: string,
    files: ReadonlyMap<string, string>,
    options: OutputOptions = {},
): Promise<FolderPlan> {
    refuseUnsafeLocation(outDir, {
        project: options.project ?? findProjectRoot(process.cwd()),
        specs: options.specs ?? [],
        displayName: options.displayName,
    });
    return writeFolder(outDir, files, {
        allowForeign: options.allowForeign ?? false,
        displayName: options.displayName,
        foreignHint: "--allow-nonempty-out",
    });
}

/**
 * Writes every API's folder and removes joinkit's files from folders whose spec is gone.
 * Every folder is checked before any is touched, so a refusal leaves all of them as they were.
 * With `only`, just those folders are touched (`generate --watch` rebuilding one spec, or
 * removing one whose spec was deleted): the same rules, the same refusals, one place.
 */
export async function writeWorkspace(
    workspace: Workspace,
    apis: ReadonlyMap<string, GeneratedApi>,
    only?: ReadonlySet<string>,
): Promise<FolderPlan[]> {
    const relative = (file: string) => path.relative(process.cwd(), file) || file;
    refuseUnsafeLocation(workspace.generatedDir, {
        project: workspace.project,
        specs: await listSpecs(workspace),
        displayName: relative(workspace.generatedDir),
    });
    await mkdir(workspace.generatedDir, { recursive: true });
    await recoverWorkspace(workspace);
    const plans: FolderPlan[] = [];
    for (const [name, api] of apis) {
        if (only !== undefined && !only.has(name)) continue;
        const dir = path.join(workspace.generatedDir, name);
        plans.push(await planFolder(dir, api.files, { allowForeign: true, displayName: relative(dir) }));
    }
    for (const stale of await outputFolders(workspace)) {
        if (apis.has(stale) || (only !== undefined && !only.has(stale))) continue;
        const dir = path.join(workspace.generatedDir, stale);
        plans.push(await planFolder(dir, undefined, { allowForeign: true, displayName: relative(dir) }));
    }
    for (const plan of plans) await applyPlan(plan);
    for (const leftover of await readdir(workspace.generatedDir)) {
        if (isSwapLeftover(leftover) && !leftover.endsWith("journal")) {
            await rm(path.join(workspace.generatedDir, leftover), { recursive: true, force: true });
        }
    }
    return plans;
}

/** Finishes or undoes every folder replacement a killed run left in `generated/`. */
export async function recoverWorkspace(workspace: Workspace): Promise<void> {
    for (const name of await readdir(workspace.generatedDir).catch(() => [] as string[])) {
        const journal = /^\.(.+)\.joinkit-journal$/.exec(name);
        if (journal) await recoverFolder(path.join(workspace.generatedDir, journal[1]!));
    }
}

export interface Drift {
    /** Path relative to the workspace root. */
    readonly file: string;
    readonly reason: "changed" | "missing" | "unexpected" | "interrupted";
    /** A unified diff, cut to a few lines. */
    readonly diff: string;
}

const MAX_DIFF_LINES = 24;

/** Output folders in `generated/` that no spec (of the `names` given) generates: drift. */
export async function strayFolders(workspace: Workspace, names: ReadonlySet<string>): Promise<Drift[]> {
    const drift: Drift[] = [];
    for (const stale of await outputFolders(workspace)) {
        const dir = path.join(workspace.generatedDir, stale);
        if (!names.has(stale) && (await isOutputFolder(dir))) {
            drift.push({ file: path.relative(workspace.root, dir), reason: "unexpected", diff: "" });
        }
    }
    return drift;
}

/** Every difference between one API's fresh output and the folder `dir`; paths shown through `relative`. */
export async function folderDrift(
    dir: string,
    api: GeneratedApi,
    relative: (file: string) => string,
): Promise<Drift[]> {
    const drift: Drift[] = [];
    if (await hasPendingJournal(dir)) drift.push({ file: relative(dir), reason: "interrupted", diff: "" });
    // Files joinkit wrote there before; anything else in the folder is the user's.
    const owned = new Set(await ownedFiles(dir));
    for (const [file, expected] of api.files) {
        const target = path.join(dir, file);
        owned.delete(file);
        const actual = await readFile(target, "utf8").catch(() => undefined);
        if (actual === expected) continue;
        drift.push({
            file: relative(target),
            reason: actual === undefined ? "missing" : "changed",
            diff: shortDiff(relative(target), actual ?? "", expected),
        });
    }
    for (const extra of [...owned].sort()) {
        drift.push({ file: relative(path.join(dir, extra)), reason: "unexpected", diff: "" });
    }
    return drift;
}

function shortDiff(file: string, actual: string, expected: string): string {
    const patch = createTwoFilesPatch(`${file} (committed)`, `${file} (from spec)`, actual, expected, "", "", {
        context: 2,
    });
    const lines = patch.split("\n").slice(2).filter((line) => line !== "\\ No newline at end of file");
    const shown = lines.slice(0, MAX_DIFF_LINES);
    if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more diff lines`);
    return shown.join("\n").trimEnd();
}

/** Folders in `generated/` (joinkit's own staging and retired folders are not among them). */
async function outputFolders(workspace: Workspace): Promise<string[]> {
    const entries = await readdir(workspace.generatedDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith(".")).map((entry) => entry.name)
        .sort();
}
