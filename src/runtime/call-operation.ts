import { BodyTooLarge, capBody, invalidResponse } from "./body.js";
import type { ApiClient, CallBehaviour, ClientSettings } from "./client.js";
import { retryPolicy, settingsOf } from "./client.js";
import { decodeHttpError, decodeSuccess } from "./decode.js";
import type { ApiError, ErrorCause } from "./errors.js";
import { loggableHeaders } from "./log.js";
import type { OperationInit, OperationResult, OperationSpec } from "./operation.js";
import { bucketFor } from "./rate-limit.js";
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES } from "./retry.js";
import { deadline, sleep, TimeoutReason } from "./timing.js";

/** Per-call options that are not part of the HTTP request itself. */
export interface CallOptions extends CallBehaviour {
    /** Aborts the call, including any wait for a retry or a rate-limit slot. */
    signal?: AbortSignal;
}

type LooseRequest = (
    method: string,
    path: string,
    init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

interface Attempt<Operation, Code> {
    readonly result: OperationResult<Operation, Code>;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;
}

/**
 * Runs one operation through the client's openapi-fetch instance and turns whatever
 * happens into `{ data, error, response }`: it waits for a rate-limit slot, retries what
 * is safe to retry, and never rejects. Every generated wrapper is a call to this.
 */
export async function callOperation<Paths extends {}, Operation, Code>(
    client: ApiClient<Paths>,
    spec: OperationSpec,
    init: OperationInit<Operation> | undefined,
    options: CallOptions = {},
): Promise<OperationResult<Operation, Code>> {
    const settings = settingsOf(client);
    const retry = spec.idempotent ? retryPolicy(settings.retry, options.retry) : retryPolicy(settings.retry, false);
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    const bucket =
        spec.rateLimit && settings.rateLimitKey !== undefined
            ? bucketFor(`${settings.rateLimitKey} ${spec.method} ${spec.path}`, spec.rateLimit)
            : undefined;

    for (let attempt = 1; ; attempt++) {
        if (bucket) {
            try {
                const waitedMs = await bucket.take(options.signal);
                if (waitedMs > 0) settings.logger?.({ type: "rate-limit-wait", method: spec.method.toUpperCase(), path: spec.path, waitedMs });
            } catch {
                return failure(abortedError(), undefined);
            }
        }
        const outcome = await attemptOnce<Paths, Operation, Code>(client, settings, spec, init, options.signal, timeoutMs, attempt);
        const last = attempt >= retry.maxAttempts || !outcome.retryable;
        if (last || (outcome.retryAfterMs ?? 0) > retry.maxRetryAfterMs) return outcome.result;

        const delayMs = backoffDelay(retry, attempt, outcome.retryAfterMs);
        const error = outcome.result.error!;
        settings.logger?.({
            type: "retry",
            attempt,
            method: spec.method.toUpperCase(),
            url: outcome.result.response?.url ?? spec.path,
            delayMs,
            reason: "status" in error ? `HTTP ${error.status}` : error.kind,
        });
        try {
            await sleep(delayMs, options.signal);
        } catch {
            return failure(abortedError(), outcome.result.response);
        }
    }
}

async function attemptOnce<Paths extends {}, Operation, Code>(
    client: ApiClient<Paths>,
    settings: ClientSettings,
    spec: OperationSpec,
    init: OperationInit<Operation> | undefined,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    attempt: number,
): Promise<Attempt<Operation, Code>> {
    const { redact, logger } = settings;
    const limit = deadline(callerSignal, timeoutMs);
    let received: Response | undefined;
    let started = 0;
    // openapi-fetch builds the request and runs middleware; this fetch sees the final
    // request, keeps the real response (status, url) and caps how much body is read.
    const fetch = async (request: Request): Promise<Response> => {
        logger?.({ type: "request", attempt, method: request.method, url: request.url, headers: loggableHeaders(request.headers) });
        started = performance.now();
        received = await settings.fetch(request, limit.signal);
        logger?.({ type: "response", attempt, method: request.method, url: request.url, status: received.status, ms: Math.round(performance.now() - started) });
        return capBody(received, settings.maxBodyBytes);
    };
    // The generated wrapper's signature carries the precise types; openapi-fetch's own
    // generics cannot be re-derived from a runtime path string, so call it loosely.
    const request = client.raw.request as unknown as LooseRequest;
    try {
        const { data, error } = await request(spec.method, spec.path, { ...init, parseAs: "text", fetch });
        const response = received!;
        if (response.ok) {
            const decoded = decodeSuccess<Code>(response, data as string | undefined, spec.jsonResponses);
            if (decoded.error) return { result: failure(redact(decoded.error), response), retryable: false };
            return { result: { data: decoded.data, error: undefined, response } as OperationResult<Operation, Code>, retryable: false };
        }
        const retryAfterMs = parseRetryAfter(response.headers.get("Retry-After"));
        return {
            result: failure(redact(decodeHttpError<Code>(response, error, spec.errors, retryAfterMs)), response),
            retryable: RETRYABLE_STATUSES.has(response.status),
            retryAfterMs,
        };
    } catch (thrown) {
        return { ...classify<Operation, Code>(thrown, limit.signal, received, redact) };
    } finally {
        limit.dispose();
    }
}

/** What a thrown fetch or body read means for the caller. */
function classify<Operation, Code>(
    thrown: unknown,
    signal: AbortSignal | undefined,
    received: Response | undefined,
    redact: <T>(value: T) => T,
): Attempt<Operation, Code> {
    const reason = signal?.aborted ? signal.reason : undefined;
    if (reason instanceof TimeoutReason) {
        const error: ApiError<Code> = { kind: "timeout", message: `Request ${reason.message}`, timeoutMs: reason.timeoutMs };
        return { result: failure(error, received), retryable: true };
    }
    if (signal?.aborted) return { result: failure(abortedError(), received), retryable: false };
    const cause = rootCause(thrown);
    if (cause instanceof BodyTooLarge && received) {
        const error = invalidResponse(received.status, `${cause.message}; reading stopped`, cause.prefix);
        return { result: failure(redact({ ...error, truncated: true }), received), retryable: false };
    }
    const summary = describeCause(cause);
    const error: ApiError<Code> = { kind: "network", message: `Request failed: ${summary.message}`, cause: summary };
    return { result: failure(redact(error), received), retryable: true };
}

function rootCause(thrown: unknown): unknown {
    let current = thrown;
    // fetch wraps the socket error ("fetch failed" → ECONNREFUSED); report the root.
    for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) {
        if (current instanceof BodyTooLarge) break;
        current = current.cause;
    }
    return current;
}

function describeCause(cause: unknown): ErrorCause {
    if (cause instanceof Error) {
        const code = (cause as { code?: unknown }).code;
        return { name: cause.name, message: cause.message, ...(typeof code === "string" ? { code } : {}) };
    }
    return { name: "Error", message: String(cause) };
}

function abortedError(): ApiError<never> {
    return { kind: "aborted", message: "The call was aborted by its signal" };
}

function failure<Operation, Code>(error: ApiError<Code>, response: Response | undefined): OperationResult<Operation, Code> {
    return { data: undefined, error, response };
}
