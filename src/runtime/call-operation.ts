import { readBody, invalidResponse, textOf, readText } from "./body.js";
import type { ApiClient, CallBehaviour, ClientSettings } from "./client.js";
import { retryPolicy, settingsOf } from "./client.js";
import { decodeHttpError, decodeSuccess, successReading } from "./decode.js";
import { meteredStream, readEventStream } from "./event-stream.js";
import type { ApiError, ErrorCause, InvalidRequestError } from "./errors.js";
import { Exchange, type Carrier } from "./exchange.js";
import type { OperationSpec } from "./contract.js";
import type { OperationInit, OperationResult, ParseAs } from "./operation.js";
import { CALL_CHECKS, optionProblems, single } from "./options.js";
import { RequestRefused } from "./params.js";
import { limiterFor, type RateLimiter, type RateLimitPermit } from "./rate-limit.js";
import { prepareRequest, type PreparedRequest } from "./request.js";
import { backoffDelay, NEVER_SENT_CODES, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy } from "./retry.js";
import { deadline, sleep, TimeoutReason } from "./timing.js";

/** Per-call options that are not part of the HTTP request itself. */
export interface CallOptions<Parse extends ParseAs | undefined = undefined> extends CallBehaviour {
    /** Aborts the call, including any wait for a retry or a rate-limit slot, and any stream it returned. Any number of calls may share one. */
    signal?: AbortSignal;
    /**
     * Reads a success body as this instead of by its `Content-Type`: `json`, `text`,
     * `blob`, `arrayBuffer`, `stream` (a `ReadableStream` of the bytes as they arrive) or
     * `events` (a `text/event-stream` as an async iterable of events).
     */
    parseAs?: Parse;
}

const PARSE_AS: readonly string[] = ["json", "text", "blob", "arrayBuffer", "stream", "events"] satisfies ParseAs[];
const CALL_OPTION_CHECKS: typeof CALL_CHECKS = {
    ...CALL_CHECKS,
    parseAs: (v, p) => single(p, PARSE_AS.includes(v as string) ? undefined : `must be one of ${PARSE_AS.join(", ")}`),
};

interface Attempt<Operation, Code> {
    readonly result: OperationResult<Operation, Code>;
    /** Worth trying again, for an operation that is safe to repeat. */
    readonly retryable: boolean;
    /** The request provably never reached the server (refused, DNS): safe to send again whatever the operation. */
    readonly neverSent?: boolean;
    readonly retryAfterMs?: number;
}

/**
 * Runs one operation and turns whatever happens into `{ data, error, response }`: it
 * checks and builds the request (refusing what it will not send), waits for a rate-limit
 * slot, sends each attempt through the client's openapi-fetch client (`exchange.ts`:
 * middleware, redirects), reads and decodes the body, retries what is safe to retry, and
 * never rejects. Every generated wrapper is a call to this.
 */
