import path from "node:path";
import type { CommandContext } from "../cli-run.js";
import { log, logError } from "../cli-output.js";
import { generateApi } from "../pipeline.js";
import { findDrift, folderDrift, generateWorkspace, workspaceAt, type Drift } from "../workspace.js";

const REASONS: Record<Drift["reason"], string> = {
    changed: "differs from what its spec generates",
    missing: "missing",
    unexpected: "not generated from any spec",
    interrupted: "an interrupted generate left it half-replaced",
};

/** `joinkit check`: generates in memory and compares with what is on disk; writes nothing. */
export async function check({ access, cwd, spec, out, options }: CommandContext): Promise<number> {
    let drift: Drift[];
    let what: string;
    let fix: string;
    if (spec !== undefined && out !== undefined) {
        const api = await generateApi(spec, { ...access, displayName: path.relative(process.cwd(), spec) || spec });
        drift = await folderDrift(out, api, (file) => path.relative(cwd, file) || file);
        what = `${options.out} matches ${options.spec}`;
        fix = `npx joinkit generate --spec ${options.spec} --out ${options.out}${options.enums ? ` --enums ${options.enums}` : ""}`;
    } else {
        const workspace = workspaceAt(cwd);
        const apis = await generateWorkspace(workspace, access);
        drift = await findDrift(workspace, apis);
        what = `generated/ matches ${apis.size} spec(s)`;
        fix = `npx joinkit generate${options.enums ? ` --enums ${options.enums}` : ""}`;
    }
    if (drift.length === 0) {
        log(`joinkit check: ${what}.`);
        return 0;
    }
    for (const item of drift) {
        logError(`${item.file}: ${REASONS[item.reason]}`);
        if (item.diff) logError(item.diff.replace(/^/gm, "    "));
    }
    logError(`\njoinkit check: ${drift.length} file(s) out of date. Run \`${fix}\` and commit the result.`);
    return 1;
}
