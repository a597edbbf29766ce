import path from "node:path";
import { parseArgs } from "node:util";
import { BaseResolver } from "@redocly/openapi-core";
import { configForSpec, gradeProblems, lintSpec, loadLintConfig } from "./lint-spec.js";
import { loadSpec } from "./load-spec.js";
import type { EnumStyle } from "./emit-errors.js";
import { generateApi, type GeneratedApi, type GenerateOptions } from "./pipeline.js";
import { summariseProblems } from "./problem-summary.js";
import { SpecError, type SpecProblem } from "./spec-error.js";
import { buildAllDocs } from "./docs.js";
import { serveDocs } from "./docs-server.js";
import { watchWorkspace } from "./watch.js";
import { apiName, findDrift, generateWorkspace, listSpecs, workspaceAt, writeOutput, writeWorkspace } from "./workspace.js";

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
  --config F    Redocly config (default: nearest redocly.yaml, else Redocly's "minimal" rules)
  --strict      every lint error stops generation (always so for the specs a config lists
                under \`apis:\`, the project's own); otherwise only unresolvable documents do
  --enums S     error catalogues as "enum" (TypeScript enums, the default) or "const"
                (\`as const\` objects and union types: works under erasableSyntaxOnly)
  --typecheck   with --spec: type-check the output under strict before writing it, and
                refuse it, located in the generated files, if it does not compile
  --verbose     list every warning instead of a count per rule and the first few
  -h, --help    show this help

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

    const workspace = workspaceAt(cwd);
    verbose = values.verbose === true;
    if (values.enums !== undefined && values.enums !== "enum" && values.enums !== "const") {
        return usage(`--enums takes "enum" or "const", not ${JSON.stringify(values.enums)}`);
    }
    const enums = values.enums as EnumStyle | undefined;
    try {
        switch (command) {
            case "generate":
                if (values.watch) {
                    if (values.spec !== undefined || values.out !== undefined) return usage("--watch works on specs/; it does not take --spec/--out");
                    return await watchUntilInterrupted(workspace);
                }
                if (values.spec !== undefined || values.out !== undefined) {
                    if (!values.spec || !values.out) return usage("--spec and --out go together");
                    return await generateOne(path.resolve(cwd, values.spec), path.resolve(cwd, values.out), {
                        configFile: values.config,
                        strict: values.strict,
                        enums,
                        typecheck: values.typecheck === true,
                    });
                }
                return await generateAll(workspace);
            case "docs":
                return await docs(workspace, values.serve === true, !values["no-watch"], Number(values.port ?? 0));
            case "check":
                return await check(workspace);
            case "lint":
                return await lint(values.spec ? [path.resolve(cwd, values.spec)] : await listSpecs(workspace), values.config, values.strict);
            case undefined:
                return usage("no command given");
            default:
                return usage(`unknown command: ${command}`);
        }
    } catch (error) {
        if (error instanceof SpecError) {
            reportProblems(error.problems);
            console.error("joinkit: nothing was written.");
            return 1;
        }
        throw error;
    }
}

async function generateOne(spec: string, outDir: string, options: GenerateOptions & { typecheck: boolean }): Promise<number> {
    const started = performance.now();
    const { typecheck, ...rest } = options;
    const displayName = path.relative(process.cwd(), spec) || spec;
    const api = await generateApi(spec, { ...rest, displayName, typecheckAs: typecheck ? outDir : undefined });
    await writeOutput(outDir, api.files);
    reportProblems(api.warnings);
    console.log(`${summary(apiName(spec), api, outDir)} (${Math.round(performance.now() - started)} ms)`);
    return 0;
}

async function generateAll(workspace: ReturnType<typeof workspaceAt>): Promise<number> {
    const started = performance.now();
    const apis = await generateWorkspace(workspace);
    await writeWorkspace(workspace, apis);
    for (const [name, api] of apis) {
        reportProblems(api.warnings);
        console.log(summary(name, api, path.join(workspace.generatedDir, name)));
    }
    console.log(`joinkit: generated ${apis.size} spec(s) in ${Math.round(performance.now() - started)} ms`);
    return 0;
}

async function watchUntilInterrupted(workspace: ReturnType<typeof workspaceAt>): Promise<number> {
    const watcher = watchWorkspace(workspace, console.log, console.error);
    await watcher.ready;
    await interrupted();
    await watcher.close();
    console.log("joinkit: stopped watching");
    return 0;
}

async function docs(workspace: ReturnType<typeof workspaceAt>, serve: boolean, watch: boolean, port: number): Promise<number> {
    const started = performance.now();
    const entries = await buildAllDocs(workspace);
    for (const entry of entries) console.log(`docs: ${entry.file} (${entry.title} ${entry.version}, ${entry.operations} operation(s))`);
    console.log(`docs: index.html (${Math.round(performance.now() - started)} ms)`);
    if (!serve) return 0;
    const server = await serveDocs(workspace, { port, watch }, console.log, console.error);
    console.log(`docs: serving ${server.url}${watch ? " and rebuilding on spec changes" : ""} (Ctrl-C to stop)`);
    await interrupted();
    await server.close();
    console.log("docs: stopped");
    return 0;
}

async function check(workspace: ReturnType<typeof workspaceAt>): Promise<number> {
    const apis = await generateWorkspace(workspace);
    const drift = await findDrift(workspace, apis);
    if (drift.length === 0) {
        console.log(`joinkit check: generated/ matches ${apis.size} spec(s).`);
        return 0;
    }
    for (const item of drift) {
        console.error(`${item.file}: ${item.reason === "changed" ? "differs from what its spec generates" : item.reason === "missing" ? "missing" : "not generated from any spec"}`);
        if (item.diff) console.error(indent(item.diff));
    }
    console.error(`\njoinkit check: ${drift.length} file(s) out of date. Run \`npx joinkit generate\` and commit the result.`);
    return 1;
}

async function lint(specs: string[], configFile: string | undefined, strict?: boolean): Promise<number> {
    let failed = false;
    for (const file of specs) {
        try {
            const spec = await loadSpec(file, path.relative(process.cwd(), file) || file);
            const { config, ownSpec } = configForSpec(await loadLintConfig(file, configFile), file);
            const linted = await lintSpec(spec, config, new BaseResolver(config.resolve));
            const problems = gradeProblems(linted, ownSpec || strict === true);
            reportProblems(problems);
            failed ||= problems.some((p) => p.severity === "error");
            if (problems.length === 0) console.log(`${spec.displayName}: no problems`);
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
    for (const line of summariseProblems(problems, verbose)) console.error(line);
}

function indent(text: string): string {
    return text.replace(/^/gm, "    ");
}

function usage(message: string): number {
    console.error(`joinkit: ${message}\n\n${USAGE}`);
    return 2;
}

function print(text: string, code: number): number {
    console.log(text);
    return code;
}
