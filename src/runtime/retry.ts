import type { ApiError } from "./errors.js";

/** When and how often a call is tried again. */
export interface RetryPolicy {
    /** Attempts in all, the first included. `1` means no retry. */
    readonly maxAttempts: number;
    /** The first backoff; each later one doubles, up to `maxDelayMs`. */
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    /** A `Retry-After` longer than this is not waited for: the call fails instead. */
    readonly maxRetryAfterMs: number;
    /**
     * Errors that end the call even where a retry would otherwise be allowed (an API's "do
     * not repeat this" code, say). It can only forbid a retry, never add one.
     */
    readonly isFinal?: (error: ApiError<unknown>) => boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
    maxAttempts: 3,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    maxRetryAfterMs: 60_000,
};

export const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 1 };

/**
 * Socket errors that prove the request never left this machine: the connection was refused
 * or the host name did not resolve, so the server saw nothing. Only these let an operation
 * that is not safe to repeat be sent again; a timeout, a reset or any answer may mean the
 * server already acted.
 */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** Statuses that say "try again later" rather than "this request is wrong". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The wait before attempt `attempt + 1`: the server's `Retry-After` when it gave one,
 * else exponential backoff with full jitter (a random wait between half and all of the
 * exponential delay, so clients that failed together do not retry together).
 */
export function backoffDelay(
    policy: RetryPolicy,
    attempt: number,
    retryAfterMs: number | undefined,
    random = Math.random,
): number {
    if (retryAfterMs !== undefined) return retryAfterMs;
    const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exponential * (0.5 + random() / 2));
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP-date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
    if (header === null || header.trim() === "") return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
