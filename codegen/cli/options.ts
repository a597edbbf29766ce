import { parseArgs } from "node:util";
import { FALLBACK_RULESET } from "../spec/lint-defaults.js";

/**
 * The CLI contract: every option joinkit knows, which commands take it (with what it means
 * there), and the checks between options. The parser (node's util.parseArgs, strict) and the
 * help text are both made from these tables, so help cannot drift from what is accepted.
 */
const OPTIONS = {
    spec: { type: "string", value: "FILE" },
    out: { type: "string", value: "DIR" },
    config: { type: "string", value: "FILE" },
    strict: { type: "boolean" },
    enums: { type: "string", value: "enum|const" },
    typecheck: { type: "boolean" },
    watch: { type: "boolean" },
    serve: { type: "boolean" },
    port: { type: "string", value: "N" },
    seed: { type: "string", value: "S" },
    scenario: { type: "string", value: "NAME" },
    "no-watch": { type: "boolean" },
    "no-cache": { type: "boolean" },
    verbose: { type: "boolean" },
    "allow-nonempty-out": { type: "boolean" },
    "allow-remote-refs": { type: "boolean" },
    "allow-config-plugins": { type: "boolean" },
    help: { type: "boolean", short: "h" },
} as const satisfies Record<string, OptionDefinition>;

interface OptionDefinition {
    readonly type: "string" | "boolean";
    /** How help names the value. */
    readonly value?: string;
    readonly short?: string;
}

export type OptionName = keyof typeof OPTIONS;
export type CommandName = "generate" | "check" | "lint" | "docs" | "mock";
/** What the parser returns for a command: each option given, as a string or `true`. */
export type Options = Partial<Record<OptionName, string | boolean>> & {
    readonly spec?: string;
    readonly out?: string;
    readonly config?: string;
};

interface OptionUse {
    readonly help: string;
    /** The command cannot run without it. */
    readonly required?: boolean;
    /** Options this one is meaningless without. */
    readonly requires?: readonly OptionName[];
}

interface Command {
    readonly summary: string;
    readonly usage: readonly string[];
    readonly options: Partial<Record<OptionName, OptionUse>>;
}

const CONFIG: OptionUse = {
    help:
        `Redocly config (default: the nearest redocly.yaml inside the project, none for a document outside it; then Redocly's "${FALLBACK_RULESET}" ruleset)`,
};
const STRICT: OptionUse = {
    help:
        "every lint error is fatal (always so for the specs a config lists under `apis:`, the project's own); otherwise only unresolvable documents are",
};
const VERBOSE: OptionUse = { help: "list every warning instead of a count per rule and the first few" };
const REMOTE: OptionUse = { help: "fetch $refs to http(s) URLs, printing each URL (off: they are refused)" };
const PLUGINS: OptionUse = {
    help: "load the Redocly config's plugins, which run code (off: such a config is refused)",
};
const HELP: OptionUse = { help: "show this help" };
const ENUMS: OptionUse = {
    help:
        'error catalogues as "enum" (TypeScript enums, the default) or "const" (`as const` objects and union types: works under erasableSyntaxOnly)',
};

/** The vendors' workflows `joinkit mock --scenario` knows (codegen/mock/scenarios/). */
export const SCENARIOS = ["amity", "sonoran-cad", "sonoran-cms"] as const;

