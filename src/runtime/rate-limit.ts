import type { CancelSignal } from "./timing.js";
import { sleep } from "./timing.js";

/** A client-side limit: at most `requests` calls per `perSeconds`, bursts up to `requests`. */
export interface RateLimit {
    readonly requests: number;
    readonly perSeconds: number;
}

/**
 * A token bucket. Callers that find it empty reserve the next token (the count goes
 * negative) and wait for it, so waiting calls go out in the order they arrived.
 */
export class TokenBucket {
    private tokens: number;
    private updatedAt: number;
    private readonly ratePerMs: number;

    constructor(private readonly limit: RateLimit) {
        this.tokens = limit.requests;
        this.updatedAt = Date.now();
        this.ratePerMs = limit.requests / (limit.perSeconds * 1000);
    }

    /** Resolves when the caller may send; returns how long it waited. Rejects if cancelled. */
    async take(signal: CancelSignal): Promise<number> {
        const now = Date.now();
        this.tokens = Math.min(this.limit.requests, this.tokens + (now - this.updatedAt) * this.ratePerMs);
        this.updatedAt = now;
        this.tokens -= 1;
        if (this.tokens >= 0) return 0;
        const wait = Math.ceil(-this.tokens / this.ratePerMs);
        try {
            await sleep(wait, signal);
        } catch (reason) {
            this.tokens += 1; // give the reservation back
            throw reason;
        }
        return wait;
    }
}

// Buckets outlive client objects: two clients built with the same credentials share one
// limit, as the server would see them.
const buckets = new Map<string, TokenBucket>();

export function bucketFor(key: string, limit: RateLimit): TokenBucket {
    let bucket = buckets.get(key);
    if (!bucket) {
        bucket = new TokenBucket(limit);
        buckets.set(key, bucket);
    }
    return bucket;
}

/** A stable, non-reversible tag for a set of credentials (FNV-1a), to key buckets by. */
export function credentialTag(secrets: readonly string[]): string {
    let hash = 0x811c9dc5;
    for (const char of secrets.join("\u0000")) {
        hash ^= char.codePointAt(0)!;
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(36);
}
