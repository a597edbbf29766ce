import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { SpecError } from "../core/spec-error.js";
import { contextFor } from "./context.js";
import {
    COMMANDS,
    commandHelp,
    isCommand,
    OVERVIEW,
    parseCommand,
    UsageError,
    type CommandName,
    type Options,
} from "./options.js";
import { internalError, log, logError, reportProblems } from "./report.js";

export { internalError } from "./report.js";

/** Runs one CLI invocation; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
    const [first, ...rest] = argv;
    if (first === undefined) return usage(undefined, "no command given");
    if (first === "--help" || first === "-h") return print(OVERVIEW);
    if (first === "help") {
        if (rest.length === 0) return print(OVERVIEW);
        if (rest.length === 1 && isCommand(rest[0])) return print(commandHelp(rest[0]));
        return usage(undefined, `help takes one command (${Object.keys(COMMANDS).join(", ")}), not ${rest.join(" ")}`);
    }
    if (!isCommand(first)) {
        return usage(
            undefined,
            first.startsWith("-") ? `a command comes first, before ${first}` : `unknown command: ${first}`,
        );
    }

    let options: Options;
    try {
        options = parseCommand(first, rest);
        if (options.help) return print(commandHelp(first));
        refuseMissingInputs(first, options, cwd);
    } catch (error) {
        if (error instanceof UsageError) return usage(first, error.message);
        throw error;
    }
    // openapi-typescript (and the TypeScript it brings) takes longest to load: its worker
    // starts loading it before this thread loads Redocly and the rest.
    if (first === "generate") (await import("../emit/schema-file.js")).warmUpSchemaEmitter();
    // Each command loads only what it uses: `check` never loads the docs renderer or the watcher.
    return runCommand(first, options, cwd);
}

/** Inputs named on the command line must exist, and without --spec the project needs specs/. */
function refuseMissingInputs(command: CommandName, options: Options, cwd: string): void {
    for (const option of ["spec", "config"] as const) {
        const given = options[option];
        if (given === undefined) continue;
        const file = path.resolve(cwd, given);
        if (!existsSync(file)) throw new UsageError(`--${option} ${given}: no such file`);
        if (!statSync(file).isFile()) throw new UsageError(`--${option} ${given}: not a file`);
    }
    if (options.spec === undefined) {
        const specs = path.join(cwd, "specs");
        if (!existsSync(specs) || !statSync(specs).isDirectory()) {
            throw new UsageError(
                `no specs/ folder in ${cwd}: run it in a project with specs/*.yaml, or name one document with --spec FILE${
                    command === "lint" ? "" : " --out DIR"
                }`,
            );
        }
    }
}

function usage(command: CommandName | undefined, message: string): number {
    logError(`joinkit${command ? ` ${command}` : ""}: ${message}`);
    if (command === undefined) logError(`Run \`joinkit --help\` for the commands.`);
    return 2;
}

function print(text: string): number {
    log(text);
    return 0;
}

/** Loads the command's module (and only its dependencies) and runs it. */
export async function runCommand(name: CommandName, options: Options, cwd: string): Promise<number> {
    const context = contextFor(options, cwd);
    try {
        switch (name) {
            case "generate":
                return await (await import("./commands/generate.js")).generate(context);
            case "check":
                return await (await import("./commands/check.js")).check(context);
            case "lint":
                return await (await import("./commands/lint.js")).lint(context);
            case "docs":
                return await (await import("./commands/docs.js")).docs(context);
            case "mock":
                return await (await import("./commands/mock.js")).mock(context);
        }
    } catch (error) {
        if (error instanceof SpecError) {
            reportProblems(error.problems, context.verbose);
            logError("joinkit: nothing was written.");
            return 1;
        }
        return internalError(error);
    }
}
