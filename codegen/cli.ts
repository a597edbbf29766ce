import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { EnumStyle } from "./emit-errors.js";
import { recoverFolder, refuseUnsafeLocation, type FolderPlan } from "./output.js";
import { generateApi, lintApi, type GenerateOptions, type GeneratedApi } from "./pipeline.js";
import { summariseProblems } from "./problem-summary.js";
import { confinementFor } from "./project.js";
import { SpecError, type SpecProblem } from "./spec-error.js";
import { printable } from "./terminal.js";
import { buildAllDocs } from "./docs.js";
import { serveDocs } from "./docs-server.js";
import { watchWorkspace } from "./watch.js";
import {
    apiName,
    findDrift,
    generateWorkspace,
    listSpecs,
    recoverWorkspace,
    workspaceAt,
    writeOutput,
    writeWorkspace,
    type Workspace,
} from "./workspace.js";

const USAGE = `Usage: joinkit <command> [options]

Commands:
  generate                    lint every specs/*.yaml and write generated/<spec-name>/
  generate --spec F --out D   the same for one document anywhere on disk
  generate --watch            generate, then regenerate a spec's output on every save
  check                       fail if generated/ differs from what the specs generate
  lint [--spec F]             lint every spec (or one) with redocly.yaml
  docs                        render every spec to docs/<spec-name>.html and docs/index.html
  docs --serve [--port N]     build, serve docs/ on 127.0.0.1 and rebuild on spec changes
                              (--no-watch to serve without rebuilding)

Options:
  --config F               Redocly config (default: the nearest redocly.yaml inside the project,
                           none for a document outside it; then Redocly's "minimal" rules)
  --strict                 every lint error stops generation (always so for the specs a config lists
                           under \`apis:\`, the project's own); otherwise only unresolvable documents do
  --enums S                error catalogues as "enum" (TypeScript enums, the default) or "const"
                           (\`as const\` objects and union types: works under erasableSyntaxOnly)
  --typecheck              with --spec: type-check the output under strict before writing it, and
                           refuse it, located in the generated files, if it does not compile
  --verbose                list every warning instead of a count per rule and the first few
  --allow-nonempty-out     let --out hold files joinkit did not write (they are kept, never overwritten)
  --allow-remote-refs      fetch $refs to http(s) URLs, printing each URL (off: they are refused)
  --allow-config-plugins   load the Redocly config's plugins, which run code (off: such a config is refused)
  -h, --help               show this help

The opt-ins can also be set in the project's package.json:
  "joinkit": { "allowRemoteRefs": true, "allowConfigPlugins": true }

Exit codes: 0 success, 1 a spec failed or output drifted, 2 wrong usage.`;

