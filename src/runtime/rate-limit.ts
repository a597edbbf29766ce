import type { RateLimitRule } from "./contract.js";
import { monotonicNow, onAbort, sleep, type CancelSignal } from "./timing.js";

/** Held while a call is under way; `release` frees its in-flight slot (idempotent). */
export interface RateLimitPermit {
    /** How long the call waited for its slot and token, in milliseconds. */
    readonly waitedMs: number;
    release(): void;
}

/**
 * A token bucket with an optional cap on calls in flight. Callers that find it empty
 * reserve the next token (the count goes negative) and wait for it, and callers waiting
 * for a slot queue in order, so waiting calls go out in the order they arrived. Time is
 * read from a monotonic clock: setting the system clock does not stall or release calls.
 */
export class RateLimiter {
    private tokens: number;
    private updatedAt: number;
    private readonly ratePerMs: number;
    private readonly capacity: number;
    private inFlight = 0;
    private tokenWaits = 0;
    private readonly slotQueue: { grant(): void }[] = [];
    /**
     * Without a burst the rule is a ceiling, kept exactly with the send times of the last
     * `requests` calls: a token bucket would let a full bucket plus a window's refill through
     * in one window, twice what the vendor counts (and Sonoran CMS blocks a key for an hour).
     */
    private readonly recentSends: number[] | undefined;

    constructor(readonly rule: RateLimitRule) {
        this.capacity = rule.burst ?? rule.requests;
        this.tokens = this.capacity;
        this.updatedAt = monotonicNow();
        this.ratePerMs = rule.requests / (rule.perSeconds * 1000);
        this.recentSends = rule.burst === undefined && Number.isInteger(rule.requests) ? [] : undefined;
    }

    /** Resolves when the caller may send. Rejects with the signal's reason if it aborts first. */
    async acquire(signal: CancelSignal): Promise<RateLimitPermit> {
        if (signal?.aborted) throw signal.reason;
        const started = monotonicNow();
        // Slot and token are reserved synchronously when free, so a limiter is never idle
        // (and dropped) between a caller finding it and using it.
        const slot = this.takeSlot(signal);
        if (slot) await slot;
        try {
            await this.takeToken(signal);
        } catch (reason) {
            this.releaseSlot();
            throw reason;
        }
        let released = false;
        return {
            waitedMs: Math.round(monotonicNow() - started),
            release: () => {
                if (released) return;
                released = true;
                this.releaseSlot();
            },
        };
    }

    /** Nothing waiting, nothing in flight, and the bucket full again: indistinguishable from a new one. */
    isIdle(): boolean {
        if (this.inFlight !== 0 || this.tokenWaits !== 0 || this.slotQueue.length !== 0) return false;
        if (this.recentSends) {
            return (this.recentSends.at(-1) ?? -Infinity) <= monotonicNow() - this.rule.perSeconds * 1000;
        }
        this.refill();
        return this.tokens >= this.capacity;
    }

    private refill(): void {
        const now = monotonicNow();
        this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.ratePerMs);
        this.updatedAt = now;
    }

    private async takeToken(signal: CancelSignal): Promise<void> {
        if (this.recentSends) return this.takeWindowTurn(this.recentSends, signal);
        this.refill();
        this.tokens -= 1;
        if (this.tokens >= 0) return;
        this.tokenWaits++;
        try {
            await sleep(Math.ceil(-this.tokens / this.ratePerMs), signal);
        } catch (reason) {
            this.tokens += 1; // give the reservation back
            throw reason;
        } finally {
            this.tokenWaits--;
        }
    }

    /** Reserves the earliest send time that keeps every window at `requests` calls, and waits for it. */
    private async takeWindowTurn(sends: number[], signal: CancelSignal): Promise<void> {
        const now = monotonicNow();
        const windowMs = this.rule.perSeconds * 1000;
        // Reserved times never decrease, so the call `requests` places back bounds this one.
        const at = sends.length < this.rule.requests
            ? now
            : Math.max(now, sends[sends.length - this.rule.requests]! + windowMs);
        sends.push(at);
        if (sends.length > this.rule.requests) sends.shift();
        if (at <= now) return;
        this.tokenWaits++;
        try {
            // An aborted wait keeps its reservation: the limit stays exact, at worst one turn later.
            await sleep(Math.ceil(at - now), signal);
        } finally {
            this.tokenWaits--;
        }
    }

    /** Takes a free slot at once (undefined), or returns the wait for one. */
    private takeSlot(signal: CancelSignal): Promise<void> | undefined {
        const max = this.rule.maxInFlight;
        if (max === undefined) return undefined;
        if (this.inFlight < max && this.slotQueue.length === 0) {
            this.inFlight++;
            return undefined;
        }
        return new Promise((resolve, reject) => {
            const entry = {
                grant: () => {
                    unsubscribe();
                    resolve();
                },
            };
            const unsubscribe = signal
                ? onAbort(signal, () => {
                    this.slotQueue.splice(this.slotQueue.indexOf(entry), 1);
                    reject(signal.reason);
                })
                : () => {};
            this.slotQueue.push(entry);
        });
    }

    private releaseSlot(): void {
        if (this.rule.maxInFlight === undefined) return;
        const next = this.slotQueue.shift();
        // The slot passes straight to the next caller in line.
        if (next) next.grant();
        else this.inFlight--;
    }
}

// Limiters outlive client objects: clients with the same identity share one limit per
// operation, as the server sees them. Keys hold the identity in full (never a hash two
// tenants could share).
const limiters = new Map<string, RateLimiter>();
let lastSweep = 0;
const SWEEP_EVERY_MS = 1000;

/**
 * The process-wide limiter for `identity` (a caller-chosen key, or the client's
 * credentials), `operation` and `rule`. Limiters that have gone idle are dropped.
 */
export function limiterFor(identity: string, operation: string, rule: RateLimitRule): RateLimiter {
    const now = monotonicNow();
    if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        for (const [key, limiter] of limiters) if (limiter.isIdle()) limiters.delete(key);
    }
    const key = JSON.stringify([
        identity,
        operation,
        rule.requests,
        rule.perSeconds,
        rule.burst ?? null,
        rule.maxInFlight ?? null,
    ]);
    let limiter = limiters.get(key);
    if (!limiter) {
        limiter = new RateLimiter(rule);
        limiters.set(key, limiter);
    }
    return limiter;
}

/** How many limiters the process holds (for tests and diagnostics). */
export function activeLimiterCount(): number {
    return limiters.size;
}
