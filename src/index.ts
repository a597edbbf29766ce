/**
 * joinkit's public API: a ready client per API in `specs/`, the generated error enums, and
 * the runtime types every call returns.
 */
export * from "./amity.js";
export type {
    ApiError,
    CallOptions,
    HttpError,
    InvalidResponseError,
    NetworkError,
    OperationResult,
    ProblemDetails,
} from "./runtime/index.js";
export { REDACTED } from "./runtime/index.js";
export * from "./sonoran-cad.js";
export * from "./sonoran-cms.js";
