import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
    type BaseResolver,
    createConfig,
    lintDocument,
    loadConfig,
    parseYaml,
    Source,
    type Config,
    type NormalizedProblem,
} from "@redocly/openapi-core";
import type { LoadedSpec } from "./load.js";
import { createLocator, locatorsBySource, type LineColumn, type Locate } from "./locate.js";
import { SpecError, type SpecProblem } from "../core/spec-error.js";

export { CONFIG_FILE, FALLBACK_CONFIG } from "./lint-defaults.js";
import { configCandidates, FALLBACK_CONFIG } from "./lint-defaults.js";

/** Who may be trusted with a config's code, and where configs may be looked up. */
/** A loaded Redocly config, as the rest of the generator sees it (only spec/ imports Redocly). */
export type LintConfig = Config;

export interface ConfigAccess {
    /** The project: configs are looked up from the spec's folder up to here, never above. */
    readonly project: string;
    /** Whether the spec is inside the project; a document from elsewhere gets no config looked up. */
    readonly trusted: boolean;
    /** The user opted in to plugins (custom rules, decorators, preprocessors): `--allow-config-plugins`. */
    readonly allowPlugins: boolean;
}

/**
 * The Redocly configuration for a spec: the explicit file if given, else the nearest
 * `redocly.yaml` from the spec's folder up to the project root (only for a spec inside the
 * project), else `FALLBACK_CONFIG`. A config that would run code (plugins) or fetch
 * another config from the network is refused, located, unless the user opted in.
 */
export async function loadLintConfig(specFile: string, configFile?: string, access?: ConfigAccess): Promise<Config> {
    const rules = access ?? { project: path.dirname(path.resolve(specFile)), trusted: true, allowPlugins: false };
    const found = configFile
        ?? (rules.trusted ? configCandidates(specFile, rules.project).find((file) => existsSync(file)) : undefined);
    if (!found) return createConfig(structuredClone(FALLBACK_CONFIG) as never);
    refuseUnsafeConfig(found, rules.allowPlugins, new Set());
    return loadConfig({ configPath: found });
}

const BUILT_IN_RULESETS = new Set(["recommended", "recommended-strict", "minimal", "all", "spec"]);

/** Walks a config and the configs it extends, refusing what would run or fetch code. */
function refuseUnsafeConfig(file: string, allowPlugins: boolean, seen: Set<string>): void {
    if (seen.has(file)) return;
    seen.add(file);
    const shown = path.relative(process.cwd(), file) || file;
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (error) {
        throw configProblem(
            shown,
            undefined,
            "config",
            `cannot read the config (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
    }
    let parsed: unknown;
    try {
        parsed = parseYaml(text, { filename: file });
    } catch (error) {
        throw configProblem(
            shown,
            undefined,
            "config",
            `cannot parse the config: ${(error as Error).message.split("\n")[0]}`,
        );
    }
    const config = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    const source = new Source(file, text);
    const locate = createLocator(source);
    const where = (pointer: string) => safeLineColumn(() => locate(pointer, true))?.line;
    const plugins = config.plugins;
    if (!allowPlugins && plugins !== undefined && !(Array.isArray(plugins) && plugins.length === 0)) {
        throw configProblem(
            shown,
            where("#/plugins"),
            "config-plugins",
            "declares plugins, which run code (custom rules, decorators, preprocessors); joinkit loads them only when you pass --allow-config-plugins "
                + '(or set "allowConfigPlugins": true under "joinkit" in package.json), and never from a config beside a document outside the project',
        );
    }
    const extended = Array.isArray(config.extends)
        ? config.extends
        : config.extends === undefined
        ? []
        : [config.extends];
    extended.forEach((entry, index) => {
        if (typeof entry !== "string" || BUILT_IN_RULESETS.has(entry)) return;
        if (/^[a-z][a-z0-9+.-]*:/i.test(entry)) {
            throw configProblem(
                shown,
                where(`#/extends/${index}`),
                "config-extends",
                `extends ${entry}, which would be fetched from the network; save it beside the config and extend the file instead`,
            );
        }
        refuseUnsafeConfig(path.resolve(path.dirname(file), entry), allowPlugins, seen);
    });
}

function configProblem(file: string, line: number | undefined, rule: string, message: string): SpecError {
    return new SpecError([{ file, line, rule, message, severity: "error" }]);
}

/**
 * Rules whose errors mean no client can be made from the document; every other lint error
 * in a document that is not the project's own is reported as a warning.
 */
