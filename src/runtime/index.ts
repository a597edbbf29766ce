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
export type {
    BinaryBody,
    Catalogue,
    EncodingSpec,
    ErrorDecoder,
    MultipartBody,
    OperationInit,
    OperationResult,
    OperationSpec,
    ParameterLocation,
    ParameterSpec,
    ParameterStyle,
    ParseAs,
    ParsedData,
    RequestBodyInit,
    RequestBodySpec,
    SuccessData,
} from "./operation.js";
export { RateLimiter, type RateLimitPermit, type RateLimitRule } from "./rate-limit.js";
export { DEFAULT_MAX_REDIRECTS } from "./redirect.js";
export { PROBLEM_JSON, type ProblemDetails } from "./problem.js";
export { REDACTED } from "./redact.js";
export {
    withCredentials,
    type BasicCredentials,
    type CredentialFor,
    type Credentials,
    type SecurityRequirements,
    type SecuritySchemeSpec,
} from "./security.js";
export { serverUrl, type ServerSpec, type ServerVariableSpec } from "./servers.js";
