import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { SpecError } from "../core/spec-error.js";

/** Editors save in bursts (truncate, write, rename, a second file); act once per burst. */
const DEBOUNCE_MS = 60;

/** What a watcher rebuilds, and how: `generate --watch` and `docs --serve` each give one. */
export interface WatchPlan {
    /** The specs to build; asked again whenever a spec file appears in or leaves `folder`. */
    listSpecs(): Promise<string[]>;
    /** The folder new spec files appear in (`specs/`); none for one document named with --spec. */
    readonly folder?: string;
    isSpecFile(file: string): boolean;
    /** Builds one spec's output; resolves to every file it depends on. Throws to refuse. */
    build(spec: string): Promise<readonly string[]>;
    /** The spec file is gone: drop what was built from it. */
    removed(spec: string): Promise<void>;
    /** A build (or removal) threw: say so. The last good output stays; the next save retries. */
    failed(spec: string, error: unknown): void;
}

export interface SpecWatcher {
    /** Resolves once every spec has been built (unless already built) and its files are watched. */
    readonly ready: Promise<void>;
    /** Stops watching; resolves once a build under way has finished. */
    close(): Promise<void>;
}

/**
 * Watches every spec and every file its `$ref`s reach (as each build reports them), and
 * after a save rebuilds only the specs that depend on the saved file, one build at a time
 * in the order saves happened. The watched set follows each build, so a newly `$ref`'d
 * file is watched from then on and a dropped one no longer is. Nothing a build throws stops
 * later rebuilds.
 *
 * `built` gives the dependencies of specs a caller has already built; the rest are built
 * first.
 */
export function watchSpecs(plan: WatchPlan, built?: ReadonlyMap<string, readonly string[]>): SpecWatcher {
    const dependencies = new Map<string, ReadonlySet<string>>();
    const changed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let queue = Promise.resolve();
    const watchers: FSWatcher[] = [];
    /** The files watched besides the folder. */
    const watching = new Set<string>();
    let closed = false;

    const run = (work: () => Promise<void>) => {
        queue = queue.then(work).catch((error: unknown) => plan.failed("", error));
        return queue;
    };

    const rebuild = async (spec: string) => {
        try {
            dependencies.set(spec, new Set([spec, ...(await plan.build(spec)).map((file) => path.resolve(file))]));
        } catch (error) {
            // A broken spec still has its spec watched, the files it was found to depend on
            // before it was refused, and the files its problems name (a part with a syntax
            // error), so saving the fix recovers.
            const named = error instanceof SpecError
                ? [...error.dependencies, ...error.problems.map((p) => p.file)].map((file) => path.resolve(file))
                    .filter((file) => existsSync(file))
                : [];
            dependencies.set(spec, new Set([spec, ...(dependencies.get(spec) ?? []), ...named]));
            plan.failed(spec, error);
        }
    };

    const remove = async (spec: string) => {
        dependencies.delete(spec);
        try {
            await plan.removed(spec);
        } catch (error) {
            plan.failed(spec, error);
        }
    };

    /**
     * Watch exactly the spec folder and what the specs depend on now. A file newly depended
     * on is watched before this resolves, and if it was saved after `since` (while the build
     * that found it ran) it counts as changed, so no save falls between build and watch.
     */
    const retarget = async (since: number) => {
        if (closed) return;
        const wanted = new Set<string>();
        for (const files of dependencies.values()) for (const file of files) wanted.add(file);
        const adding = [...wanted].filter((file) => !watching.has(file));
        // chokidar's unwatch also silences a path for the folder's watch: spec files are never unwatched.
        const dropping = [...watching].filter((file) => !wanted.has(file) && !isInFolder(file));
        for (const file of dropping) watching.delete(file);
        if (dropping.length > 0) { for (const watcher of watchers) watcher.unwatch(dropping); }
        if (adding.length === 0) return;
        for (const file of adding) watching.add(file);
        // A watcher of their own, because chokidar's add() gives no sign of when it is watching.
        await startWatcher(adding);
        for (const file of adding) {
            const saved = await stat(file).then((stats) => stats.mtimeMs, () => 0);
            if (saved > since) onEvent("change", file);
        }
    };

    const startWatcher = async (paths: string[]) => {
        // `atomic` folds an editor's delete-and-rename save into one change.
        const watcher = watch(paths, { ignoreInitial: true, depth: 0, atomic: true });
        watchers.push(watcher);
        watcher.on("all", onEvent);
        watcher.on("error", (error) => plan.failed("", error));
        await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
    };

    const isInFolder = (file: string) => plan.folder !== undefined && path.dirname(file) === plan.folder;

    const flush = () => {
        timer = undefined;
        const files = [...changed];
        changed.clear();
        void run(async () => {
            const since = Date.now();
            const affected = new Set<string>();
            for (const file of files) {
                for (const [spec, deps] of dependencies) if (deps.has(file)) affected.add(spec);
                if (isInFolder(file) && plan.isSpecFile(path.basename(file))) affected.add(file);
            }
            for (const spec of [...affected].sort()) {
                if (closed) return;
                const listed = plan.folder === undefined || (await plan.listSpecs()).includes(spec);
                if (listed && existsSync(spec)) await rebuild(spec);
                else if (dependencies.has(spec)) await remove(spec);
            }
            await retarget(since);
        });
    };

    const onEvent = (_event: string, file: string) => {
        changed.add(path.resolve(file));
        clearTimeout(timer);
        timer = setTimeout(flush, DEBOUNCE_MS);
    };

    const ready = (async () => {
        const specs = await plan.listSpecs();
        for (const spec of specs) {
            const known = built?.get(spec);
            if (known) dependencies.set(spec, new Set([spec, ...known.map((file) => path.resolve(file))]));
            else await run(() => rebuild(spec));
        }
        await queue;
        if (closed) return;
        for (const files of dependencies.values()) for (const file of files) watching.add(file);
        await startWatcher([...(plan.folder === undefined ? [] : [plan.folder]), ...watching]);
    })();

    return {
        ready,
        async close() {
            closed = true;
            clearTimeout(timer);
            await ready.catch(() => undefined);
            await queue;
            await Promise.all(watchers.map((watcher) => watcher.close()));
        },
    };
}
