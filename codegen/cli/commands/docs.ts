import { interrupted, type CommandContext } from "../context.js";
import { log, logError, reportProblems } from "../report.js";
import { buildAllDocs } from "../../docs/build.js";
import { SpecError } from "../../core/spec-error.js";
import { singleSpec, workspaceAt } from "../../output/workspace.js";

/** `joinkit docs`: renders the pages; `--serve` serves them and rebuilds on saves. */
export async function docs({ access, cwd, spec, out, options, verbose }: CommandContext): Promise<number> {
    const workspace = spec !== undefined && out !== undefined ? singleSpec(cwd, spec, out) : workspaceAt(cwd);
    const serve = options.serve === true;
    const started = performance.now();
    const built = new Map<string, readonly string[]>();
    try {
        const entries = await buildAllDocs(workspace, {
            access,
            onDependencies: (file, dependencies) => built.set(file, dependencies),
        });
        for (const entry of entries) {
            log(`docs: ${entry.file} (${entry.title} ${entry.version}, ${entry.operations} operation(s))`);
        }
        log(`docs: index.html (${Math.round(performance.now() - started)} ms)`);
    } catch (error) {
        // While serving, a broken spec is reported and its page waits for the save that fixes it.
        if (!serve || options["no-watch"] || !(error instanceof SpecError)) throw error;
        reportProblems(error.problems, verbose);
        logError("docs: the pages of specs with problems keep their last good version; saving a fix rebuilds them");
    }
    if (!serve) return 0;
    const { serveDocs } = await import("../../docs/server.js");
    const watch = options["no-watch"] !== true;
    const server = await serveDocs(workspace, { port: Number(options.port ?? 0), watch, access, built }, log, logError);
    log(`docs: serving ${server.url}${watch ? " and rebuilding on saves" : ""} (Ctrl-C to stop)`);
    await interrupted();
    await server.close();
    log("docs: stopped");
    return 0;
}
