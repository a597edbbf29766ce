/** Anything that can cancel a wait: the caller's signal, a timeout, or both. */
export type CancelSignal = AbortSignal | undefined;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: CancelSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal!.reason);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, { once: true });
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
 * `dispose` that removes every timer and listener it added (so thousands of calls on one
 * long-lived caller signal leave nothing behind). With no caller signal and no finite
 * timeout there is nothing to cancel, and no signal: following one costs each request
 * several microseconds.
 */
export function deadline(caller: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal | undefined; dispose(): void } {
    if (!caller && !Number.isFinite(timeoutMs)) return { signal: undefined, dispose() {} };
    const controller = new AbortController();
    const onAbort = () => controller.abort(caller!.reason);
    if (caller?.aborted) controller.abort(caller.reason);
    else caller?.addEventListener("abort", onAbort, { once: true });
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(new TimeoutReason(timeoutMs)), timeoutMs) : undefined;
    return {
        signal: controller.signal,
        dispose() {
            clearTimeout(timer);
            caller?.removeEventListener("abort", onAbort);
        },
    };
}
