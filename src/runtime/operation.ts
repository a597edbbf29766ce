import type { HeadersOptions, ParamsOption } from "openapi-fetch";
import type { Readable, RequiredKeysOf, Writable } from "openapi-typescript-helpers";
import type { ApiError } from "./errors.js";
import type { EventStream } from "./event-stream.js";

// ---- Types by media type: what a body is written from, what a response is read as ----

type BaseMediaType<M> = M extends `${infer Base};${string}` ? Base : M;
type TextMediaType =
    | `text/${string}`
    | `${string}+xml`
    | "application/xml"
    | "application/javascript"
    | "application/ecmascript"
    | "application/yaml"
    | "application/x-yaml"
    | "application/graphql"
    | "application/sql"
    | "application/sdp"
    | "application/x-ndjson"
    | "application/jsonl"
    | "application/csv";

/** How joinkit treats a media type (the type-level twin of `mediaKind`). */
export type MediaKindOf<M> = BaseMediaType<M> extends "application/json" | `${string}+json` ? "json"
    : BaseMediaType<M> extends "application/x-www-form-urlencoded" ? "form"
    : BaseMediaType<M> extends `multipart/${string}` ? "multipart"
    : BaseMediaType<M> extends "text/event-stream" ? "event-stream"
    : BaseMediaType<M> extends TextMediaType ? "text"
    : "binary";

/** Raw bytes for a binary body (`image/png`, `application/octet-stream`, `*\/*`, …); a string is sent as UTF-8. */
export type BinaryBody = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | string;

/** A multipart property: a file (`Blob`/`File`) where the schema has a string (binary) field; arrays repeat the part. */
type MultipartValue<V> = V extends string ? V | Blob : V extends readonly (infer Item)[] ? MultipartValue<Item>[] : V;

/** A multipart body: the schema's object with files as `Blob`s, or a ready `FormData`. */
export type MultipartBody<T> = (T extends object ? { [K in keyof T]: MultipartValue<T[K]> } : T) | FormData;

/** What a request body of media type `M` and schema type `T` is written from. */
export type RequestBodyFor<M, T> = {
    json: Writable<T>;
    form: Writable<T> | URLSearchParams;
    multipart: MultipartBody<Writable<T>>;
    "event-stream": string;
    text: string;
    binary: BinaryBody;
}[MediaKindOf<M>];

type RequestContent<Operation> = Operation extends { requestBody?: infer Body }
    ? [NonNullable<Body>] extends [never] ? never
    : NonNullable<Body> extends { content: infer Content } ? Content
    : never
    : never;
type JsonKeys<Content> = { [M in keyof Content]: MediaKindOf<M> extends "json" ? M : never }[keyof Content];
type BodyRequired<Operation> = RequiredKeysOf<Pick<Operation, "requestBody" & keyof Operation>> extends never ? false
    : true;
type BodyChoice<Content, M extends keyof Content, IsDefault, Required> =
    & (IsDefault extends true ? { contentType?: M } : { contentType: M })
    & (Required extends true ? { body: RequestBodyFor<M, Content[M]> } : { body?: RequestBodyFor<M, Content[M]> });

/**
 * The body and its media type. With several declared, `contentType` picks one and types
 * `body` for it; it may be left out for the JSON one, or for any when none is JSON (then
 * the body's kind decides: a `Blob` goes as the binary type, an object as the first form
 * or multipart type, and so on).
 */
export type RequestBodyInit<Operation> = [RequestContent<Operation>] extends [never]
    ? { body?: never; contentType?: never }
    : RequestContent<Operation> extends infer Content ? {
            [M in keyof Content]: BodyChoice<
                Content,
                M,
                [JsonKeys<Content>] extends [never] ? true : M extends JsonKeys<Content> ? true : false,
                BodyRequired<Operation>
            >;
        }[keyof Content]
    : never;

/**
 * What a wrapper takes: the parts of the HTTP request and nothing else — `params` (path,
 * query, header, cookie, as the spec declares them), `body` when the operation has one,
 * and extra `headers`. How the call behaves (`signal`, `timeoutMs`, `retry`) is the
 * options argument's.
 */
export type OperationInit<Operation> =
    & ParamsOption<Operation>
    & RequestBodyInit<Operation>
    & {
        /** Extra headers for this request (after the client's; a parameter's header wins). */
        headers?: HeadersOptions;
    };

/** The keys `OperationInit` may hold; anything else is refused at run time. */
export const INIT_KEYS: ReadonlySet<string> = new Set(["params", "body", "contentType", "headers"]);

/** Success statuses as openapi-typescript writes response keys. */
type OkStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | "2XX";
type ResponsesOf<Operation> = Operation extends { responses: infer Responses } ? Responses : never;
type ContentOf<Response> = Response extends { content?: infer Content }
    ? ([NonNullable<Content>] extends [never] ? never : NonNullable<Content>)
    : never;
type OkContents<Operation> = {
    [S in keyof ResponsesOf<Operation> & OkStatus]: ContentOf<ResponsesOf<Operation>[S]>;
}[keyof ResponsesOf<Operation> & OkStatus];

/** What a response body of media type `M` and schema type `T` is read as. */
export type ResponseDataFor<M, T> = {
    json: Readable<T>;
    form: string;
    multipart: Blob;
    "event-stream": EventStream<Readable<T>>;
    text: string;
    binary: BaseMediaType<M> extends "*/*" ? unknown : Blob;
}[MediaKindOf<M>];

type Success<Operation> = OkContents<Operation> extends infer Content
    ? (Content extends object ? { [M in keyof Content]: ResponseDataFor<M, Content[M]> }[keyof Content] : never)
    : never;

/** The success body type by the media type received (a union when several are declared); `unknown` when the spec promises no body. */
export type SuccessData<Operation> = [Success<Operation>] extends [never] ? unknown : Success<Operation>;

/**
 * Reads a success body as this instead of by its `Content-Type`: `json`, `text`, `blob`,
 * `arrayBuffer`, `stream` (the body as it arrives) or `events` (a `text/event-stream`).
 */
export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream" | "events";

type JsonData<Operation> = OkContents<Operation> extends infer Content
    ? Content extends object
        ? { [M in keyof Content]: MediaKindOf<M> extends "json" ? Readable<Content[M]> : never }[keyof Content]
    : never
    : never;
type EventData<Operation> = OkContents<Operation> extends infer Content
    ? Content extends object
        ? { [M in keyof Content]: MediaKindOf<M> extends "event-stream" ? Readable<Content[M]> : never }[keyof Content]
    : never
    : never;
type OrUnknown<T> = [T] extends [never] ? unknown : T;

/** The success body type when read with `parseAs`. */
export type ParsedData<Operation, Parse extends ParseAs> = {
    json: OrUnknown<JsonData<Operation>>;
    text: string;
    blob: Blob;
    arrayBuffer: ArrayBuffer;
    stream: ReadableStream<Uint8Array>;
    events: EventStream<OrUnknown<EventData<Operation>>>;
}[Parse];

/** What every wrapper resolves to. It never rejects. */
export type OperationResult<Operation, Code = never, Parse extends ParseAs | undefined = undefined> =
    | {
        readonly data: Parse extends ParseAs ? ParsedData<Operation, Parse> : SuccessData<Operation>;
        readonly error: undefined;
        readonly response: Response;
    }
    | { readonly data: undefined; readonly error: ApiError<Code, Operation>; readonly response: Response | undefined };
