import { SpecError, type SpecProblem } from "./spec-error.js";

/**
 * What every stage of the pipeline shares besides its input: the problems found so far
 * (warnings and errors, in the order found) and the files the output depends on.
 */
export interface StageContext {
    readonly problems: SpecProblem[];
    /** Absolute paths: the spec and every file its `$ref`s reach, once known. */
    readonly dependencies: Set<string>;
    /** The spec as named in messages: where an unlocated failure is reported. */
    readonly displayName: string;
}

/**
 * One step of the pipeline: takes the previous stage's result and the context, returns its
 * own. A stage reports what it finds by pushing problems to the context (or by throwing a
 * SpecError); any error among them stops the pipeline once the stage has finished, so one
 * run reports everything a stage can find, and no later stage sees input it cannot use.
 */
export interface Stage<In, Out> {
    readonly name: string;
    run(input: In, context: StageContext): Out | Promise<Out>;
    /**
     * Libraries throw, rather than report, on some malformed input: such a throw becomes
     * one located problem (rule: the stage's name) with this message. Without it, a throw
     * that is not a SpecError is a joinkit bug and propagates as such.
     */
    readonly refuseThrown?: (message: string) => string;
}

export function createContext(displayName: string): StageContext {
    return { problems: [], dependencies: new Set(), displayName };
}

/**
 * Runs one stage under the convention above. With `JOINKIT_TIMINGS=1` each stage's wall
 * time (and, on Node >= 23.9, this thread's CPU time in it: on a loaded machine the wall
 * time mostly measures the other processes) is printed to stderr, so the pipeline can be
 * measured without a profiler.
 */
export async function runStage<In, Out>(stage: Stage<In, Out>, input: In, context: StageContext): Promise<Out> {
    const started = timing ? performance.now() : 0;
    const cpuStarted = timing ? threadCpuMs() : undefined;
    let output: Out | undefined;
    try {
        output = await stage.run(input, context);
    } catch (error) {
        if (error instanceof SpecError) context.problems.push(...error.problems);
        else if (stage.refuseThrown) {
            const message = (error as Error)?.message ?? String(error);
            context.problems.push({
                file: context.displayName,
                rule: stage.name,
                message: stage.refuseThrown(message),
                severity: "error",
            });
        } else throw error;
    } finally {
        if (timing) report(`${context.displayName} ${stage.name}`, started, cpuStarted);
    }
    stopOnError(context);
    return output as Out;
}

/** The stage boundary: an error stops the run with every problem found so far. */
export function stopOnError(context: StageContext): void {
    if (context.problems.some((p) => p.severity === "error")) {
        throw new SpecError(context.problems, [...context.dependencies].sort());
    }
}

/**
 * Stages run ahead of an earlier stage's verdict: their problems and failure are held back
 * (see `runAhead`), so what the user is told is what running them afterwards would say.
 */
export interface Ahead<T> {
    readonly context: StageContext;
    readonly outcome: { readonly done: true; readonly value: T } | { readonly done: false; readonly error: unknown };
}

/**
 * Runs stages in a context of their own, keeping their result or the error that stopped
 * them instead of throwing it: a later `rejoin` decides, once the stages they were run
 * ahead of have passed.
 */
export async function runAhead<T>(
    context: StageContext,
    stages: (ahead: StageContext) => Promise<T>,
): Promise<Ahead<T>> {
    const ahead = createContext(context.displayName);
    try {
        return { context: ahead, outcome: { done: true, value: await stages(ahead) } };
    } catch (error) {
        return { context: ahead, outcome: { done: false, error } };
    }
}

/**
 * Takes stages that ran ahead back into the run, as if they had run now: their problems
 * follow the ones found meanwhile, their dependencies join, and what stopped them stops
 * the run here (a SpecError with every problem found; any other error as it is).
 */
export function rejoin<T>(ahead: Ahead<T>, context: StageContext): T {
    context.problems.push(...ahead.context.problems);
    for (const file of ahead.context.dependencies) context.dependencies.add(file);
    stopOnError(context);
    if (!ahead.outcome.done) throw ahead.outcome.error;
    return ahead.outcome.value;
}

const timing = process.env.JOINKIT_TIMINGS === "1";

/** One timing line: wall ms, this thread's CPU ms in the stage and in all, the heap and the process's RSS. */
function report(what: string, started: number, cpuStarted: number | undefined): void {
    const parts: string[] = [];
    const cpu = threadCpuMs();
    if (cpu !== undefined && cpuStarted !== undefined) {
        parts.push(`cpu ${(cpu - cpuStarted).toFixed(1)} ms, ${cpu.toFixed(0)} ms since the thread started`);
    }
    const { rss, heapUsed } = process.memoryUsage();
    parts.push(`heap ${(heapUsed / 2 ** 20).toFixed(0)} MB, process rss ${(rss / 2 ** 20).toFixed(0)} MB`);
    process.stderr.write(`joinkit: ${what} ${(performance.now() - started).toFixed(1)} ms (${parts.join("; ")})\n`);
}

/** This thread's CPU time in ms (Node >= 23.9), else undefined. */
function threadCpuMs(): number | undefined {
    const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
    return usage && (usage.user + usage.system) / 1000;
}
