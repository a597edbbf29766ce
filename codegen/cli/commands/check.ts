import path from "node:path";
import { openCheckCache } from "../../output/check-cache.js";
import type { CommandContext } from "../context.js";
import { log, logError } from "../report.js";
import type { GeneratedApi } from "../../pipeline.js";
import {
    folderDrift,
    generateWorkspace,
    singleSpecRun,
    specRuns,
    strayFolders,
    workspaceAt,
    type Drift,
    type SpecRun,
} from "../../output/workspace.js";

const REASONS: Record<Drift["reason"], string> = {
    changed: "differs from what its spec generates",
    missing: "missing",
    unexpected: "not generated from any spec",
    interrupted: "an interrupted generate left it half-replaced",
};

/**
 * `joinkit check`: generates in memory and compares with what is on disk; writes nothing
 * but its cache. A spec whose inputs, options and generator are those of a run that
 * generated or verified the folder as it is now is not generated again (check-cache.ts);
 * `--no-cache` generates and compares every spec.
 */
export async function check({ access, cwd, spec, out, options }: CommandContext): Promise<number> {
    const startedAt = Date.now();
    const single = spec !== undefined && out !== undefined;
    const workspace = single ? undefined : workspaceAt(cwd);
    const runs = workspace === undefined ? [singleSpecRun(spec!, out!, access)] : await specRuns(workspace, access);
    const cache = options["no-cache"] === true ? undefined : await openCheckCache(cwd);

    const misses: SpecRun[] = [];
    for (const run of runs) if (!(await cache?.upToDate(run))) misses.push(run);
    const apis = misses.length === 0 ? new Map<string, GeneratedApi>() : await generate(misses, workspace);

    const relative = workspace === undefined
        ? (file: string) => path.relative(cwd, file) || file
        : (file: string) => path.relative(workspace.root, file);
    const drift: Drift[] = [];
    for (const run of misses) {
        const api = apis.get(run.name)!;
        const found = await folderDrift(run.dir, api, relative);
        drift.push(...found);
        if (found.length === 0) await cache?.record(run, api, startedAt);
    }
    if (workspace !== undefined) drift.push(...(await strayFolders(workspace, new Set(runs.map((run) => run.name)))));

    const enums = options.enums ? ` --enums ${options.enums}` : "";
    if (drift.length === 0) {
        const what = single ? `${options.out} matches ${options.spec}` : `generated/ matches ${runs.length} spec(s)`;
        log(`joinkit check: ${what}${fromCache(runs.length - misses.length, runs.length)}.`);
        return 0;
    }
    for (const item of drift) {
        logError(`${item.file}: ${REASONS[item.reason]}`);
        if (item.diff) logError(item.diff.replace(/^/gm, "    "));
    }
    const fix = single
        ? `npx joinkit generate --spec ${options.spec} --out ${options.out}${enums}`
        : `npx joinkit generate${enums}`;
    logError(`\njoinkit check: ${drift.length} file(s) out of date. Run \`${fix}\` and commit the result.`);
    return 1;
}

/** The pipeline, loaded only now, for the specs the cache could not vouch for. */
async function generate(
    runs: readonly SpecRun[],
    workspace: ReturnType<typeof workspaceAt> | undefined,
): Promise<Map<string, GeneratedApi>> {
    if (workspace !== undefined) return generateWorkspace(workspace, {}, runs);
    const { generateApi } = await import("../../pipeline.js");
    return new Map(
        await Promise.all(runs.map(async (run) => [run.name, await generateApi(run.spec, run.options)] as const)),
    );
}

/** Says how many specs were vouched for by the cache rather than generated and compared. */
function fromCache(hits: number, total: number): string {
    if (hits === 0) return "";
    const unchanged = "inputs unchanged since the last verified run";
    if (hits === total) return `: up to date (${unchanged}; --no-cache generates and compares them)`;
    return ` (${hits} of them up to date: ${unchanged})`;
}
