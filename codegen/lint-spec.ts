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

/** Lints one loaded spec; the resolver is shared with bundling so external files are read once. */
export async function lintSpec(spec: LoadedSpec, config: Config, resolver: BaseResolver): Promise<SpecProblem[]> {
    const problems = await lintDocument({ document: spec.document, config, externalRefResolver: resolver });
    return problems.filter((p) => !p.ignored).map((p) => toSpecProblem(p, spec));
}

export function toSpecProblem(problem: NormalizedProblem, spec: LoadedSpec): SpecProblem {
    const location = problem.location[0];
    const severity = problem.severity === "error" ? "error" : "warning";
    if (!location) return { file: spec.displayName, rule: problem.ruleId, message: problem.message, severity };
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