export async function callOperation<Paths extends {}, Operation, Code, Parse extends ParseAs | undefined = undefined>(
    client: ApiClient<Paths>,
    spec: OperationSpec,
    init: OperationInit<Operation> | undefined,
    options?: CallOptions<Parse>,
): Promise<OperationResult<Operation, Code, Parse>> {
    const settings = settingsOf(client);
    const problems = optionProblems(options, CALL_OPTION_CHECKS, "options");
    if (problems.length > 0) {
        const [field, problem] = problems[0]!;
        return failure(refused<Code>(settings, new RequestRefused(field, `${field} ${problem}`)), undefined);
    }
    const signal = options?.signal;
    let prepared: PreparedRequest;
    try {
        prepared = prepareRequest(spec, init, settings.baseUrl, settings.headers);
    } catch (thrown) {
        if (thrown instanceof RequestRefused) return failure(refused<Code>(settings, thrown), undefined);
        throw thrown;
    }
    // A stream body can be sent only once.
    const retry = prepared.once ? retryPolicy(settings.retry, false) : retryPolicy(settings.retry, options?.retry);
    const timeoutMs = options?.timeoutMs ?? settings.timeoutMs;
    const limiter = limiterOf(settings, spec);
    const exchange = new Exchange(client.raw as unknown as Carrier, settings, spec, prepared);

    for (let attempt = 1;; attempt++) {
        let permit: RateLimitPermit | undefined;
        if (limiter) {
            try {
                permit = await limiter.acquire(signal);
            } catch {
                return failure(abortedError(), undefined);
            }
            if (permit.waitedMs > 0) {
                settings.logger?.({
                    type: "rate-limit-wait",
                    method: prepared.method,
                    path: spec.path,
                    waitedMs: permit.waitedMs,
                });
            }
        } else if (signal?.aborted) {
            return failure(abortedError(), undefined);
        }
        let outcome: Attempt<Operation, Code>;
        try {
            outcome = await attemptOnce<Operation, Code>(
                settings,
                spec,
                exchange,
                signal,
                timeoutMs,
                attempt,
                options?.parseAs,
            );
        } finally {
            permit?.release();
        }
        if (!shouldRetry(spec, outcome, attempt, retry)) {
            return outcome.result as OperationResult<Operation, Code, Parse>;
        }

        const delayMs = backoffDelay(retry, attempt, outcome.retryAfterMs);
        const error = outcome.result.error!;
        settings.logger?.({
            type: "retry",
            attempt,
            method: prepared.method,
            url: outcome.result.response?.url || prepared.url,
            delayMs,
            reason: "status" in error ? `HTTP ${error.status}` : error.kind,
        });
        try {
            await sleep(delayMs, signal);
        } catch {
            return failure(abortedError(), outcome.result.response);
        }
    }
}

/**
 * Whether to try again: an operation safe to repeat when the outcome is retryable, any
 * other only when the request never reached the server; attempts must remain, any
 * Retry-After must be within the cap, and the policy's `isFinal` must not veto it.
 */
function shouldRetry<Operation, Code>(
    spec: OperationSpec,
    outcome: Attempt<Operation, Code>,
    attempt: number,
    retry: RetryPolicy,
): boolean {
    const allowed = spec.idempotent ? outcome.retryable : outcome.neverSent === true;
    if (!allowed || attempt >= retry.maxAttempts || (outcome.retryAfterMs ?? 0) > retry.maxRetryAfterMs) return false;
    return !retry.isFinal?.(outcome.result.error as ApiError<unknown>);
}

function limiterOf(settings: ClientSettings, spec: OperationSpec): RateLimiter | undefined {
    const rule = spec.rateLimit ?? settings.rateLimit?.limit;
    if (!rule || !settings.rateLimit) return undefined;
    return limiterFor(settings.rateLimit.identity, `${spec.method.toUpperCase()} ${spec.path}`, rule);
}

