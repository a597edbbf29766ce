import { existsSync } from "node:fs";
import path from "node:path";
import {
    BaseResolver,
    createConfig,
    getLineColLocation,
    lintDocument,
    loadConfig,
    type Config,
    type NormalizedProblem,
} from "@redocly/openapi-core";
import type { LoadedSpec } from "./load-spec.js";
import type { SpecProblem } from "./spec-error.js";

export const CONFIG_FILE = "redocly.yaml";

/**
 * For a document with no `redocly.yaml`: Redocly's `minimal` ruleset, so a document nobody
 * here wrote generates unless it is structurally broken, less the example checks, which
 * cannot break generation and cost three quarters of lint time on large documents.
 */
export const FALLBACK_CONFIG = {
    extends: ["minimal"],
    rules: { "no-invalid-media-type-examples": "off", "no-invalid-schema-examples": "off", "no-invalid-parameter-examples": "off" },
} as const;

/**
 * The Redocly configuration for a spec: the explicit file if given, else the nearest
 * `redocly.yaml` in the spec's folder or above it, else `FALLBACK_CONFIG`.
 */
export async function loadLintConfig(specFile: string, configFile?: string): Promise<Config> {
    const found = configFile ?? findUp(path.dirname(path.resolve(specFile)), CONFIG_FILE);
    return found ? loadConfig({ configPath: found }) : createConfig(structuredClone(FALLBACK_CONFIG) as never);
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
        p.severity === "error" && !GENERATION_BLOCKING_RULES.has(p.rule) ? { ...p, severity: "warning" } : p,
    );
}

/** Lints one loaded spec; the resolver is shared with bundling so external files are read once. */
export async function lintSpec(spec: LoadedSpec, config: Config, resolver: BaseResolver): Promise<SpecProblem[]> {
    const problems = await lintDocument({ document: spec.document, config, externalRefResolver: resolver });
    return problems.filter((p) => !p.ignored).map((p) => toSpecProblem(p, spec));
}

export function toSpecProblem(problem: NormalizedProblem, spec: LoadedSpec): SpecProblem {
    const location = problem.location[0];
    const severity = problem.severity === "error" ? "error" : "warning";
    if (!location) return { file: spec.displayName, rule: problem.ruleId, message: problem.message, severity };
    if (spec.convertedFrom && location.source.absoluteRef === spec.file) {
        const message = `${problem.message} (in the OpenAPI 3.0 conversion of this ${spec.convertedFrom} document)`;
        return { file: spec.displayName, pointer: location.pointer, rule: problem.ruleId, message, severity };
    }
    const lineCol = safeLineColumn(location);
    const file =
        location.source.absoluteRef === spec.file
            ? spec.displayName
            : path.relative(process.cwd(), location.source.absoluteRef);
    return {
        file,
        line: lineCol?.start.line,
        column: lineCol?.start.col,
        pointer: location.pointer,
        rule: problem.ruleId,
        message: problem.message,
        severity,
    };
}

function safeLineColumn(location: NormalizedProblem["location"][number]) {
    try {
        return getLineColLocation(location);
    } catch {
        // Redocly re-parses the text to find the line; a document it cannot map still gets its pointer.
        return undefined;
    }
}

function findUp(dir: string, name: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        const candidate = path.join(current, name);
        if (existsSync(candidate)) return candidate;
        if (path.dirname(current) === current) return undefined;
    }
}