/** Runs one CLI invocation; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                spec: { type: "string" },
                out: { type: "string" },
                config: { type: "string" },
                watch: { type: "boolean" },
                serve: { type: "boolean" },
                "no-watch": { type: "boolean" },
                port: { type: "string" },
                strict: { type: "boolean" },
                enums: { type: "string" },
                typecheck: { type: "boolean" },
                verbose: { type: "boolean" },
                "allow-nonempty-out": { type: "boolean" },
                "allow-remote-refs": { type: "boolean" },
                "allow-config-plugins": { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (error) {
        return usage((error as Error).message);
    }
    const { positionals, values } = parsed;
    const [command, ...extra] = positionals;
    if (values.help) return print(USAGE, 0);
    if (extra.length > 0) return usage(`unexpected argument: ${extra[0]}`);

    verbose = values.verbose === true;
    if (values.enums !== undefined && values.enums !== "enum" && values.enums !== "const") {
        return usage(`--enums takes "enum" or "const", not ${JSON.stringify(values.enums)}`);
    }
    const workspace = workspaceAt(cwd);
    const optIns = readOptIns(workspace.project);
    const access: GenerateOptions = {
        cwd,
        configFile: values.config === undefined ? undefined : path.resolve(cwd, values.config),
        allowRemoteRefs: values["allow-remote-refs"] === true || optIns.allowRemoteRefs,
        allowConfigPlugins: values["allow-config-plugins"] === true || optIns.allowConfigPlugins,
        onFetch: (url) => log(`joinkit: fetching remote $ref ${url}`),
        strict: values.strict,
        enums: values.enums as EnumStyle | undefined,
    };
    try {
        switch (command) {
            case "generate":
                if (values.watch) {
                    if (values.spec !== undefined || values.out !== undefined) return usage("--watch works on specs/; it does not take --spec/--out");
                    return await watchUntilInterrupted(workspace, access);
                }
                if (values.spec !== undefined || values.out !== undefined) {
                    if (!values.spec || !values.out) return usage("--spec and --out go together");
                    const spec = path.resolve(cwd, values.spec);
                    // A spec outside the project gets no opt-ins from the project's package.json.
                    const specAccess = confinementFor(spec, cwd).trusted ? access : { ...access, allowRemoteRefs: values["allow-remote-refs"] === true, allowConfigPlugins: values["allow-config-plugins"] === true };
                    return await generateOne(workspace, spec, values.out, specAccess, {
                        allowForeign: values["allow-nonempty-out"] === true,
                        typecheck: values.typecheck === true,
                    });
                }
                if (values["allow-nonempty-out"]) return usage("--allow-nonempty-out goes with --out");
                return await generateAll(workspace, access);
            case "docs":
                return await docs(workspace, access, values.serve === true, !values["no-watch"], values.port);
            case "check":
                return await check(workspace, access);
            case "lint":
                return await lint(values.spec ? [path.resolve(cwd, values.spec)] : await listSpecs(workspace), access);
            case undefined:
                return usage("no command given");
            default:
                return usage(`unknown command: ${command}`);
        }
    } catch (error) {
        if (error instanceof SpecError) {
            reportProblems(error.problems);
            logError("joinkit: nothing was written.");
            return 1;
        }
        return internalError(error);
    }
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
    else logError("joinkit: this is a bug in joinkit if the message does not say what to change; JOINKIT_DEBUG=1 shows where it happened");
    return 1;
}

/** Every line joinkit prints goes through here: spec text in it cannot drive the terminal. */
export function log(line: string): void {
    console.log(printable(line));
}

export function logError(line: string): void {
    console.error(printable(line));
}

interface OptIns {
    readonly allowRemoteRefs: boolean;
    readonly allowConfigPlugins: boolean;
}

/** `"joinkit": { "allowRemoteRefs": true, "allowConfigPlugins": true }` in the project's package.json. */
function readOptIns(project: string): OptIns {
    try {
        const pkg = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as { joinkit?: Record<string, unknown> };
        return { allowRemoteRefs: pkg.joinkit?.allowRemoteRefs === true, allowConfigPlugins: pkg.joinkit?.allowConfigPlugins === true };
    } catch {
        return { allowRemoteRefs: false, allowConfigPlugins: false };
    }
}

async function generateOne(
    workspace: Workspace,
    spec: string,
    out: string,
    access: GenerateOptions,
    { allowForeign, typecheck }: { allowForeign: boolean; typecheck: boolean },
): Promise<number> {
    const started = performance.now();
    const outDir = path.resolve(access.cwd ?? process.cwd(), out);
    const outputOptions = { project: workspace.project, specs: [spec], allowForeign, displayName: out };
    // Refuse an unsafe --out before spending time on the spec, and again (with what it holds
    // then) just before writing.
    refuseUnsafeLocation(outDir, { ...outputOptions, displayName: out });
    await recoverFolder(outDir);
    const displayName = path.relative(process.cwd(), spec) || spec;
    const api = await generateApi(spec, { ...access, displayName, typecheckAs: typecheck ? outDir : undefined });
    const plan = await writeOutput(outDir, api.files, outputOptions);
    reportProblems(api.warnings);
    reportKept(plan);
    log(`${summary(apiName(spec), api, outDir)} (${Math.round(performance.now() - started)} ms)`);
    return 0;
}

async function generateAll(workspace: Workspace, access: GenerateOptions): Promise<number> {
    const started = performance.now();
    // A run killed midway is finished (or undone) first, even if this run then fails.
    await recoverWorkspace(workspace);
    const apis = await generateWorkspace(workspace, access);
    const plans = await writeWorkspace(workspace, apis);
    for (const [name, api] of apis) {
        reportProblems(api.warnings);
        log(summary(name, api, path.join(workspace.generatedDir, name)));
    }
    plans.forEach(reportKept);
    log(`joinkit: generated ${apis.size} spec(s) in ${Math.round(performance.now() - started)} ms`);
    return 0;
}