export const COMMANDS: Record<CommandName, Command> = {
    generate: {
        summary: "Lint every specs/*.yaml (.yml, .json) and write its typed client to generated/<spec-name>/.",
        usage: [
            "joinkit generate [options]",
            "joinkit generate --spec FILE --out DIR [options]",
            "joinkit generate --watch [--spec FILE --out DIR]",
        ],
        options: {
            spec: { help: "one document anywhere on disk instead of specs/ (with --out)", requires: ["out"] },
            out: { help: "the folder that document's client is written to (with --spec)", requires: ["spec"] },
            watch: {
                help:
                    "generate, then regenerate a spec's output whenever it or a file its $refs reach is saved; new and deleted specs are picked up",
            },
            config: CONFIG,
            strict: STRICT,
            enums: ENUMS,
            typecheck: {
                help:
                    "type-check the output under strict before writing it, and refuse it, located in the generated files, if it does not compile",
                requires: ["spec"],
            },
            verbose: VERBOSE,
            "allow-nonempty-out": {
                help: "let --out hold files joinkit did not write (they are kept, never overwritten)",
                requires: ["out"],
            },
            "allow-remote-refs": REMOTE,
            "allow-config-plugins": PLUGINS,
            help: HELP,
        },
    },
    check: {
        summary:
            "Fail (exit 1) if generated/ differs from what the specs generate, showing a diff per file. Writes nothing.",
        usage: ["joinkit check [options]", "joinkit check --spec FILE --out DIR [options]"],
        options: {
            spec: { help: "check one document anywhere on disk instead of specs/ (with --out)", requires: ["out"] },
            out: { help: "the folder holding that document's generated client (with --spec)", requires: ["spec"] },
            config: CONFIG,
            strict: STRICT,
            enums: { help: 'the catalogue style the output was generated with: "enum" (default) or "const"' },
            "no-cache": {
                help:
                    "generate and compare every spec, even one whose inputs are unchanged since a run that generated or verified its output "
                    + "(recorded in node_modules/.cache/joinkit)",
            },
            verbose: VERBOSE,
            "allow-remote-refs": REMOTE,
            "allow-config-plugins": PLUGINS,
            help: HELP,
        },
    },
    lint: {
        summary:
            "Lint every spec (or one) as generate does, up to the lint: a $ref loop, a refused $ref or a lint error is reported located. Writes nothing.",
        usage: ["joinkit lint [options]", "joinkit lint --spec FILE [options]"],
        options: {
            spec: { help: "lint one document anywhere on disk instead of specs/" },
            config: CONFIG,
            strict: STRICT,
            verbose: VERBOSE,
            "allow-remote-refs": REMOTE,
            "allow-config-plugins": PLUGINS,
            help: HELP,
        },
    },
    docs: {
        summary:
            "Render every spec to docs/<spec-name>.html and docs/index.html (with --serve: serve them on 127.0.0.1 and rebuild on saves).",
        usage: [
            "joinkit docs [options]",
            "joinkit docs --spec FILE --out DIR [options]",
            "joinkit docs --serve [--port N] [--no-watch]",
        ],
        options: {
            spec: { help: "render one document anywhere on disk instead of specs/ (with --out)", requires: ["out"] },
            out: { help: "the folder its page and index.html are written to (with --spec)", requires: ["spec"] },
            serve: {
                help:
                    "after building, serve the docs folder on 127.0.0.1 and rebuild a page whenever its spec or a file its $refs reach is saved",
            },
            port: { help: "the port to serve on (default: one the OS assigns)", requires: ["serve"] },
            "no-watch": { help: "serve without rebuilding on saves", requires: ["serve"] },
            config: CONFIG,
            strict: STRICT,
            verbose: VERBOSE,
            "allow-remote-refs": REMOTE,
            "allow-config-plugins": PLUGINS,
            help: HELP,
        },
    },
    mock: {
        summary:
            "Serve a simulator of one document on 127.0.0.1: each request checked against the spec (a located problem when it does not match), answered with its examples or data generated from its schemas.",
        usage: ["joinkit mock --spec FILE [--port N] [--seed S] [--scenario NAME]"],
        options: {
            spec: { help: "the document to simulate (its $refs to other files are bundled first)", required: true },
            port: { help: "the port to listen on (default: one the OS assigns)" },
            seed: { help: 'seeds the generated data: the same seed, the same bytes (default "joinkit")' },
            scenario: {
                help: `a vendor's workflow on top of the spec: ${
                    SCENARIOS.join(", ")
                } (join, pending and decisions; error strings; per-key limits and paging)`,
            },
            "allow-remote-refs": REMOTE,
            help: HELP,
        },
    },
};

export const OVERVIEW = `Usage: joinkit <command> [options]

Commands:
${(Object.keys(COMMANDS) as CommandName[]).map((name) => `  ${name.padEnd(10)}${COMMANDS[name].summary}`).join("\n")}
  help CMD  show a command's options (also: joinkit CMD --help)

Every command works on the project's specs/ folder, or on one document with --spec
(mock always on one).
The opt-ins can also be set in the project's package.json:
  "joinkit": { "allowRemoteRefs": true, "allowConfigPlugins": true }

Exit codes: 0 success, 1 a spec failed or output drifted, 2 wrong usage.`;

