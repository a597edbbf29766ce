/**
 * What generated code and hand-written clients build on. Generated files import it as
 * `joinkit/runtime`.
 */
export { callOperation, type CallOptions } from "./call-operation.js";
export { bearerAuth, createApiClient, type ApiClient, type ClientOptions } from "./client.js";
export type { ApiError, HttpError, InvalidResponseError, NetworkError } from "./errors.js";
export type {
    Catalogue,
    ErrorDecoder,
    OperationInit,
    OperationResult,
    OperationSpec,
    SuccessData,
} from "./operation.js";
export { REDACTED } from "./redact.js";
export { serverUrl, type ServerSpec, type ServerVariableSpec } from "./servers.js";
