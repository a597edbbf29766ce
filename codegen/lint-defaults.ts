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
    rules: { "no-invalid-media-type-examples": "off", "no-invalid-schema-examples": "off", "no-invalid-parameter-examples": "off" },
} as const;
