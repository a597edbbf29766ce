/**
 * Every way a call can fail, as one union discriminated on `kind`. Calls resolve to
 * `{ data, error, response }` and never reject, so callers switch on `error.kind`.
 */
export type ApiError<Code = never> =
    | HttpError<Code>
    | RateLimitedError<Code>
    | InvalidResponseError
    | NetworkError
    | TimeoutError
    | AbortedError;

/** The server answered with a status outside 2xx (other than 429). */
export interface HttpError<Code = never> {
    readonly kind: "http";
    readonly status: number;
    /**
     * The member of the spec's error catalogue the body names, or `undefined` when the
     * body is not one the spec knows (it is still in `body`, whole).
     */
    readonly code: Code | undefined;
    readonly message: string;
    /** The body as received: parsed JSON when it is JSON, the text otherwise. */
    readonly body: unknown;
}

/** The server answered 429 and retrying did not get through (or was not allowed). */
export interface RateLimitedError<Code = never> {
    readonly kind: "rate-limited";
    readonly status: 429;
    readonly code: Code | undefined;
    readonly message: string;
    readonly body: unknown;
    /** What the last `Retry-After` asked for, in milliseconds, if it said. */
    readonly retryAfterMs: number | undefined;
}

/**
 * A 2xx response whose body is not what the spec and its `Content-Type` promise (broken
 * or empty JSON, an HTML page), or any body larger than the client reads.
 */
export interface InvalidResponseError {
    readonly kind: "invalid-response";
    readonly status: number;
    readonly message: string;
    /** The raw text received, cut to `MAX_RAW_TEXT` characters. */
    readonly body: string;
    /** Whether `body` was cut. */
    readonly truncated: boolean;
}

/** No response: the connection failed (refused, reset, DNS). */
export interface NetworkError {
    readonly kind: "network";
    readonly message: string;
    /** What failed underneath, as `{ name, message, code }`. */
    readonly cause: ErrorCause;
}

/** The call took longer than its timeout; the request was cancelled. */
export interface TimeoutError {
    readonly kind: "timeout";
    readonly message: string;
    readonly timeoutMs: number;
}

/** The caller's `signal` aborted the call. */
export interface AbortedError {
    readonly kind: "aborted";
    readonly message: string;
}

export interface ErrorCause {
    readonly name: string;
    readonly message: string;
    readonly code?: string;
}