/** Says which files the user had put in an output folder (kept) and which hand edits were replaced. */
function reportKept(plan: FolderPlan): void {
    if (plan.foreign.length > 0) log(`${plan.displayName}: kept ${plan.foreign.length} file(s) joinkit did not write: ${plan.foreign.join(", ")}`);
    for (const file of plan.editedAndReplaced) logError(`${plan.displayName}/${file}: had been edited by hand; the edit was replaced (never edit generated files: change the spec)`);
}

async function watchUntilInterrupted(workspace: Workspace, access: GenerateOptions): Promise<number> {
    const watcher = watchWorkspace(workspace, log, logError, access);
    await watcher.ready;
    await interrupted();
    await watcher.close();
    log("joinkit: stopped watching");
    return 0;
}

async function docs(workspace: Workspace, access: GenerateOptions, serve: boolean, watch: boolean, portText: string | undefined): Promise<number> {
    const port = Number(portText ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port takes a port number (0-65535), not ${JSON.stringify(portText)}`);
    const started = performance.now();
    const entries = await buildAllDocs(workspace, { access });
    for (const entry of entries) log(`docs: ${entry.file} (${entry.title} ${entry.version}, ${entry.operations} operation(s))`);
    log(`docs: index.html (${Math.round(performance.now() - started)} ms)`);
    if (!serve) return 0;
    const server = await serveDocs(workspace, { port, watch, access }, log, logError);
    log(`docs: serving ${server.url}${watch ? " and rebuilding on spec changes" : ""} (Ctrl-C to stop)`);
    await interrupted();
    await server.close();
    log("docs: stopped");
    return 0;
}

async function check(workspace: Workspace, access: GenerateOptions): Promise<number> {
    const apis = await generateWorkspace(workspace, access);
    const drift = await findDrift(workspace, apis);
    if (drift.length === 0) {
        log(`joinkit check: generated/ matches ${apis.size} spec(s).`);
        return 0;
    }
    const reasons = {
        changed: "differs from what its spec generates",
        missing: "missing",
        unexpected: "not generated from any spec",
        interrupted: "an interrupted generate left it half-replaced",
    };
    for (const item of drift) {
        logError(`${item.file}: ${reasons[item.reason]}`);
        if (item.diff) logError(indent(item.diff));
    }
    logError(`\njoinkit check: ${drift.length} file(s) out of date. Run \`npx joinkit generate\` and commit the result.`);
    return 1;
}

async function lint(specs: string[], access: GenerateOptions): Promise<number> {
    let failed = false;
    for (const file of specs) {
        try {
            const { spec, problems } = await lintApi(file, { ...access, displayName: path.relative(process.cwd(), file) || file });
            reportProblems(problems);
            failed ||= problems.some((p) => p.severity === "error");
            if (problems.length === 0) log(`${spec.displayName}: no problems`);
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            reportProblems(error.problems);
            failed = true;
        }
    }
    return failed ? 1 : 0;
}

/** Resolves on Ctrl-C (or a polite kill), so long-running commands can shut down cleanly. */
function interrupted(): Promise<void> {
    return new Promise((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });
}

function summary(name: string, api: GeneratedApi, outDir: string): string {
    const { operations, operationsFound, catalogues } = api.model;
    return `${name}: ${operations.length} of ${operationsFound} operation(s), ${catalogues.length} error catalogue(s) → ${path.relative(process.cwd(), outDir) || outDir}`;
}

/** `--verbose`: every warning, not a count per rule and the first few. */
let verbose = false;

function reportProblems(problems: readonly SpecProblem[]): void {
    for (const line of summariseProblems(problems, verbose)) logError(line);
}

function indent(text: string): string {
    return text.replace(/^/gm, "    ");
}

function usage(message: string): number {
    logError(`joinkit: ${message}\n\n${USAGE}`);
    return 2;
}

function print(text: string, code: number): number {
    log(text);
    return code;
}
