import type { ProblemDetails } from "./problem.js";

/**
 * Every way a call can fail, as one union discriminated on `kind`. Calls resolve to
 * `{ data, error, response }` and never reject, so callers switch on `error.kind`.
 *
 * `Operation` (openapi-typescript's type for the operation) types `body` by status from
 * the spec's error responses; without it, bodies are `unknown`.
 */
export type ApiError<Code = never, Operation = unknown> =
    | HttpErrors<Code, Operation>
    | RateLimitedError<Code, RateLimitedBody<Operation>>
    | InvalidResponseError
    | InvalidRequestError
    | RedirectError
    | NetworkError
    | TimeoutError
    | AbortedError;

/** The server answered with a status outside 2xx (other than 429, and redirects joinkit handles). */
export interface HttpError<Code = never, Status extends number = number, Body = unknown> {
    readonly kind: "http";
    readonly status: Status;
    /**
     * The member of the spec's error catalogue the body names, or `undefined` when the
     * body is not one the spec knows (it is still in `body`, whole).
     */
    readonly code: Code | undefined;
    readonly message: string;
    /**
     * The body as the spec declares it for this status (parsed JSON for JSON media types,
     * else the text); for a status the spec declares nothing for, whatever came: parsed
     * JSON when labelled JSON, else the text.
     */
    readonly body: Body;
    /** The body's problem details, when it came as `application/problem+json` (RFC 9457). */
    readonly problem?: ProblemDetails;
}

/** The server answered 429 and retrying did not get through (or was not allowed). */
export interface RateLimitedError<Code = never, Body = unknown> {
    readonly kind: "rate-limited";
    readonly status: 429;
    readonly code: Code | undefined;
    readonly message: string;
    /** As the spec declares it for 429, or the raw text when the answer is not that. */
    readonly body: Body;
    /** What the last `Retry-After` asked for, in milliseconds, if it said. */
    readonly retryAfterMs: number | undefined;
    /** The body's problem details, when it came as `application/problem+json` (RFC 9457). */
    readonly problem?: ProblemDetails;
}

/**
 * A response whose body is not what the spec and its `Content-Type` promise for its
 * status (broken or empty JSON, an HTML page where JSON is declared), or any body larger
 * than the client reads.
 */
export interface InvalidResponseError {
    readonly kind: "invalid-response";
    readonly status: number;
    readonly message: string;
    /** The raw text received (secrets redacted), cut to `MAX_RAW_TEXT` characters. */
    readonly body: string;
    /** Whether `body` was cut. */
    readonly truncated: boolean;
}

/**
 * A request the client refused to send: a parameter the spec does not allow (an empty,
 * `.` or `..` path segment, a missing required value, an object where a string belongs, a
 * header value with a line break), a part the per-call argument may not hold, or an option
 * with a wrong value. Nothing was sent and nothing is retried.
 */
export interface InvalidRequestError {
    readonly kind: "invalid-request";
    readonly message: string;
    /** Where the problem is, e.g. `params.path.communityId`, `init.signal`, `options.timeoutMs`. */
    readonly field: string;
}

/** Why a redirect was not followed. */
export type RedirectRefusal =
    /** To another origin (scheme, host or port), where the call's credentials must not go. */
    | "cross-origin"
    /** From https to http. */
    | "insecure"
    /** A 301, 302 or 303 answer to a non-GET operation, which would turn it into a GET without its body. */
    | "method-change"
    /** More hops than `maxRedirects`. */
    | "too-many"
    /** A `Location` that is not an http(s) URL. */
    | "invalid-location";

/** The server redirected the call somewhere joinkit will not follow it to. Nothing was sent there. */
export interface RedirectError {
    readonly kind: "redirect";
    /** The redirect's status (301, 302, 303, 307, 308). */
    readonly status: number;
    /** Where it pointed (absolute; secrets redacted). */
    readonly location: string;
    readonly reason: RedirectRefusal;
    readonly message: string;
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

// ---- Error bodies typed from openapi-typescript's `responses` ----

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type ToNumber<S> = S extends `${infer N extends number}` ? N : never;
type StatusClass = "3" | "4" | "5";
/** Every status an `http` error can carry (redirects joinkit handles are among them only when not followed or refused). */
export type ErrorStatus = Exclude<ToNumber<`${StatusClass}${Digit}${Digit}`>, 429>;

type ResponsesOf<Operation> = Operation extends { responses: infer R } ? R : {};
type StatusKey<R> = `${keyof R & (string | number)}`;
type ExactStatuses<R> = Extract<ToNumber<StatusKey<R>>, ErrorStatus | 429>;
type RangeClasses<R> = StatusKey<R> extends infer K
    ? (K extends `${infer C extends StatusClass}${"XX" | "xx"}` ? C : never)
    : never;
type InClass<C extends string> = ToNumber<`${C}${Digit}${Digit}`>;
type ResponseAt<R, K> = K extends keyof R ? R[K]
    : `${K & (string | number)}` extends keyof R ? R[`${K & (string | number)}` & keyof R]
    : never;
type RangeResponse<R, C extends string> = ResponseAt<R, `${C}XX`> | ResponseAt<R, `${C}xx`>;
/** What a response object's `content` holds: the union over its media types; `undefined` without content. */
type BodyOf<Response> = Response extends { content: infer Content } ? [Content] extends [never] ? undefined
    : Content extends Record<string, unknown> ? Content[keyof Content]
    : undefined
    : undefined;

type Covered<R> = ExactStatuses<R> | InClass<RangeClasses<R>>;
type Member<Code, Status extends number, Body> = [Status] extends [never] ? never : HttpError<Code, Status, Body>;

/**
 * The `http` errors of one operation, one member per status the spec declares (exact,
 * then `4XX`-style ranges, then `default`), so `error.status === 404` narrows `body` to
 * the 404 response's type; statuses the spec says nothing about carry `body: unknown`.
 */
export type HttpErrors<Code, Operation> = unknown extends Operation ? HttpError<Code>
    : OperationHttpErrors<Code, ResponsesOf<Operation>>;

type OperationHttpErrors<Code, R> =
    | (Exclude<ExactStatuses<R>, 429> extends infer S
        ? (S extends ErrorStatus ? Member<Code, S, BodyOf<ResponseAt<R, S>>> : never)
        : never)
    | (RangeClasses<R> extends infer C extends StatusClass
        ? C extends StatusClass ? Member<Code, Exclude<InClass<C>, ExactStatuses<R> | 429>, BodyOf<RangeResponse<R, C>>>
        : never
        : never)
    | ("default" extends keyof R ? Member<Code, Exclude<ErrorStatus, Covered<R>>, BodyOf<R["default" & keyof R]>>
        : Member<Code, Exclude<ErrorStatus, Covered<R>>, unknown>);

/** The 429 body the spec declares (exact, `4XX`, else `default`), or the raw text when the answer is not that. */
export type RateLimitedBody<Operation> = unknown extends Operation ? unknown
    : DeclaredFor429<ResponsesOf<Operation>> extends infer B ? [B] extends [never] ? unknown
        : B | string
    : never;

type DeclaredFor429<R> = 429 extends ExactStatuses<R> ? BodyOf<ResponseAt<R, 429>>
    : "4" extends RangeClasses<R> ? BodyOf<RangeResponse<R, "4">>
    : "default" extends keyof R ? BodyOf<R["default" & keyof R]>
    : never;
