import type { HeadersOptions, ParamsOption, RequestBodyOption } from "openapi-fetch";
import type { HttpMethod, MediaType, Readable, ResponseObjectMap, SuccessResponse } from "openapi-typescript-helpers";
import type { ApiError } from "./errors.js";
import type { RateLimitRule } from "./rate-limit.js";

/** A TypeScript enum object as codegen emits it for an error catalogue. */
export type Catalogue = Readonly<Record<string, string | number>>;

/** How to read a catalogue member out of an error response. */
export interface ErrorDecoder {
    /** The response key in the spec: `"400"`, `"4XX"` or `"default"`. */
    readonly status: string;
    readonly catalogue: Catalogue;
    /** The JSON property holding the code; absent when the whole (text) body is the code. */
    readonly field?: string;
}

export type ParameterLocation = "path" | "query" | "header" | "cookie";
export type ParameterStyle = "matrix" | "label" | "simple" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";

/** One parameter as the spec declares it: where it goes and how it is written there. */
export interface ParameterSpec {
    readonly name: string;
    readonly in: ParameterLocation;
    /** The spec's `style`, or its default for the location (`simple` for path and header, `form` for query and cookie). */
    readonly style: ParameterStyle;
    /** The spec's `explode`, or its default (`true` for `form`, else `false`). */
    readonly explode: boolean;
    /** Path parameters always are. */
    readonly required: boolean;
    /** Query only: leave RFC 3986 reserved characters unencoded. */
    readonly allowReserved?: boolean;
    /** What the schema allows; absent when it does not say (any of them is accepted). */
    readonly type?: "primitive" | "array" | "object";
    /** Serialised as this media type (the parameter's `content`, e.g. JSON) instead of by style. */
    readonly contentType?: string;
}

/** What the spec says about an operation's request body. */
export interface RequestBodySpec {
    readonly required: boolean;
    /** Its media types, in the spec's order. */
    readonly mediaTypes: readonly string[];
}

/** What codegen knows about one operation, for the runtime. */
export interface OperationSpec {
    readonly method: HttpMethod;
    readonly path: string;
    /** Every parameter (path-level ones included); a parameter not listed here is refused. */
    readonly parameters?: readonly ParameterSpec[];
    /** Absent when the operation takes no body: a body is then refused. */
    readonly requestBody?: RequestBodySpec;
    /** Every response the spec declares, by key (`"200"`, `"4XX"`, `"default"`), with its media types (`[]`: no body). */
    readonly responses: Readonly<Record<string, readonly string[]>>;
    readonly errors: readonly ErrorDecoder[];
    /** Safe to repeat: the spec's `x-idempotent`, else whether the method is idempotent. */
    readonly idempotent: boolean;
    /** A client-side limit the spec declares (`x-rate-limit`). */
    readonly rateLimit?: RateLimitRule;
}

/**
 * What a wrapper takes: the parts of the HTTP request and nothing else — `params` (path,
 * query, header, cookie, as the spec declares them), `body` when the operation has one,
 * and extra `headers`. How the call behaves (`signal`, `timeoutMs`, `retry`) is the
 * options argument's.
 */
export type OperationInit<Operation> = ParamsOption<Operation> &
    RequestBodyOption<Operation> & {
        /** Extra headers for this request (after the client's; a parameter's header wins). */
        headers?: HeadersOptions;
    };

/** The keys `OperationInit` may hold; anything else is refused at run time. */
export const INIT_KEYS: ReadonlySet<string> = new Set(["params", "body", "headers"]);

type Success<Operation> =
    ResponseObjectMap<Operation> extends infer Responses extends Record<string | number, any>
        ? Readable<SuccessResponse<Responses, MediaType>>
        : never;

/** The success body type; `unknown` when the spec promises no body. */
export type SuccessData<Operation> = [Success<Operation>] extends [never] ? unknown : Success<Operation>;

/** What every wrapper resolves to. It never rejects. */
export type OperationResult<Operation, Code = never> =
    | { readonly data: SuccessData<Operation>; readonly error: undefined; readonly response: Response }
    | { readonly data: undefined; readonly error: ApiError<Code, Operation>; readonly response: Response | undefined };
