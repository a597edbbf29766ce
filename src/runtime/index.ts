/**
 * What generated code and hand-written clients build on. Generated files import it as
 * `joinkit/runtime`.
 */
export { DEFAULT_MAX_BODY_BYTES, MAX_RAW_TEXT } from "./body.js";
export { callOperation, type CallOptions } from "./call-operation.js";
export {
    bearerAuth,
    createApiClient,
    DEFAULT_TIMEOUT_MS,
    type ApiClient,
    type CallBehaviour,
    type ClientBehaviourOptions,
    type ClientOptions,
} from "./client.js";
export type {
    AbortedError,
    ApiError,
    ErrorCause,
    HttpError,
    InvalidResponseError,
    NetworkError,
    RateLimitedError,
    TimeoutError,
} from "./errors.js";
export type { LogEvent, Logger } from "./log.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export type {
    Catalogue,
    ErrorDecoder,
    OperationInit,
    OperationResult,
    OperationSpec,
    SuccessData,
} from "./operation.js";
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