export const GENERATION_BLOCKING_RULES: ReadonlySet<string> = new Set(["no-unresolved-refs", "no-ref-cycles"]);

/**
 * The config for one spec and whether the spec is one of the project's own. A spec is the
 * project's own when the config lists it under `apis:` (Redocly's per-API configuration,
 * matched the way `redocly lint <file>` matches: by the `root` path, relative to the
 * config file); it is then linted with that API's rules and any lint error stops generation.
 */
export function configForSpec(config: Config, specFile: string): { config: Config; ownSpec: boolean } {
    const base = config.configPath ? path.dirname(config.configPath) : process.cwd();
    const target = path.resolve(specFile);
    const alias = Object.entries(config.resolvedConfig.apis ?? {}).find(
        ([, api]) => typeof api.root === "string" && path.resolve(base, api.root) === target,
    )?.[0];
    return alias === undefined ? { config, ownSpec: false } : { config: config.forAlias(alias), ownSpec: true };
}

/**
 * Severity as joinkit applies it: the project's own specs keep Redocly's; elsewhere only
 * errors that make generation impossible stay errors.
 */
export function gradeProblems(problems: readonly SpecProblem[], ownSpec: boolean): SpecProblem[] {
    if (ownSpec) return [...problems];
    return problems.map((p) =>
        p.severity === "error" && !GENERATION_BLOCKING_RULES.has(p.rule) ? { ...p, severity: "warning" } : p
    );
}

/** Lints one loaded spec; the resolver is shared with bundling so external files are read once. */
export async function lintSpec(spec: LoadedSpec, config: Config, resolver: BaseResolver): Promise<SpecProblem[]> {
    const problems = await lintDocument({ document: spec.document, config, externalRefResolver: resolver });
    return toSpecProblems(problems.filter((p) => !p.ignored), spec);
}

/**
 * Redocly's problems as joinkit reports them. Line and column are found when first read:
 * a run prints every error but only the first few warnings, and finding lines means parsing
 * the file again into an AST (about 40% of linting DigitalOcean, with 9 warnings; gigabytes
 * for a document with a warning per operation). Read at the end of a run, after the types
 * are made, that AST is also never held while the worker holds its own copy of the document.
 * One locator per file, shared by its problems.
 */
export function toSpecProblems(problems: readonly NormalizedProblem[], spec: LoadedSpec): SpecProblem[] {
    const locatorFor = locatorsBySource();
    return problems.map((problem) => toSpecProblem(problem, spec, locatorFor));
}

function toSpecProblem(
    problem: NormalizedProblem,
    spec: LoadedSpec,
    locatorFor: (source: Source) => Locate,
): SpecProblem {
    const location = problem.location[0];
    const severity = problem.severity === "error" ? "error" : "warning";
    if (!location) return { file: spec.displayName, rule: problem.ruleId, message: problem.message, severity };
    if (spec.convertedFrom && location.source.absoluteRef === spec.file) {
        const message = `${problem.message} (in the OpenAPI 3.0 conversion of this ${spec.convertedFrom} document)`;
        return { file: spec.displayName, pointer: location.pointer, rule: problem.ruleId, message, severity };
    }
    const file = location.source.absoluteRef === spec.file
        ? spec.displayName
        : path.relative(process.cwd(), location.source.absoluteRef);
    const rest = { pointer: location.pointer, rule: problem.ruleId, message: problem.message, severity } as const;
    // A problem Redocly located by line instead (a file it could not parse) keeps that line.
    if (location.pointer === undefined) {
        return { file, line: location.start?.line, column: location.start?.col, ...rest };
    }
    const pointer = location.pointer;
    let found: LineColumn | undefined | null = null;
    const at = () => (found === null
        ? (found = safeLineColumn(() => locatorFor(location.source)(pointer, location.reportOnKey === true)))
        : found);
    // Accessors in the place the fields had, so the problem still reads, spreads and serialises as before.
    const located = Object.defineProperties({ file } as SpecProblem, {
        line: { enumerable: true, get: () => at()?.line },
        column: { enumerable: true, get: () => at()?.column },
    });
    return Object.assign(located, rest);
}

function safeLineColumn(locate: () => LineColumn): LineColumn | undefined {
    try {
        return locate();
    } catch {
        // Redocly re-parses the text to find the line; a document it cannot map still gets its pointer.
        return undefined;
    }
}
