import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeFolder } from "./output.js";
import { generateApi, type GenerateOptions, type GeneratedApi } from "./pipeline.js";
import { formatProblem, SpecError } from "./spec-error.js";
import { apiName, isSpecFile, listSpecs, specFolders, type Workspace } from "./workspace.js";

/** Saves arrive as bursts of events (truncate, write, rename); act once per burst. */
const DEBOUNCE_MS = 40;

export interface Watcher {
    /** Resolves after the first full generation. */
    readonly ready: Promise<void>;
    /** Stops watching; resolves once a generation under way has finished writing. */
    close(): Promise<void>;
}

type Log = (line: string) => void;

/**
 * Regenerates a spec's output whenever the spec, or a file its `$ref`s reach, changes. A
 * save that breaks the spec prints the problems and keeps the last good output.
 */
export function watchWorkspace(workspace: Workspace, log: Log, logError: Log, options: GenerateOptions = {}): Watcher {
    const dependencies = new Map<string, readonly string[]>();
    const timers = new Map<string, NodeJS.Timeout>();
    let queue = Promise.resolve();

    const regenerate = async (spec: string): Promise<void> => {
        const name = apiName(spec);
        const outDir = path.join(workspace.generatedDir, name);
        const started = performance.now();
        let api: GeneratedApi;
        try {
            specFolders(await listSpecs(workspace)); // a spec whose name is unsafe or taken is refused, not written
            api = await generateApi(spec, { ...options, displayName: path.relative(process.cwd(), spec), cwd: workspace.root });
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            for (const problem of error.problems) logError(formatProblem(problem));
            logError(`${name}: not regenerated; generated/${name} keeps its last good output`);
            return;
        }
        dependencies.set(spec, api.dependencies);
        const changed: string[] = [];
        for (const [file, text] of api.files) {
            const current = await readFile(path.join(outDir, file), "utf8").catch(() => undefined);
            if (current !== text) changed.push(file);
        }
        if (changed.length > 0) {
            try {
                await writeFolder(outDir, api.files, { allowForeign: true, displayName: path.relative(process.cwd(), outDir) });
            } catch (error) {
                if (!(error instanceof SpecError)) throw error;
                for (const problem of error.problems) logError(formatProblem(problem));
                logError(`${name}: not written; generated/${name} is as it was`);
                return;
            }
        }
        const ms = Math.round(performance.now() - started);
        log(`${name}: ${changed.length > 0 ? `regenerated ${changed.join(", ")}` : "no changes"} (${ms} ms)`);
    };

    // One generation at a time, in the order saves happened.
    const enqueue = (spec: string) => {
        queue = queue.then(() => regenerate(spec)).catch((error: Error) => logError(`joinkit: ${error.message}`));
    };

    const onChange = (file: string) => {
        const changed = path.join(workspace.specsDir, file);
        const affected = [...dependencies].filter(([, deps]) => deps.includes(changed)).map(([spec]) => spec);
        if (isSpecFile(file) && !affected.includes(changed) && !dependencies.has(changed)) affected.push(changed);
        for (const spec of affected) {
            clearTimeout(timers.get(spec));
            timers.set(
                spec,
                setTimeout(() => {
                    timers.delete(spec);
                    enqueue(spec);
                }, DEBOUNCE_MS),
            );
        }
    };

    let watcher: FSWatcher | undefined;
    const ready = (async () => {
        // Watch before the first generation so a save made meanwhile is not missed.
        watcher = watch(workspace.specsDir, (_event, file) => file && onChange(file.toString()));
        for (const spec of await listSpecs(workspace)) enqueue(spec);
        await queue;
        log(`joinkit: watching ${path.relative(process.cwd(), workspace.specsDir) || workspace.specsDir} (Ctrl-C to stop)`);
    })();

    return {
        ready,
        async close() {
            watcher?.close();
            for (const timer of timers.values()) clearTimeout(timer);
            await queue;
        },
    };
}
