/** Replaces every occurrence of a secret with this marker. */
export const REDACTED = "[REDACTED]";

/**
 * A function that strips the given secrets from any value: strings are scrubbed, arrays and
 * plain objects are copied with scrubbed contents. Used on everything a call hands back or
 * logs, because servers echo requests and proxies echo headers.
 */
export function createRedactor(secrets: readonly string[]): <T>(value: T) => T {
    const needles = [...new Set(secrets.filter((secret) => secret.length > 0))]
        // Longest first, so a secret that contains another is replaced whole.
        .sort((a, b) => b.length - a.length);
    if (needles.length === 0) return (value) => value;

    const scrubString = (text: string): string =>
        needles.reduce((acc, needle) => acc.split(needle).join(REDACTED), text);

    const scrub = (value: unknown, depth: number): unknown => {
        if (typeof value === "string") return scrubString(value);
        // Deeper than any real error body; past it, drop rather than risk a leak.
        if (depth > 64) return REDACTED;
        if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
        if (isPlainObject(value)) {
            return Object.fromEntries(
                Object.entries(value).map(([key, item]) => [scrubString(key), scrub(item, depth + 1)]),
            );
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
