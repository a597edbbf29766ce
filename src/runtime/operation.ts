import type { FetchOptions } from "openapi-fetch";
import type {
    HttpMethod,
    MediaType,
    Readable,
    ResponseObjectMap,
    SuccessResponse,
} from "openapi-typescript-helpers";
import type { ApiError } from "./errors.js";

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

/** What codegen knows about one operation, for the runtime. */
export interface OperationSpec {
    readonly method: HttpMethod;
    readonly path: string;
    readonly errors: readonly ErrorDecoder[];
    /** Safe to repeat: the spec's `x-idempotent`, else whether the method is idempotent. */
    readonly idempotent: boolean;
    /** The 2xx responses (`"200"`, `"2XX"`) for which the spec promises a JSON body. */
    readonly jsonResponses: readonly string[];
    /** A client-side limit the spec declares (`x-rate-limit`). */
    readonly rateLimit?: { readonly requests: number; readonly perSeconds: number };
}

/** What a wrapper takes: openapi-fetch's options for the operation; the runtime owns parsing. */
export type OperationInit<Operation> = Omit<FetchOptions<Operation>, "parseAs">;

type Success<Operation> =
    ResponseObjectMap<Operation> extends infer Responses extends Record<string | number, any>
        ? Readable<SuccessResponse<Responses, MediaType>>
        : never;

/** The success body type; `unknown` when the spec promises no body. */
export type SuccessData<Operation> = [Success<Operation>] extends [never] ? unknown : Success<Operation>;

/** What every wrapper resolves to. It never rejects. */
export type OperationResult<Operation, Code = never> =
    | { readonly data: SuccessData<Operation>; readonly error: undefined; readonly response: Response }
    | { readonly data: undefined; readonly error: ApiError<Code>; readonly response: Response | undefined };
