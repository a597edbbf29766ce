import { formatProblem, type SpecProblem } from "../core/spec-error.js";

/** Warnings shown one by one before the rest are only counted (all with `--verbose`). */
export const WARNINGS_SHOWN = 5;

/**
 * The lines to print for a spec's problems. Errors that share a root cause (same rule, same
 * message: a broken file referenced 400 times) are printed once with their count. Warnings
 * are counted per rule, and the first few shown; `verbose` shows every one.
 */
export function summariseProblems(problems: readonly SpecProblem[], verbose = false): string[] {
    const byFile = new Map<string, SpecProblem[]>();
    for (const problem of problems) {
        const list = byFile.get(problem.file);
        if (list) list.push(problem);
        else byFile.set(problem.file, [problem]);
    }
    return [...byFile.values()].flatMap((fileProblems) => summariseFile(fileProblems, verbose));
}

function summariseFile(problems: readonly SpecProblem[], verbose: boolean): string[] {
    const lines: string[] = [];
    const errors = problems.filter((p) => p.severity === "error");
    const warnings = problems.filter((p) => p.severity === "warning");

    const groups = new Map<string, SpecProblem[]>();
    for (const error of errors) {
        const key = `${error.rule}\0${error.message}`;
        const group = groups.get(key);
        if (group) group.push(error);
        else groups.set(key, [error]);
    }
    for (const group of groups.values()) {
        const more = group.length - 1;
        if (verbose || more === 0) lines.push(...group.map(formatProblem));
        else {lines.push(
                `${formatProblem(group[0]!)} (and ${more} more place${more === 1 ? "" : "s"} with the same cause)`,
            );}
    }

    if (warnings.length === 0) return lines;
    if (verbose || warnings.length <= WARNINGS_SHOWN) return [...lines, ...warnings.map(formatProblem)];
    const perRule = new Map<string, number>();
    for (const warning of warnings) perRule.set(warning.rule, (perRule.get(warning.rule) ?? 0) + 1);
    const counts = [...perRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    lines.push(
        `${warnings[0]!.file}: ${warnings.length} warnings (${
            counts.map(([rule, n]) => `${rule} ×${n}`).join(", ")
        }); the first ${WARNINGS_SHOWN}:`,
        ...warnings.slice(0, WARNINGS_SHOWN).map((w) => `  ${formatProblem(w)}`),
        `  … ${warnings.length - WARNINGS_SHOWN} more: rerun with --verbose to list them all`,
    );
    return lines;
}
