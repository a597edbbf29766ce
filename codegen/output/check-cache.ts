import { createHash, randomBytes } from "node:crypto";
import { existsSync, type Stats } from "node:fs";
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { contentHash, specHash } from "../core/hash.js";
import { fileHeader } from "../emit/header.js";
import { MANIFEST_FILE } from "../emit/manifest.js";
import { configCandidates } from "../spec/lint-defaults.js";
import { hasPendingJournal, isPlainName, ownedFiles } from "./folder.js";
import type { GeneratedApi, GenerateOptions } from "../pipeline.js";
import { confinementFor, findProjectRoot, isUrl, isWithin, realLocation } from "../core/project.js";
import { GENERATOR_PACKAGE } from "../core/version.js";
import type { SpecRun } from "./workspace.js";

/**
 * `joinkit check`'s memory of verified runs, so a project whose specs have not changed is
 * checked without running the pipeline (a hit loads none of Redocly, openapi-typescript,
 * TypeScript).
 *
 * One entry per spec and output folder records a run that succeeded:
 * - a fingerprint of everything else that shapes the output: the generator's own code as it
 *   runs (dist or source) and package.json, the installed versions of the packages it
 *   depends on and npm's record of the installed tree, the runtime it imports, Node, and the
 *   options (enum style, strict, config file, where the spec, its project and the folder are);
 * - every dependency file the run actually loaded (on the main thread, as V8 lists its scripts,
 *   and in openapi-typescript's thread, as it says), with its size, times, inode and hash: a
 *   package patched in place (patch-package, a hand fix) keeps its version and npm's record,
 *   but not its files. A later check stats them, and hashes only a file whose stat changed;
 * - every input file the run read, with the hash of its bytes: the spec, each file its
 *   `$ref`s reached, the Redocly config with the files it extends and its ignore file, and
 *   each place a nearer `redocly.yaml` could appear, recorded as absent;
 * - the hash of every file the run generated, manifest included.
 *
 * `generate` records after writing, `check` after a full comparison that found the folder as
 * generated. A later check skips a spec's pipeline only when all of that still holds and
 * the folder holds exactly those files, judged as the full comparison judges them;
 * anything else (a changed, added or missing input, another generator or option, an
 * unreadable, foreign or tampered entry) is a miss, and that spec is generated and compared
 * in full. The cache can make a check faster, never make one pass that a full check fails.
 *
 * It lives in the project's `node_modules/.cache/joinkit/` (where babel, eslint and nx keep
 * theirs: local, never committed), only if `node_modules` is there and inside the project.
 */

const FORMAT = "joinkit-check-cache/2";
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/**
 * A run is recorded only if none of its inputs changed in the last SETTLE_MS before it
 * started: a file saved while the run was reading could otherwise be recorded with content
 * the run never saw. Two seconds cover the coarsest local file-system clocks (FAT's).
 */
const SETTLE_MS = 2000;
/** The generator's code as it runs: the folder above this module's (codegen/dist, or codegen/ under a test runner). */
const CODE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** One spec's run as check and generate make it. */
export interface CachedRun {
    /** The spec, absolute. */
    readonly spec: string;
    /** Its output folder, absolute. */
    readonly dir: string;
    /** The options the pipeline is given for it. */
    readonly options: GenerateOptions;
}

interface Entry {
    readonly format: string;
    readonly spec: string;
    readonly dir: string;
    readonly fingerprint: string;
    /** Every input, absolute, with the hash of its bytes, or null where a file must not exist. */
    readonly inputs: readonly (readonly [string, string | null])[];
    /** Every generated file of the folder, with its contentHash. */
    readonly outputs: Readonly<Record<string, string>>;
    /** Every dependency file the run loaded: [file, size, mtimeMs, ctimeMs, inode, contentHash]. */
    readonly modules: readonly ModuleRecord[];
}

type ModuleRecord = readonly [file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string];

/**
 * The project's check cache, or undefined where there is none to keep: no `node_modules`
 * folder, or one that leads out of the project.
 */
export async function openCheckCache(cwd: string): Promise<CheckCache | undefined> {
    const project = realLocation(findProjectRoot(cwd));
    const modules = path.join(project, "node_modules");
    const stats = await stat(modules).catch(() => undefined);
    if (!stats?.isDirectory() || !isWithin(realLocation(modules), project)) return undefined;
    return new CheckCache(project, path.join(modules, ".cache", "joinkit"));
}

/**
 * For `generate`: called as the run starts (when the generator is fingerprinted and the time
 * noted), then told what was written, which it records run by run. Never fails.
 */
