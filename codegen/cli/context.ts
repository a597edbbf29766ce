import { readFileSync } from "node:fs";
import path from "node:path";
import type { Options } from "./options.js";
import { log } from "./report.js";
import type { GenerateOptions } from "../pipeline.js";
import { confinementFor, findProjectRoot } from "../core/project.js";

/** What every command gets: its parsed options and what the specs may read and load. */
export interface CommandContext {
    readonly cwd: string;
    readonly options: Options;
    readonly access: GenerateOptions;
    /** `--spec`, resolved. */
    readonly spec?: string;
    /** `--out`, resolved. */
    readonly out?: string;
    readonly verbose: boolean;
}

/** The context a command runs in, from its parsed options. */
export function contextFor(options: Options, cwd: string): CommandContext {
    const spec = options.spec === undefined ? undefined : path.resolve(cwd, options.spec);
    // A spec outside the project gets no opt-ins from the project's package.json.
    const optIns = spec === undefined || confinementFor(spec, cwd).trusted
        ? readOptIns(findProjectRoot(cwd))
        : NO_OPT_INS;
    const access: GenerateOptions = {
        cwd,
        configFile: options.config === undefined ? undefined : path.resolve(cwd, options.config),
        allowRemoteRefs: options["allow-remote-refs"] === true || optIns.allowRemoteRefs,
        allowConfigPlugins: options["allow-config-plugins"] === true || optIns.allowConfigPlugins,
        onFetch: (url) => log(`joinkit: fetching remote $ref ${url}`),
        strict: options.strict === true ? true : undefined,
        enums: options.enums as GenerateOptions["enums"],
    };
    return {
        cwd,
        options,
        access,
        spec,
        out: options.out === undefined ? undefined : path.resolve(cwd, options.out),
        verbose: options.verbose === true,
    };
}

interface OptIns {
    readonly allowRemoteRefs: boolean;
    readonly allowConfigPlugins: boolean;
}

const NO_OPT_INS: OptIns = { allowRemoteRefs: false, allowConfigPlugins: false };

/** `"joinkit": { "allowRemoteRefs": true, "allowConfigPlugins": true }` in the project's package.json. */
function readOptIns(project: string): OptIns {
    try {
        const pkg = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as {
            joinkit?: Record<string, unknown>;
        };
        return {
            allowRemoteRefs: pkg.joinkit?.allowRemoteRefs === true,
            allowConfigPlugins: pkg.joinkit?.allowConfigPlugins === true,
        };
    } catch {
        return NO_OPT_INS;
    }
}

/** Resolves on Ctrl-C (or a polite kill), so long-running commands can shut down cleanly. */
export function interrupted(): Promise<void> {
    return new Promise((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });
}
