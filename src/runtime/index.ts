/**
 * What generated code and hand-written clients build on. Generated files import it as
 * `joinkit/runtime`.
 */
export { DEFAULT_MAX_BODY_BYTES, MAX_RAW_TEXT } from "./body.js";
export { EventStreamError, type EventStream, type ServerSentEvent } from "./event-stream.js";
export { callOperation, refuseRequest, unexpectedKeys, type CallOptions } from "./call-operation.js";
export {
    bearerAuth,
    createApiClient,
    DEFAULT_TIMEOUT_MS,
    type ApiClient,
    type CallBehaviour,
    type ClientBehaviourOptions,
    type ClientOptions,
    type RateLimitOptions,
} from "./client.js";
export type {
    AbortedError,
    ApiError,
    ErrorCause,
    ErrorStatus,
    HttpError,
    HttpErrors,
    InvalidRequestError,
    InvalidResponseError,
    NetworkError,
    RateLimitedError,
    RedirectError,
    RedirectRefusal,
    TimeoutError,
} from "./errors.js";
export type { LogEvent, Logger } from "./log.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export type { BinaryBody, MultipartBody, OperationInit, OperationResult, ParseAs, ParsedData, RequestBodyInit, SuccessData } from "./operation.js";
export { RateLimiter, type RateLimitPermit } from "./rate-limit.js";
export { DEFAULT_MAX_REDIRECTS } from "./redirect.js";
export { PROBLEM_JSON, type ProblemDetails } from "./problem.js";
export { REDACTED } from "./redact.js";
export { withCredentials, type BasicCredentials, type CredentialFor, type Credentials } from "./security.js";
export { serverUrl } from "./servers.js";
// The shapes codegen emits and the runtime consumes, and the rules both apply.
export {
    defaultExplode,
    defaultStyle,
    FORM_STYLES,
    HTTP_METHODS,
    isErrorResponseKey,
    isIdempotentMethod,
    PARAMETER_STYLES,
    responseKeyFor,
    type Catalogue,
    type EncodingSpec,
    type ErrorDecoder,
    type OperationSpec,
    type ParameterLocation,
    type ParameterSpec,
    type ParameterStyle,
    type RateLimitRule,
    type RequestBodySpec,
    type SecurityRequirements,
    type SecuritySchemeSpec,
    type ServerSpec,
    type ServerVariableSpec,
} from "./contract.js";