export function startRecording(
    cwd: string,
): { written(runs: readonly SpecRun[], apis: ReadonlyMap<string, GeneratedApi>): Promise<void> } {
    const startedAt = Date.now();
    const cache = openCheckCache(cwd).catch(() => undefined);
    return {
        async written(runs, apis) {
            for (const run of runs) {
                const api = apis.get(run.name);
                if (api !== undefined) await (await cache)?.record(run, api, startedAt);
            }
        },
    };
}

export class CheckCache {
    /** Fingerprinted once, before any run of this process, and again before recording one. */
    private readonly generator = fingerprintOrNone();
    /** The dependency files this process loaded, taken once, when the first run is recorded (all have run by then). */
    private loaded: Promise<ModuleRecord[] | undefined> | undefined;

    constructor(
        private readonly project: string,
        /** Where the entries are. */
        readonly dir: string,
    ) {}

    /**
     * Whether `run.dir` holds what the pipeline would generate for `run`, by a recorded run
     * whose inputs, generator and options all match today's. False on any doubt.
     */
    async upToDate(run: CachedRun): Promise<boolean> {
        try {
            if (!cacheable(run.options)) return false;
            const entry = await this.read(run);
            if (entry === undefined || entry.fingerprint !== (await this.fingerprint(run, await this.generator))) {
                return false;
            }
            const allowed = inputRoots(run);
            if (!entry.inputs.some(([file, hash]) => file === path.resolve(run.spec) && hash !== null)) return false;
            for (const [file, hash] of entry.inputs) {
                if (!allowed.some((root) => isWithin(realLocation(file), root))) return false;
                if ((await currentHash(file)) !== hash) return false;
            }
            if (!(await modulesUnchanged(entry.modules))) return false;
            return await folderHolds(run, entry.outputs);
        } catch {
            return false;
        }
    }

    /**
     * Records a run the pipeline just made (`api`), begun at `startedAt` (Date.now()), whose
     * files `generate` wrote or `check` found on disk. Never fails: what cannot be recorded
     * is not, and the next check runs that spec in full.
     */
    async record(run: CachedRun, api: Pick<GeneratedApi, "dependencies" | "files">, startedAt: number): Promise<void> {
        try {
            if (!cacheable(run.options) || api.dependencies.some(isUrl)) return;
            const generator = await this.generator;
            // The generator changed under the run (a rebuild): which code ran is not known.
            if ((await fingerprintOrNone()) !== generator) return;
            const allowed = inputRoots(run);
            const inputs: [string, string | null][] = [];
            for (const file of await inputsOf(run, api.dependencies)) {
                if (!allowed.some((root) => isWithin(realLocation(file), root))) return;
                const hash = await settledHash(file, startedAt);
                if (hash === undefined) return;
                inputs.push([file, hash]);
            }
            const outputs = Object.fromEntries([...api.files].map(([name, text]) => [name, contentHash(text)]));
            const modules = await (this.loaded ??= loadedModules(startedAt));
            if (modules === undefined) return;
            const entry: Entry = {
                format: FORMAT,
                spec: path.resolve(run.spec),
                dir: path.resolve(run.dir),
                fingerprint: await this.fingerprint(run, generator),
                inputs,
                outputs,
                modules,
            };
            await this.write(run, entry);
        } catch {
            // A cache that cannot be written costs the next check time, nothing else.
        }
    }

    /** What shapes the output besides the input files. */
    private async fingerprint(run: CachedRun, generator: string): Promise<string> {
        const { options } = run;
        const access = confinementFor(run.spec, options.cwd);
        return contentHash(JSON.stringify({
            format: FORMAT,
            generator,
            spec: path.resolve(run.spec),
            specReal: realLocation(run.spec),
            dir: path.resolve(run.dir),
            dirReal: realLocation(run.dir),
            displayName: options.displayName ?? null,
            cwd: path.resolve(options.cwd ?? process.cwd()),
            project: access.project,
            root: access.root,
            trusted: access.trusted,
            configFile: options.configFile === undefined ? null : path.resolve(options.configFile),
            enums: options.enums ?? "enum",
            strict: options.strict === true,
        }));
    }

    private entryFile(run: CachedRun): string {
        const key = createHash("sha256").update(`${path.resolve(run.spec)}\0${path.resolve(run.dir)}`).digest("hex")
            .slice(0, 32);
        return path.join(this.dir, `${key}.json`);
    }

