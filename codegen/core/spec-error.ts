import { printableLine } from "./terminal.js";

/** One problem found in a spec, located precisely enough to jump to. */
export interface SpecProblem {
    readonly file: string;
    readonly line?: number;
    readonly column?: number;
    /** JSON pointer of the offending node, when known. */
    readonly pointer?: string;
    /** The lint rule or check that found it. */
    readonly rule: string;
    readonly message: string;
    readonly severity: "error" | "warning";
}

/** A spec that cannot be turned into a client. Carries every problem found. */
export class SpecError extends Error {
    readonly problems: readonly SpecProblem[];
    /**
     * The files the spec was found to depend on before it was refused (the spec and what its
     * `$ref`s reach), so a watcher can wait for a fix in any of them; empty if not known.
     */
    readonly dependencies: readonly string[];

    constructor(problems: readonly SpecProblem[], dependencies: readonly string[] = []) {
        super(problems.filter((p) => p.severity === "error").map(formatProblem).join("\n"));
        this.name = "SpecError";
        this.problems = problems;
        this.dependencies = dependencies;
    }
}

/**
 * `file:line:column rule: message`, the shape editors and CI logs link from. One line,
 * always: spec text in it has its control characters escaped (see terminal.ts).
 */
export function formatProblem(problem: SpecProblem): string {
    const where = [problem.file, problem.line, problem.line === undefined ? undefined : problem.column]
        .filter((part) => part !== undefined)
        .join(":");
    const pointer = problem.pointer ? ` (at ${problem.pointer})` : "";
    return printableLine(`${where} ${problem.severity} ${problem.rule}: ${problem.message}${pointer}`);
}
