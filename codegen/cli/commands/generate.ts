import path from "node:path";
import { interrupted, type CommandContext } from "../context.js";
import { log, logError, reportProblems } from "../report.js";
import { recoverFolder, refuseUnsafeLocation, type FolderPlan } from "../../output/folder.js";
import { generateApi, type GeneratedApi } from "../../pipeline.js";
import { startRecording } from "../../output/check-cache.js";
import {
    apiName,
    generateWorkspace,
    recoverWorkspace,
    singleSpec,
    singleSpecRun,
    specRuns,
    workspaceAt,
    writeOutput,
    writeWorkspace,
} from "../../output/workspace.js";

/** `joinkit generate`: every spec in specs/, or one document (`--spec`/`--out`); `--watch` keeps going. */
export async function generate(context: CommandContext): Promise<number> {
    const { spec, out, options } = context;
    if (options.watch) return watch(context);
    if (spec !== undefined && out !== undefined) return generateOne(context, spec, out);
    return generateAll(context);
}

async function generateOne(
    { access, cwd, options, verbose }: CommandContext,
    spec: string,
    outDir: string,
): Promise<number> {
    const started = performance.now();
    const workspace = singleSpec(cwd, spec, outDir);
    const displayName = options.out!;
    const outputOptions = {
        project: workspace.project,
        specs: [spec],
        allowForeign: options["allow-nonempty-out"] === true,
        displayName,
    };
    // Refuse an unsafe --out before spending time on the spec, and again (with what it holds
    // then) just before writing.
    refuseUnsafeLocation(outDir, outputOptions);
    await recoverFolder(outDir);
    const checkCache = startRecording(cwd); // for `joinkit check` (check-cache.ts)
    const run = singleSpecRun(spec, outDir, access);
    const api = await generateApi(spec, { ...run.options, typecheckAs: options.typecheck ? outDir : undefined });
    const plan = await writeOutput(outDir, api.files, outputOptions);
    await checkCache.written([run], new Map([[run.name, api]]));
    reportProblems(api.warnings, verbose);
    reportKept(plan);
    log(`${summary(apiName(spec), api, outDir)} (${Math.round(performance.now() - started)} ms)`);
    return 0;
}

async function generateAll({ access, cwd, verbose }: CommandContext): Promise<number> {
    const started = performance.now();
    const checkCache = startRecording(cwd); // for `joinkit check` (check-cache.ts)
    const workspace = workspaceAt(cwd);
    // A run killed midway is finished (or undone) first, even if this run then fails.
    await recoverWorkspace(workspace);
    const runs = await specRuns(workspace, access);
    const apis = await generateWorkspace(workspace, access, runs);
    const plans = await writeWorkspace(workspace, apis);
    await checkCache.written(runs, apis);
    for (const [name, api] of apis) {
        reportProblems(api.warnings, verbose);
        log(summary(name, api, path.join(workspace.generatedDir, name)));
    }
    plans.forEach(reportKept);
    log(`joinkit: generated ${apis.size} spec(s) in ${Math.round(performance.now() - started)} ms`);
    return 0;
}

async function watch({ access, cwd, spec, out, options }: CommandContext): Promise<number> {
    const { watchWorkspace } = await import("../../output/watch.js");
    const single = spec !== undefined && out !== undefined;
    if (single) {
        refuseUnsafeLocation(out, {
            project: singleSpec(cwd, spec, out).project,
            specs: [spec],
            displayName: options.out,
        });
        await recoverFolder(out);
    } else {
        await recoverWorkspace(workspaceAt(cwd));
    }
    const workspace = single ? singleSpec(cwd, spec, out) : workspaceAt(cwd);
    const watcher = watchWorkspace(
        workspace,
        log,
        logError,
        access,
        single ? { single: { allowForeign: options["allow-nonempty-out"] === true } } : {},
    );
    await watcher.ready;
    await interrupted();
    await watcher.close();
    log("joinkit: stopped watching");
    return 0;
}

/** Says which files the user had put in an output folder (kept) and which hand edits were replaced. */
function reportKept(plan: FolderPlan): void {
    if (plan.foreign.length > 0) {
        log(`${plan.displayName}: kept ${plan.foreign.length} file(s) joinkit did not write: ${
            plan.foreign.join(", ")
        }`);
    }
    for (const file of plan.editedAndReplaced) {
        logError(
            `${plan.displayName}/${file}: had been edited by hand; the edit was replaced (never edit generated files: change the spec)`,
        );
    }
}

function summary(name: string, api: GeneratedApi, outDir: string): string {
    const { operations, operationsFound, catalogues } = api.model;
    return `${name}: ${operations.length} of ${operationsFound} operation(s), ${catalogues.length} error catalogue(s) → ${
        path.relative(process.cwd(), outDir) || outDir
    }`;
}