    private async read(run: CachedRun): Promise<Entry | undefined> {
        const file = this.entryFile(run);
        if (!this.insideProject()) return undefined;
        const stats = await lstat(file).catch(() => undefined);
        if (!stats?.isFile() || stats.size > MAX_ENTRY_BYTES) return undefined;
        const stored = JSON.parse(await readFile(file, "utf8")) as unknown;
        if (!isRecord(stored)) return undefined;
        const { checksum, ...entry } = stored;
        if (checksum !== contentHash(JSON.stringify(entry)) || !isEntry(entry)) return undefined;
        if (entry.format !== FORMAT || entry.spec !== path.resolve(run.spec) || entry.dir !== path.resolve(run.dir)) {
            return undefined;
        }
        return entry;
    }

    private async write(run: CachedRun, entry: Entry): Promise<void> {
        // Checked before and after creating it: a link on the way must not lead the write out of the project.
        if (!this.insideProject()) return;
        await mkdir(this.dir, { recursive: true });
        if (!this.insideProject() || !(await lstat(this.dir)).isDirectory()) return;
        const file = this.entryFile(run);
        const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
        try {
            await writeFile(
                temporary,
                `${JSON.stringify({ ...entry, checksum: contentHash(JSON.stringify(entry)) })}\n`,
                { flag: "wx" },
            );
            // A rename replaces the entry (or a link in its place) whole; it never writes through a link.
            await rename(temporary, file);
        } finally {
            await rm(temporary, { force: true });
        }
    }

    private insideProject(): boolean {
        const real = realLocation(this.dir);
        return isWithin(real, this.project) && isWithin(real, realLocation(path.join(this.project, "node_modules")));
    }
}

/**
 * Every dependency file (one under a `node_modules` folder) this process has loaded: the
 * main thread's scripts as V8 lists them (enabling the debugger announces each one compiled
 * so far; it is switched off again at once; in-process, no port is opened), and those
 * openapi-typescript's thread said it loaded; each recorded as it is now. Undefined if the
 * list cannot be had, or a file changed too recently to be sure it is what ran (see SETTLE_MS).
 */
async function loadedModules(startedAt: number): Promise<ModuleRecord[] | undefined> {
    try {
        const { Session } = await import("node:inspector");
        const { schemaWorkerModules } = await import("../emit/schema-file.js");
        const urls: string[] = [];
        const session = new Session();
        session.connect();
        try {
            session.on("Debugger.scriptParsed", (message) => urls.push(message.params.url));
            await new Promise<void>((resolve, reject) =>
                session.post("Debugger.enable", (error) => (error ? reject(error) : resolve()))
            );
            await new Promise<void>((resolve) => session.post("Debugger.disable", () => resolve()));
        } finally {
            session.disconnect();
        }
        const files = new Set<string>();
        for (const url of [...urls, ...schemaWorkerModules()]) {
            const file = url.startsWith("file:") ? fileURLToPath(url) : url;
            if (path.isAbsolute(file) && file.split(path.sep).includes("node_modules")) files.add(file);
        }
        const records: ModuleRecord[] = [];
        for (const file of [...files].sort()) {
            const before = await stat(file);
            if (!before.isFile() || Math.max(before.mtimeMs, before.ctimeMs) >= startedAt - SETTLE_MS) return undefined;
            const hash = contentHash(await readFile(file));
            const after = await stat(file);
            if (after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs || after.size !== before.size) {
                return undefined;
            }
            records.push([file, before.size, before.mtimeMs, before.ctimeMs, before.ino, hash]);
        }
        return records;
    } catch {
        return undefined;
    }
}

/**
 * Whether every recorded dependency file is as the run loaded it: the same stat (size, times,
 * inode; any write changes the change time), or, where the stat moved, the same bytes.
 */
async function modulesUnchanged(records: readonly ModuleRecord[]): Promise<boolean> {
    const same = await Promise.all(records.map(async ([file, size, mtimeMs, ctimeMs, ino, hash]) => {
        const now = await stat(file).catch(() => undefined);
        if (now === undefined || !now.isFile()) return false;
        if (now.size === size && now.mtimeMs === mtimeMs && now.ctimeMs === ctimeMs && now.ino === ino) return true;
        return now.size === size && contentHash(await readFile(file)) === hash;
    }));
    return same.every(Boolean);
}

/** The generator's fingerprint; if it cannot be taken, a value no other fingerprint equals. */
function fingerprintOrNone(): Promise<string> {
    return generatorFingerprint().catch(() => `unavailable ${randomBytes(16).toString("hex")}`);
}