/** A command's help, made from its option table. */
export function commandHelp(name: CommandName): string {
    const command = COMMANDS[name];
    const flags = (option: OptionName) => {
        const definition: OptionDefinition = OPTIONS[option];
        return `${definition.short ? `-${definition.short}, ` : ""}--${option}${
            definition.value ? ` ${definition.value}` : ""
        }`;
    };
    const entries = Object.entries(command.options) as [OptionName, OptionUse][];
    const width = Math.max(...entries.map(([option]) => flags(option).length)) + 2;
    const lines = entries.map(([option, use]) =>
        `  ${flags(option).padEnd(width)}${wrap(use.help, 96 - width, " ".repeat(width + 2))}`
    );
    return [
        `Usage: ${command.usage.join("\n       ")}`,
        "",
        command.summary,
        "",
        "Options:",
        ...lines,
        "",
        "Exit codes: 0 success, 1 a spec failed or output drifted, 2 wrong usage.",
    ].join("\n");
}

/** Words filled into lines of at most `width` characters, each after the first indented. */
function wrap(text: string, width: number, indent: string): string {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return lines.join(`\n${indent}`);
}

/** Wrong usage: one line naming the command and what to change. */
export class UsageError extends Error {}

export function isCommand(name: string | undefined): name is CommandName {
    return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** Parses one command's arguments against its table; throws UsageError naming the flag. */
export function parseCommand(name: CommandName, args: readonly string[]): Options {
    const command = COMMANDS[name];
    const options = Object.fromEntries(
        Object.keys(command.options).map((option) => {
            const { type, short }: OptionDefinition = OPTIONS[option as OptionName];
            return [option, short ? { type, short } : { type }];
        }),
    );
    let values: Options;
    try {
        values = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Options;
    } catch (error) {
        throw new UsageError(parseFailure(name, error as NodeJS.ErrnoException));
    }
    for (const [option, given] of Object.entries(values) as [OptionName, unknown][]) {
        if (given === undefined) continue;
        for (const needed of command.options[option]?.requires ?? []) {
            if (values[needed] === undefined) throw new UsageError(`--${option} goes with --${needed}`);
        }
    }
    for (const [option, use] of Object.entries(command.options) as [OptionName, OptionUse][]) {
        if (use.required && values[option] === undefined && values.help === undefined) {
            throw new UsageError(`--${option} is required`);
        }
    }
    if (values.scenario !== undefined && !(SCENARIOS as readonly unknown[]).includes(values.scenario)) {
        throw new UsageError(`--scenario takes ${SCENARIOS.join(", ")}, not ${JSON.stringify(values.scenario)}`);
    }
    if (values.enums !== undefined && values.enums !== "enum" && values.enums !== "const") {
        throw new UsageError(`--enums takes "enum" or "const", not ${JSON.stringify(values.enums)}`);
    }
    if (values.port !== undefined && !/^\d{1,5}$/.test(values.port as string)) {
        throw new UsageError(`--port takes a port number (0-65535), not ${JSON.stringify(values.port)}`);
    }
    if (values.port !== undefined && Number(values.port) > 65535) {
        throw new UsageError(`--port takes a port number (0-65535), not ${values.port}`);
    }
    return values;
}

/** util.parseArgs' messages, as one line naming the flag and the command. */
function parseFailure(command: CommandName, error: NodeJS.ErrnoException): string {
    const flag = /'(-[^' ]+)/.exec(error.message)?.[1] ?? "";
    const name = flag.replace(/^-+/, "").split("=")[0]! as OptionName;
    switch (error.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
            const elsewhere = (Object.keys(COMMANDS) as CommandName[]).filter((other) =>
                other !== command && COMMANDS[other].options[name]
            );
            if (elsewhere.length > 0) {
                return `${flag} does not apply to ${command} (it is an option of ${
                    elsewhere.join(", ")
                }); see joinkit ${command} --help`;
            }
            return `unknown option ${flag}; see joinkit ${command} --help`;
        }
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ""}; see joinkit ${command} --help`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            return (OPTIONS[name] as OptionDefinition | undefined)?.type === "boolean"
                ? `--${name} takes no value`
                : `--${name} needs a value (${(OPTIONS[name] as OptionDefinition | undefined)?.value ?? "a value"})`;
        default:
            return error.message;
    }
}
