import { readFile } from "node:fs/promises";
import path from "node:path";
import { generateApi, type GenerateOptions } from "../pipeline.js";
import { formatProblem, SpecError } from "../core/spec-error.js";
import { watchSpecs, type SpecWatcher } from "./spec-watcher.js";
import {
    apiName,
    isSpecFile,
    listSpecs,
    specFolders,
    writeOutput,
    writeWorkspace,
    type Workspace,
} from "./workspace.js";

type Log = (line: string) => void;

export interface WatchOutput {
    /** One document (`--spec`) written to `workspace.generatedDir` itself (`--out`), not to a folder per spec. */
    readonly single?: { readonly allowForeign: boolean };
}

/**
 * `generate --watch`: regenerates a spec's output whenever the spec, or a file its `$ref`s
 * reach, is saved. A save that breaks the spec prints the problems, located, and keeps the
 * last good output; the save that fixes it regenerates.
 */
export function watchWorkspace(
    workspace: Workspace,
    log: Log,
    logError: Log,
    options: GenerateOptions = {},
    output: WatchOutput = {},
): SpecWatcher {
    const shown = (file: string) => path.relative(process.cwd(), file) || file;
    const outDirOf = (
        spec: string,
    ) => (output.single ? workspace.generatedDir : path.join(workspace.generatedDir, apiName(spec)));

    const watcher = watchSpecs({
        folder: output.single ? undefined : workspace.specsDir,
        listSpecs: () => listSpecs(workspace),
        isSpecFile,
        async build(spec) {
            const name = apiName(spec);
            const outDir = outDirOf(spec);
            const started = performance.now();
            if (!output.single) specFolders(await listSpecs(workspace)); // a spec whose name is unsafe or taken is refused, not written
            const api = await generateApi(spec, { ...options, displayName: shown(spec), cwd: workspace.root });
            const changed: string[] = [];
            for (const [file, text] of api.files) {
                if ((await readFile(path.join(outDir, file), "utf8").catch(() => undefined)) !== text) {
                    changed.push(file);
                }
            }
            if (changed.length > 0) {
                if (output.single) {
                    await writeOutput(outDir, api.files, {
                        project: workspace.project,
                        specs: [spec],
                        allowForeign: output.single.allowForeign,
                        displayName: shown(outDir),
                    });
                } else {
                    // Exactly as `generate` writes it (generated/ refused if it leads out of the project, …).
                    await writeWorkspace(workspace, new Map([[name, api]]), new Set([name]));
                }
            }
            const ms = Math.round(performance.now() - started);
            log(`${name}: ${changed.length > 0 ? `regenerated ${changed.join(", ")}` : "no changes"} (${ms} ms)`);
            return api.dependencies;
        },
        async removed(spec) {
            const outDir = outDirOf(spec);
            if (output.single) {
                return logError(
                    `${shown(spec)}: deleted; ${shown(outDir)} keeps its output (restore the file to regenerate)`,
                );
            }
            // Only the files joinkit wrote go; anything the user put there stays.
            await writeWorkspace(workspace, new Map(), new Set([apiName(spec)]));
            log(`${apiName(spec)}: spec deleted; removed joinkit's files from ${shown(outDir)}`);
        },
        failed(spec, error) {
            const name = spec ? apiName(spec) : "joinkit";
            if (error instanceof SpecError) {
                for (const problem of error.problems) logError(formatProblem(problem));
                logError(`${name}: not regenerated; ${shown(outDirOf(spec))} keeps its last good output`);
            } else {
                logError(
                    `${name}: regenerating failed: ${
                        (error as Error)?.message ?? String(error)
                    }; the next save tries again`,
                );
            }
        },
    });
    void watcher.ready.then(
        () =>
            log(`joinkit: watching ${
                output.single ? shown(listSpecsSync(workspace)) : shown(workspace.specsDir)
            } and the files their $refs reach (Ctrl-C to stop)`),
        () => undefined,
    );
    return watcher;
}

function listSpecsSync(workspace: Workspace): string {
    return workspace.specFiles?.join(", ") ?? workspace.specsDir;
}