/** Runs whose inputs cannot all be hashed here (fetched URLs, plugin code) are never cached. */
function cacheable(options: GenerateOptions): boolean {
    return options.allowRemoteRefs !== true && options.allowConfigPlugins !== true;
}

/** Where a run's inputs may be: its project, the folder its `$ref`s are confined to, an explicit config's folder. */
function inputRoots(run: CachedRun): string[] {
    const access = confinementFor(run.spec, run.options.cwd);
    const roots = [access.project, access.root];
    if (run.options.configFile !== undefined) roots.push(path.dirname(realLocation(run.options.configFile)));
    return roots;
}

/**
 * Every file a run read or would have read had it existed: its dependencies (the spec and
 * what its `$ref`s reached), then the config as the pipeline finds it: the named one, or
 * each `redocly.yaml` place from the spec's folder up to the first that exists; the files
 * that config extends or `$ref`s; the ignore file beside it.
 */
async function inputsOf(run: CachedRun, dependencies: readonly string[]): Promise<string[]> {
    const files = new Set(dependencies.map((file) => path.resolve(file)));
    const access = confinementFor(run.spec, run.options.cwd);
    if (run.options.configFile !== undefined) files.add(path.resolve(run.options.configFile));
    else if (access.trusted) {
        for (const candidate of configCandidates(run.spec, access.project)) {
            files.add(candidate);
            if (await currentHash(candidate)) break;
        }
    }
    // Redocly has been loaded by the run this records; this reads the config the same way.
    const { loadLintConfig } = await import("../spec/lint.js");
    const config = await loadLintConfig(run.spec, run.options.configFile, { ...access, allowPlugins: false });
    if (config.configPath !== undefined) {
        files.add(path.resolve(config.configPath));
        for (const resolved of config.resolvedRefMap?.values() ?? []) {
            const source = resolved.document?.source.absoluteRef;
            if (source !== undefined) {
                if (isUrl(source)) throw new Error(`the config reaches ${source}`);
                files.add(path.resolve(source));
            }
        }
        files.add(path.join(path.dirname(path.resolve(config.configPath)), ".redocly.lint-ignore.yaml"));
    }
    return [...files].sort();
}

/** The hash of a file's bytes; null if there is no such file; "not a file" for anything else there. */
async function currentHash(file: string): Promise<string | null> {
    const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
        throw error;
    });
    if (stats === null) return null;
    if (!stats.isFile()) return "not a file";
    return contentHash(await readFile(file));
}

/**
 * currentHash, for a file (or the absence of one: its folder's entries) that has not
 * changed since SETTLE_MS before `startedAt` and did not change while being read; undefined otherwise.
 */
async function settledHash(file: string, startedAt: number): Promise<string | null | undefined> {
    const settled = (stats: Stats) => Math.max(stats.mtimeMs, stats.ctimeMs) < startedAt - SETTLE_MS;
    const before = await stat(file).catch(() => undefined);
    if (before === undefined) {
        const folder = await stat(path.dirname(file)).catch(() => undefined);
        return folder?.isDirectory() && settled(folder) && (await currentHash(file)) === null ? null : undefined;
    }
    if (!before.isFile() || !settled(before)) return undefined;
    const hash = contentHash(await readFile(file));
    const after = await stat(file);
    const same = after.size === before.size && after.mtimeMs === before.mtimeMs && after.ctimeMs === before.ctimeMs
        && after.ino === before.ino;
    return same ? hash : undefined;
}

/**
 * Whether the folder holds exactly `outputs` as the full check's comparison (folderDrift)
 * would find it: no interrupted replacement, each file there with that content, and no file
 * its manifest claims beyond them. Two cross-checks that do not trust the entry: the
 * manifest on disk must list exactly those files and hashes, and every generated file must
 * open with the header naming the spec's current text (its hash), as the pipeline writes it.
 */
async function folderHolds(run: CachedRun, outputs: Readonly<Record<string, string>>): Promise<boolean> {
    const { dir } = run;
    if (!Object.hasOwn(outputs, MANIFEST_FILE) || !(await lstat(dir)).isDirectory() || (await hasPendingJournal(dir))) {
        return false;
    }
    const header = fileHeader({ file: path.resolve(run.spec), hash: specHash(await readFile(run.spec, "utf8")) });
    const texts = new Map<string, string>();
    for (const [name, hash] of Object.entries(outputs)) {
        if (!isPlainName(name)) return false;
        const text = await readFile(path.join(dir, name), "utf8").catch(() => undefined);
        if (text === undefined || contentHash(text) !== hash) return false;
        if (name !== MANIFEST_FILE && !text.startsWith(`${header}\n`)) return false;
        texts.set(name, text);
    }
    const listed = (JSON.parse(texts.get(MANIFEST_FILE)!) as { files?: unknown }).files;
    const generated = Object.entries(outputs).filter(([name]) => name !== MANIFEST_FILE);
    if (
        !isRecord(listed) || Object.keys(listed).length !== generated.length
        || generated.some(([name, hash]) => listed[name] !== hash)
    ) return false;
    return (await ownedFiles(dir)).every((name) => Object.hasOwn(outputs, name));
}

