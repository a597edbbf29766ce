/**
 * Every way a call can fail, as one union discriminated on `kind`. Calls resolve to
 * `{ data, error, response }` and never reject, so callers switch on `error.kind`.
 */
export type ApiError<Code = never> = HttpError<Code> | InvalidResponseError | NetworkError;

/** The server answered with a status outside 2xx. */
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

/** A 2xx response whose body is not what its `Content-Type` promises (e.g. broken JSON). */
export interface InvalidResponseError {
    readonly kind: "invalid-response";
    readonly status: number;
    readonly message: string;
    /** The raw text received. */
    readonly body: string;
}

/** No response: the connection failed (refused, reset, DNS). */
export interface NetworkError {
    readonly kind: "network";
    readonly message: string;
    readonly cause: unknown;
}
