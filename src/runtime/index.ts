/**
 * What generated code and hand-written clients build on. Generated files import it as
 * `joinkit/runtime`.
 */
export { DEFAULT_MAX_BODY_BYTES, MAX_RAW_TEXT } from "./body.js";
export { callOperation, type CallOptions, refuseRequest, unexpectedKeys } from "./call-operation.js";
export {
    type ApiClient,
    bearerAuth,
    type CallBehaviour,
    type ClientBehaviourOptions,
    type ClientOptions,
    createApiClient,
    DEFAULT_TIMEOUT_MS,
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
export { type EventStream, EventStreamError, type ServerSentEvent } from "./event-stream.js";
export type { LogEvent, Logger } from "./log.js";
export type {
    BinaryBody,
    MultipartBody,
    OperationInit,
    OperationResult,
    ParseAs,
    ParsedData,
    RequestBodyInit,
    SuccessData,
} from "./operation.js";
// How bodies are told apart by media type; the simulator (`@joinkit/codegen/mock`) reads them by the same rules.
export { isJsonMediaType, type MediaKind, mediaKind, mediaTypeMatches, mediaTypeOf } from "./media-type.js";
export { PROBLEM_JSON, type ProblemDetails } from "./problem.js";
export { RateLimiter, type RateLimitPermit } from "./rate-limit.js";
export { REDACTED } from "./redact.js";
export { DEFAULT_MAX_REDIRECTS } from "./redirect.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export { type BasicCredentials, type CredentialFor, type Credentials, withCredentials } from "./security.js";
export { serverUrl } from "./servers.js";
// The shapes codegen emits and the runtime consumes, and the rules both apply.
export {
    type Catalogue,
    defaultExplode,
    defaultStyle,
    type EncodingSpec,
    type ErrorDecoder,
    FORM_STYLES,
    HTTP_METHODS,
    isErrorResponseKey,
    isIdempotentMethod,
    type OperationSpec,
    PARAMETER_STYLES,
    type ParameterLocation,
    type ParameterSpec,
    type ParameterStyle,
    type RateLimitRule,
    type RequestBodySpec,
    responseKeyFor,
    type SecurityRequirements,
    type SecuritySchemeSpec,
    type ServerSpec,
    type ServerVariableSpec,
} from "./contract.js";
