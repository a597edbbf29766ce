/**
 * The contract between the generator and the runtime: the shapes codegen emits into
 * `operations.ts` and `index.ts`, which the runtime consumes, and the rules both sides must
 * apply alike. Defined once, here; codegen imports them from `joinkit/runtime`.
 */
import type { HttpMethod } from "openapi-typescript-helpers";

// ---- Error catalogues and decoders ---------------------------------------------------

/** A TypeScript enum object as codegen emits it for an error catalogue. */
export type Catalogue = Readonly<Record<string, string | number>>;

/**
 * How to read a catalogue member out of an error response. Generated code holds the
 * catalogue itself; codegen, while it builds the spec, names it (`ErrorDecoder<string>`).
 */
export interface ErrorDecoder<C = Catalogue> {
    /** The response key in the spec: `"400"`, `"4XX"` or `"default"` (see isErrorResponseKey). */
    readonly status: string;
    readonly catalogue: C;
    /** The JSON property holding the code; absent when the whole (text) body is the code. */
    readonly field?: string;
}

// ---- Parameters and request bodies ---------------------------------------------------

export type ParameterLocation = "path" | "query" | "header" | "cookie";
export type ParameterStyle = "matrix" | "label" | "simple" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";

/** The styles OpenAPI defines for each parameter location. */
export const PARAMETER_STYLES: Readonly<Record<ParameterLocation, readonly ParameterStyle[]>> = {
    path: ["simple", "label", "matrix"],
    query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    header: ["simple"],
    cookie: ["form"],
};

/** The styles a form body's `encoding` may give a property (as for query parameters). */
export const FORM_STYLES: readonly ParameterStyle[] = PARAMETER_STYLES.query;

/** OpenAPI's default style for a location: `form` for query and cookie, `simple` for path and header. */
export function defaultStyle(location: ParameterLocation): ParameterStyle {
    return location === "query" || location === "cookie" ? "form" : "simple";
}

/** OpenAPI's default `explode`: true for `form`, false for every other style. */
export function defaultExplode(style: ParameterStyle): boolean {
    return style === "form";
}

/** One parameter as the spec declares it: where it goes and how it is written there. */
export interface ParameterSpec {
    readonly name: string;
    readonly in: ParameterLocation;
    /** The spec's `style`, or defaultStyle for the location. */
    readonly style: ParameterStyle;
    /** The spec's `explode`, or defaultExplode for the style. */
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

/** How one property of a form or multipart body is written (the spec's `encoding`). */
export interface EncodingSpec {
    /** Multipart: the part's `Content-Type`; form: the value is written in this media type (JSON) first. */
    readonly contentType?: string;
    /** Form only: as for a query parameter (default `form`, exploded). */
    readonly style?: ParameterStyle;
    readonly explode?: boolean;
    readonly allowReserved?: boolean;
}

/** What the spec says about an operation's request body. */
export interface RequestBodySpec {
    readonly required: boolean;
    /** Its media types, in the spec's order. */
    readonly mediaTypes: readonly string[];
    /** The spec's `encoding`, by media type, then property. */
    readonly encoding?: Readonly<Record<string, Readonly<Record<string, EncodingSpec>>>>;
}

// ---- Rate limits ---------------------------------------------------------------------

/**
 * A client-side limit: at most `requests` calls in any `perSeconds` window, or, with a
 * `burst`, a sustained `requests` per `perSeconds` with bursts of up to `burst` calls; and
 * at most `maxInFlight` calls under way at once (default no limit). Specs declare it as
 * `x-rate-limit`; clients can set one too.
 */
export interface RateLimitRule {
    readonly requests: number;
    readonly perSeconds: number;
    readonly burst?: number;
    readonly maxInFlight?: number;
}

// ---- Operations ----------------------------------------------------------------------

/** What codegen knows about one operation, for the runtime. */
export interface OperationSpec<C = Catalogue> {
    readonly method: HttpMethod;
    readonly path: string;
    /** Every parameter (path-level ones included); a parameter not listed here is refused. */
    readonly parameters?: readonly ParameterSpec[];
    /** Absent when the operation takes no body: a body is then refused. */
    readonly requestBody?: RequestBodySpec;
    /** Every response the spec declares, by key (`"200"`, `"4XX"`, `"default"`), with its media types (`[]`: no body). */
    readonly responses: Readonly<Record<string, readonly string[]>>;
    readonly errors: readonly ErrorDecoder<C>[];
    /** Safe to repeat: the spec's `x-idempotent`, else isIdempotentMethod. */
    readonly idempotent: boolean;
    /** A client-side limit the spec declares (`x-rate-limit`). */
    readonly rateLimit?: RateLimitRule;
}

/** The methods an operation can have that openapi-fetch can call, in the spec's order. */
export const HTTP_METHODS: readonly HttpMethod[] = [
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
];

// RFC 9110 §9.2.2: repeating these has the same effect as sending them once.
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["get", "head", "options", "trace", "put", "delete"]);

/** Whether a method is idempotent (RFC 9110): the default for `x-idempotent`. */
export function isIdempotentMethod(method: string): boolean {
    return IDEMPOTENT_METHODS.has(method);
}

// ---- Response keys -------------------------------------------------------------------

/**
 * Whether a response key in the spec describes errors: `4xx` and `5xx` statuses, the
 * `4XX`/`5XX` ranges, and `default`. Codegen reads error catalogues only from these; the
 * runtime decodes only these as errors.
 */
export function isErrorResponseKey(key: string): boolean {
    return /^(default|[45](\d\d|XX))$/i.test(key);
}

/**
 * The response key the spec declares for a status: the exact key, else its `4XX`-style
 * range, else (when allowed: for errors) `default`. `undefined` when none applies.
 */
export function responseKeyFor(status: number, keys: Iterable<string>, includeDefault: boolean): string | undefined {
    const exact = String(status);
    const range = `${exact[0]}XX`;
    let rangeKey: string | undefined;
    let hasDefault = false;
    for (const key of keys) {
        if (key === exact) return key;
        if (rangeKey === undefined && key.toUpperCase() === range) rangeKey = key;
        else if (key === "default") hasDefault = true;
    }
    return rangeKey ?? (includeDefault && hasDefault ? "default" : undefined);
}

// ---- Servers -------------------------------------------------------------------------

/** A server from the spec's `servers`, as codegen emits it. */
export interface ServerSpec {
    readonly url: string;
    readonly description?: string;
    readonly variables?: Readonly<Record<string, ServerVariableSpec>>;
}

export interface ServerVariableSpec {
    readonly default: string;
    readonly enum?: readonly string[];
    readonly description?: string;
}

// ---- Security ------------------------------------------------------------------------

/** A security scheme from the spec's `components.securitySchemes`, as codegen emits it. */
export type SecuritySchemeSpec =
    | { readonly type: "http"; readonly scheme: string }
    | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string }
    | { readonly type: "oauth2" }
    | { readonly type: "openIdConnect" }
    | { readonly type: "mutualTLS" };

/**
 * An operation's `security`: alternatives (any one will do), each a list of scheme names
 * that must all be applied. `[]` means the operation takes no credentials; an empty
 * alternative (`{}` in the spec) means it may also be called without.
 */
export type SecurityRequirements = readonly (readonly string[])[];
