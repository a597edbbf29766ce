import { isPlainObject } from "./options.js";

/** Replaces every occurrence of a secret with this marker. */
export const REDACTED = "[REDACTED]";

/**
 * Secrets shorter than this are replaced only where a whole string equals them: scrubbing
 * every "k" out of every message would hide nothing and wreck the text. It is also the
 * shortest fragment of a secret that a cut text may not end with.
 */
export const MIN_SUBSTRING_SECRET = 4;

/** Strips secrets out of everything a call hands back or logs. */
export interface Redactor {
    /** Strings scrubbed; arrays and plain objects copied with scrubbed keys and values. */
    value<T>(value: T): T;
    /** The text with every secret (raw, JSON-escaped or percent-encoded) replaced. */
    text(text: string): string;
    /**
     * Redacts first, then cuts to `max` characters; a cut that would leave the start of a
     * secret (4 characters or more) at the end drops that start too. `endsCut` says the
     * text given is itself the start of something longer (a body read up to a limit).
     */
    cut(text: string, max: number, endsCut?: boolean): { readonly text: string; readonly truncated: boolean };
}

/**
 * A redactor for the given secrets. Servers echo requests and proxies echo headers, so it
 * runs over every error and log event; keys are scrubbed too, because a secret can come
 * back as an object key.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
    const distinct = [...new Set(secrets.filter((secret) => typeof secret === "string" && secret.length > 0))];
    const exact = new Set(distinct);
    // A secret can come back as written, JSON-escaped inside a raw body, or percent-encoded
    // in a URL. Longest first, so a secret that contains another is replaced whole.
    const needles = [...new Set(distinct.filter((s) => s.length >= MIN_SUBSTRING_SECRET).flatMap(encodings))].sort(
        (a, b) => b.length - a.length,
    );

    const text = (input: string): string => (exact.has(input) ? REDACTED : scrubSubstrings(input));
    // Keys are scrubbed of secrets of 4 characters or more only: a key that merely equals a
    // short secret ("k", "id") is structure, not an echo.
    const scrubSubstrings = (input: string): string => {
        let output = input;
        for (const needle of needles) if (output.includes(needle)) output = output.split(needle).join(REDACTED);
        return output;
    };

    /** How many trailing characters of `input` are the start of a secret (0 if none). */
    const partialSecretAtEnd = (input: string): number => {
        let longest = 0;
        for (const needle of needles) {
            for (
                let length = Math.min(needle.length - 1, input.length);
                length >= MIN_SUBSTRING_SECRET && length > longest;
                length--
            ) {
                if (input.endsWith(needle.slice(0, length))) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    };

    const cut = (input: string, max: number, endsCut = false) => {
        const redacted = text(input);
        if (redacted.length <= max && !endsCut) return { text: redacted, truncated: false };
        let kept = redacted.slice(0, max);
        // Never leave half a marker either: it would read as if something else was there.
        const marker = kept.lastIndexOf("[");
        if (marker >= 0 && REDACTED.startsWith(kept.slice(marker)) && kept.length - marker < REDACTED.length) {
            kept = kept.slice(0, marker);
        }
        return { text: kept.slice(0, kept.length - partialSecretAtEnd(kept)), truncated: true };
    };

    const scrub = (value: unknown, depth: number): unknown => {
        if (typeof value === "string") return text(value);
        // Deeper than any real error body; past it, drop rather than risk a leak.
        if (depth > 64) return REDACTED;
        if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
        // Plain objects only: class instances (Error, Response, …) are passed through, since copying
        // them would lose what makes them useful, and their text is not built from request data.
        if (isPlainObject(value)) {
            return Object.fromEntries(
                Object.entries(value).map(([key, item]) => [scrubSubstrings(key), scrub(item, depth + 1)]),
            );
        }
        return value;
    };

    if (distinct.length === 0) {
        return {
            value: (value) => value,
            text: (input) => input,
            cut: (input, max, endsCut = false) => ({
                text: input.slice(0, max),
                truncated: endsCut || input.length > max,
            }),
        };
    }
    return { value: <T>(value: T) => scrub(value, 0) as T, text, cut };
}

function encodings(secret: string): string[] {
    const forms = [secret, JSON.stringify(secret).slice(1, -1)];
    try {
        forms.push(encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, "+"));
    } catch {
        // A lone surrogate cannot be percent-encoded, so it cannot appear that way either.
    }
    return forms;
}
