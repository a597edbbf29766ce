import path from "node:path";
import { isWithin, realLocation } from "../core/project.js";

/**
 * Lint defaults, apart from the linter itself so `joinkit --help` can state them without
 * loading Redocly.
 */

export const CONFIG_FILE = "redocly.yaml";

/** The Redocly ruleset a document with no `redocly.yaml` is linted with. */
export const FALLBACK_RULESET = "minimal";

/**
 * For a document with no `redocly.yaml`: Redocly's `minimal` ruleset, so a document nobody
 * here wrote generates unless it is structurally broken, less the example checks, which
 * cannot break generation and cost three quarters of lint time on large documents.
 */
export const FALLBACK_CONFIG = {
    extends: [FALLBACK_RULESET],
    rules: {
        "no-invalid-media-type-examples": "off",
        "no-invalid-schema-examples": "off",
        "no-invalid-parameter-examples": "off",
    },
} as const;

/**
 * Where a spec's `redocly.yaml` is looked for, nearest first: the spec's folder (symbolic
 * links resolved), then each folder above it up to the project root, never above it. The
 * first that exists is the spec's config; the check cache records them all, so a config
 * that appears nearer the spec is noticed.
 */
export function configCandidates(specFile: string, project: string): string[] {
    const candidates: string[] = [];
    for (let current = path.dirname(realLocation(specFile));; current = path.dirname(current)) {
        candidates.push(path.join(current, CONFIG_FILE));
        if (current === project || path.dirname(current) === current || !isWithin(current, project)) return candidates;
    }
}
