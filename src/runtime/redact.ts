/** Replaces every occurrence of a secret with this marker. */
export const REDACTED = "[REDACTED]";

/**
 * Secrets shorter than this are replaced only where a whole string equals them: scrubbing
 * every "k" out of every message would hide nothing and wreck the text.
 */
export const MIN_SUBSTRING_SECRET = 4;

/**
 * A function that strips the given secrets from any value: strings are scrubbed, arrays and
 * plain objects are copied with scrubbed values (keys are kept: they are structure, such
 * as an error's `kind`). Used on everything a call hands back or logs, because servers
 * echo requests and proxies echo headers.
 */
export function createRedactor(secrets: readonly string[]): <T>(value: T) => T {
    const distinct = [...new Set(secrets.filter((secret) => secret.length > 0))];
    if (distinct.length === 0) return (value) => value;
    // Longest first, so a secret that contains another is replaced whole.
    const needles = distinct.filter((s) => s.length >= MIN_SUBSTRING_SECRET).sort((a, b) => b.length - a.length);
    const exact = new Set(distinct);

    const scrubString = (text: string): string =>
        exact.has(text) ? REDACTED : needles.reduce((acc, needle) => acc.split(needle).join(REDACTED), text);

    const scrub = (value: unknown, depth: number): unknown => {
        if (typeof value === "string") return scrubString(value);
        // Deeper than any real error body; past it, drop rather than risk a leak.
        if (depth > 64) return REDACTED;
        if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
        if (isPlainObject(value)) {
            return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, depth + 1)]));
        }
        return value;
    };
    return <T>(value: T) => scrub(value, 0) as T;
}

// Class instances (Error, Response, …) are passed through: copying them would lose what
// makes them useful, and their text is not built from request data.
function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object") return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