/**
 * The generator as it runs: its code files (this module's folder: dist, or the sources under
 * a test runner), its package.json, the version of each package it depends on as installed,
 * npm's record of the installed tree, the runtime's code, and Node's version.
 */
export async function generatorFingerprint(
    codeRoot = CODE_ROOT,
    packageFile = GENERATOR_PACKAGE?.file,
): Promise<string> {
    const hash = createHash("sha256");
    const add = (label: string, value: string) => hash.update(`${label}\0${value}\0`);
    add("node", `${process.version} icu ${process.versions.icu ?? "-"} unicode ${process.versions.unicode ?? "-"}`);
    for (const file of await codeFiles(codeRoot)) add(path.relative(codeRoot, file), contentHash(await readFile(file)));
    if (packageFile !== undefined) {
        const text = await readFile(packageFile);
        add("package.json", contentHash(text));
        const pkg = JSON.parse(text.toString("utf8")) as Record<string, Record<string, string> | undefined>;
        const names = new Set([
            ...Object.keys(pkg.dependencies ?? {}),
            ...Object.keys(pkg.peerDependencies ?? {}),
            ...Object.keys(pkg.optionalDependencies ?? {}),
        ]);
        for (const name of [...names].sort()) {
            const dir = installedPackage(name, codeRoot);
            const version = dir === undefined
                ? "missing"
                : (JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { version?: string }).version;
            add(`dependency ${name}`, `${dir ?? ""} ${version ?? "?"}`);
        }
        // The runtime whose contract the generator emits against (joinkit/runtime): built and source.
        const client = installedPackage("joinkit", codeRoot);
        for (
            const folder of client === undefined
                ? []
                : [path.join(client, "dist/src/runtime"), path.join(client, "src/runtime")]
        ) {
            for (const file of await codeFiles(folder)) {
                add(`runtime ${path.relative(client!, file)}`, contentHash(await readFile(file)));
            }
        }
    }
    for (let dir = codeRoot;; dir = path.dirname(dir)) {
        const lock = await readFile(path.join(dir, "node_modules", ".package-lock.json")).catch(() => undefined);
        if (lock !== undefined) add(`lock ${dir}`, contentHash(lock));
        if (path.dirname(dir) === dir) break;
    }
    return `sha256:${hash.digest("hex")}`;
}

/** Code files under `dir` (JavaScript and TypeScript, not declarations), sorted; none if it is missing. */
async function codeFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const files: string[] = [];
    for (const entry of entries) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules" && entry.name !== "dist" && !entry.name.startsWith(".")) {
                files.push(...(await codeFiles(file)));
            }
        } else if (/\.[cm]?[jt]s$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) files.push(file);
    }
    return files.sort();
}

/** The folder of a package as Node finds it from `from` (node_modules folders upwards), real path. */
function installedPackage(name: string, from: string): string | undefined {
    for (let dir = from;; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", name);
        if (existsSync(path.join(candidate, "package.json"))) return realLocation(candidate);
        if (path.dirname(dir) === dir) return undefined;
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isEntry(value: Record<string, unknown>): value is Entry & Record<string, unknown> {
    const { format, spec, dir, fingerprint, inputs, outputs, modules } = value;
    return typeof format === "string" && typeof spec === "string" && typeof dir === "string"
        && typeof fingerprint === "string"
        && Array.isArray(inputs)
        && inputs.every((input) =>
            Array.isArray(input) && input.length === 2 && typeof input[0] === "string" && path.isAbsolute(input[0])
            && (typeof input[1] === "string" || input[1] === null)
        )
        && isRecord(outputs) && Object.values(outputs).every((hash) => typeof hash === "string")
        && Array.isArray(modules)
        && modules.every((record) =>
            Array.isArray(record) && record.length === 6 && typeof record[0] === "string" && path.isAbsolute(record[0])
            && record.slice(1, 5).every((n) => typeof n === "number") && typeof record[5] === "string"
        );
}
