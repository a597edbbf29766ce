/** Anything that can cancel a wait: the caller's signal, a timeout, or both. */
export type CancelSignal = AbortSignal | undefined;

/** Node's timers fire after 1 ms when asked for 2^31 ms or more; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `callback` after `ms` milliseconds, for any duration (waits past Node's timer
 * limit are chained); `Infinity` never fires and arms no timer. Returns a canceller.
 */
export function setLongTimeout(callback: () => void, ms: number): () => void {
    if (!Number.isFinite(ms)) return () => {};
    if (ms <= MAX_TIMER_MS) {
        const timer = setTimeout(callback, ms);
        return () => clearTimeout(timer);
    }
    let remaining = ms;
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
        const chunk = Math.min(remaining, MAX_TIMER_MS);
        remaining -= chunk;
        timer = setTimeout(remaining > 0 ? arm : callback, chunk);
    };
    arm();
    return () => clearTimeout(timer);
}

interface Watchers {
    readonly callbacks: Set<() => void>;
    readonly listener: () => void;
}

// One listener per caller signal, however many calls share it: a signal shared by more
// than ten calls would otherwise print MaxListenersExceededWarning, and every call would
// pay for its own listener.
const watchersBySignal = new WeakMap<AbortSignal, Watchers>();

/** Runs `callback` once when `signal` aborts; the returned function unsubscribes. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
    let watchers = watchersBySignal.get(signal);
    if (!watchers) {
        const callbacks = new Set<() => void>();
        const listener = () => {
            watchersBySignal.delete(signal);
            for (const each of [...callbacks]) each();
        };
        watchers = { callbacks, listener };
        watchersBySignal.set(signal, watchers);
        signal.addEventListener("abort", listener, { once: true });
    }
    const { callbacks, listener } = watchers;
    callbacks.add(callback);
    return () => {
        if (!callbacks.delete(callback) || callbacks.size > 0) return;
        signal.removeEventListener("abort", listener);
        if (watchersBySignal.get(signal)?.callbacks === callbacks) watchersBySignal.delete(signal);
    };
}

/** Waits `ms` (any duration), or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: CancelSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const unsubscribe = signal
            ? onAbort(signal, () => {
                cancel();
                reject(signal.reason);
            })
            : () => {};
        const cancel = setLongTimeout(() => {
            unsubscribe();
            resolve();
        }, ms);
    });
}

/** Why the runtime itself aborted a request: its timeout ran out. */
export class TimeoutReason extends Error {
    constructor(readonly timeoutMs: number) {
        super(`timed out after ${timeoutMs} ms`);
        this.name = "TimeoutError";
    }
}

/**
 * A signal that aborts when the caller's does or when `timeoutMs` passes, and a
 * `dispose` that removes every timer and subscription it added (so thousands of calls on
 * one long-lived caller signal leave nothing behind). With no caller signal and no finite
 * timeout there is nothing to cancel, and no signal: following one costs each request
 * several microseconds.
 */
export function deadline(
    caller: AbortSignal | undefined,
    timeoutMs: number,
): { signal: AbortSignal | undefined; dispose(): void; stopTimer(): void } {
    if (!caller && !Number.isFinite(timeoutMs)) return { signal: undefined, dispose() {}, stopTimer() {} };
    const controller = new AbortController();
    let unsubscribe = () => {};
    if (caller?.aborted) controller.abort(caller.reason);
    else if (caller) unsubscribe = onAbort(caller, () => controller.abort(caller.reason));
    const cancelTimer = setLongTimeout(() => controller.abort(new TimeoutReason(timeoutMs)), timeoutMs);
    return {
        signal: controller.signal,
        dispose() {
            cancelTimer();
            unsubscribe();
        },
        // A streamed body outlives the timeout (it has its own idle limit) but not the caller's signal.
        stopTimer: cancelTimer,
    };
}

/** Milliseconds on a clock that never jumps (unlike `Date.now()` when the system clock is set). */
export function monotonicNow(): number {
    return performance.now();
}
