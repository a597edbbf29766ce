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
 * time is printed to stderr, so the pipeline can be measured without a profiler.
 */
export async function runStage<In, Out>(stage: Stage<In, Out>, input: In, context: StageContext): Promise<Out> {
    const started = timing ? performance.now() : 0;
    let output: Out | undefined;
    try {
        output = await stage.run(input, context);
    } catch (error) {
        if (error instanceof SpecError) context.problems.push(...error.problems);
        else if (stage.refuseThrown) {
            const message = (error as Error)?.message ?? String(error);
            context.problems.push({ file: context.displayName, rule: stage.name, message: stage.refuseThrown(message), severity: "error" });
        } else throw error;
    } finally {
        if (timing) process.stderr.write(`joinkit: ${context.displayName} ${stage.name} ${(performance.now() - started).toFixed(1)} ms\n`);
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

const timing = process.env.JOINKIT_TIMINGS === "1";