async function attemptOnce<Operation, Code>(
    settings: ClientSettings,
    spec: OperationSpec,
    exchange: Exchange,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    attempt: number,
    parseAs: ParseAs | undefined,
): Promise<Attempt<Operation, Code>> {
    const { redactor } = settings;
    const limit = deadline(callerSignal, timeoutMs);
    let response: Response | undefined;
    let handedOff = false;
    try {
        const carried = await exchange.carry(attempt, limit.signal);
        response = carried.response;
        if (carried.refused) {
            const { decision, response: received } = carried.refused;
            await received.body?.cancel().catch(() => {});
            if (response !== received) await response.body?.cancel().catch(() => {});
            const error = redactor.value(
                {
                    kind: "redirect",
                    status: received.status,
                    location: decision.location,
                    reason: decision.reason,
                    message: decision.message,
                } as const,
            );
            return { result: failure(error, received), retryable: false };
        }

        const reading = response.ok ? successReading(response, spec, parseAs) : undefined;
        if ((reading === "events" || reading === "stream") && response.body) {
            // The body outlives this attempt: the timeout stops at the headers (an event
            // stream has its own idle limit), the caller's signal still ends it.
            limit.stopTimer();
            handedOff = true;
            const limits = {
                status: response.status,
                signal: limit.signal,
                idleTimeoutMs: timeoutMs,
                maxEventBytes: settings.maxBodyBytes,
                done: () => limit.dispose(),
            };
            const data = reading === "events"
                ? readEventStream(response.body, limits)
                : meteredStream(response.body, response.status, settings.maxBodyBytes, limit.signal, limits.done);
            return {
                result: { data, error: undefined, response } as OperationResult<Operation, Code>,
                retryable: false,
            };
        }
        const body = carried.text === undefined
            ? await readBody(response, settings.maxBodyBytes)
            : readText(carried.text, settings.maxBodyBytes);
        if (body.overLimit) {
            const error = invalidResponse(
                response.status,
                `the body is larger than ${body.limit} bytes; reading stopped`,
                textOf(body.bytes, true),
                redactor,
                true,
            );
            return { result: failure(error, response), retryable: false };
        }
        if (reading !== undefined) {
            const decoded = decodeSuccess<Code>(
                response,
                body.bytes,
                reading === "events" || reading === "stream" ? "text" : reading,
                parseAs !== undefined,
                spec,
                redactor,
            );
            if (decoded.error) return { result: failure(decoded.error, response), retryable: false };
            return {
                result: { data: decoded.data, error: undefined, response } as OperationResult<Operation, Code>,
                retryable: false,
            };
        }
        const retryAfterMs = parseRetryAfter(response.headers.get("Retry-After"));
        return {
            result: failure(
                decodeHttpError<Code>(response, textOf(body.bytes), spec, retryAfterMs, redactor) as ApiError<Code>,
                response,
            ),
            retryable: RETRYABLE_STATUSES.has(response.status),
            retryAfterMs,
        };
    } catch (thrown) {
        return classify<Operation, Code>(thrown, limit.signal, response, redactor.value);
    } finally {
        if (!handedOff) limit.dispose();
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
        const error: ApiError<Code> = {
            kind: "timeout",
            message: `Request ${reason.message}`,
            timeoutMs: reason.timeoutMs,
        };
        return { result: failure(error, received), retryable: true };
    }
    if (signal?.aborted) return { result: failure(abortedError(), received), retryable: false };
    const summary = describeCause(rootCause(thrown));
    const error: ApiError<Code> = { kind: "network", message: `Request failed: ${summary.message}`, cause: summary };
    const neverSent = received === undefined && summary.code !== undefined && NEVER_SENT_CODES.has(summary.code);
    return { result: failure(redact(error), received), retryable: true, neverSent };
}

function rootCause(thrown: unknown): unknown {
    let current = thrown;
    // fetch wraps the socket error ("fetch failed" → ECONNREFUSED); report the root.
    for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) {
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

/**
 * The result of a call a hand-written client refuses before building it (an argument the
 * operation cannot take): an `invalid-request` error, nothing sent. Resolves like a call.
 */
export function refuseRequest(
    field: string,
    message: string,
): Promise<{ readonly data: undefined; readonly error: InvalidRequestError; readonly response: undefined }> {
    return Promise.resolve({
        data: undefined,
        error: { kind: "invalid-request", message, field },
        response: undefined,
    });
}

/** The keys of a request object that `allowed` does not list (for hand-written clients). */
export function unexpectedKeys(request: unknown, allowed: readonly string[]): string[] {
    if (request === null || typeof request !== "object" || Array.isArray(request)) return [];
    return Object.keys(request).filter((key) =>
        !allowed.includes(key) && (request as Record<string, unknown>)[key] !== undefined
    );
}

function refused<Code>(settings: ClientSettings, refusal: RequestRefused): ApiError<Code> {
    return settings.redactor.value({ kind: "invalid-request", message: refusal.message, field: refusal.field });
}

function abortedError(): ApiError<never> {
    return { kind: "aborted", message: "The call was aborted by its signal" };
}

function failure<Operation, Code, Parse extends ParseAs | undefined = undefined>(
    error: ApiError<Code>,
    response: Response | undefined,
): OperationResult<Operation, Code, Parse> {
    return { data: undefined, error, response } as OperationResult<Operation, Code, Parse>;
}
