import { summariseProblems } from "./problem-summary.js";
import type { SpecProblem } from "../core/spec-error.js";
import { printable } from "../core/terminal.js";

/** Every line joinkit prints goes through here: spec text in it cannot drive the terminal. */
export function log(line: string): void {
    console.log(printable(line));
}

export function logError(line: string): void {
    console.error(printable(line));
}

/**
 * What no check foresaw still ends as one message, not a stack trace (set JOINKIT_DEBUG=1
 * for the stack). Exit code 1, like any refusal.
 */
export function internalError(error: unknown): number {
    const err = error as NodeJS.ErrnoException;
    const where = err?.path ? ` (${err.path})` : "";
    logError(`joinkit: failed: ${err?.message ?? String(error)}${where}`);
    if (process.env.JOINKIT_DEBUG) logError(String(err?.stack ?? ""));
    else {logError(
            "joinkit: this is a bug in joinkit if the message does not say what to change; JOINKIT_DEBUG=1 shows where it happened",
        );}
    return 1;
}

/** `--verbose`: every warning, not a count per rule and the first few. */
export function reportProblems(problems: readonly SpecProblem[], verbose: boolean): void {
    for (const line of summariseProblems(problems, verbose)) logError(line);
}
