import path from "node:path";
import type { CommandContext } from "../context.js";
import { log, reportProblems } from "../report.js";
import { lintApi } from "../../pipeline.js";
import { SpecError } from "../../core/spec-error.js";
import { listSpecs, workspaceAt } from "../../output/workspace.js";

/** `joinkit lint`: the pipeline up to lint for every spec (or one), reporting every problem. */
export async function lint({ access, cwd, spec, verbose }: CommandContext): Promise<number> {
    const specs = spec !== undefined ? [spec] : await listSpecs(workspaceAt(cwd));
    let failed = false;
    for (const file of specs) {
        const displayName = path.relative(process.cwd(), file) || file;
        try {
            const { problems } = await lintApi(file, { ...access, displayName });
            reportProblems(problems, verbose);
            failed ||= problems.some((p) => p.severity === "error");
            if (problems.length === 0) log(`${displayName}: no problems`);
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            reportProblems(error.problems, verbose);
            failed = true;
        }
    }
    return failed ? 1 : 0;
}
