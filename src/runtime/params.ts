import type { ParameterSpec } from "./contract.js";
import { isPlainObject } from "./options.js";

/** Thrown while building a request the client will not send; becomes an `invalid-request` error. */
export class RequestRefused extends Error {
    constructor(
        readonly field: string,
        message: string,
    ) {
        super(message);
        this.name = "RequestRefused";
    }
}

type Primitive = string | number | boolean | bigint;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * RFC 3986 percent-encoding of everything but the unreserved characters, as RFC 6570
 * (which OpenAPI's styles are defined by) does for simple expansion.
 */
export function encodeStrict(text: string): string {
    // Ids and names are usually unreserved already; testing is cheaper than encoding.
    if (UNRESERVED.test(text)) return text;
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/**
 * `allowReserved`: reserved characters stay as they are and valid `%XX` triplets are kept;
 * `#` is always encoded, because it would end the URL's query.
 */
function encodeReserved(text: string): string {
    return text
        .split(/(%[0-9A-Fa-f]{2})/)
        .map((part, i) => (i % 2 === 1 ? part : encodeURI(part).replace(/#/g, "%23")))
        .join("");
}

/** The string form of a primitive value, or a refusal naming the parameter. */
function primitiveText(value: unknown, field: string): string {
    switch (typeof value) {
        case "string":
            // A lone surrogate has no UTF-8 form: it cannot be percent-encoded or sent.
            if (LONE_SURROGATE.test(value)) {
                throw new RequestRefused(field, `${field} contains a lone UTF-16 surrogate`);
            }
            return value;
        case "boolean":
        case "bigint":
            return String(value);
        case "number":
            if (Number.isFinite(value)) return String(value);
            throw new RequestRefused(field, `${field} is ${value}; a number must be finite`);
        default:
            throw new RequestRefused(field, `${field} must be a string, number or boolean; got ${describeType(value)}`);
    }
}

export function describeType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    return typeof value === "object" ? "an object" : typeof value;
}

/** The value checked against the parameter's declared shape: primitive, array or object. */
type Shaped =
    | { readonly shape: "primitive"; readonly text: string }
    | { readonly shape: "array"; readonly items: readonly string[] }
    | { readonly shape: "object"; readonly entries: readonly (readonly [string, string])[] };

function shape(param: ParameterSpec, value: unknown, field: string): Shaped {
    if (param.contentType !== undefined) {
        // `content` parameters are one value in their media type (JSON is the one in use).
        const text = typeof value === "string" && !/json/i.test(param.contentType) ? value : JSON.stringify(value);
        if (text === undefined) throw new RequestRefused(field, `${field} cannot be written as ${param.contentType}`);
        return { shape: "primitive", text };
    }
    if (Array.isArray(value)) {
        if (param.type !== undefined && param.type !== "array") {
            throw new RequestRefused(
                field,
                `${field} must be a single ${param.type === "object" ? "object" : "value"}; got an array`,
            );
        }
        return { shape: "array", items: value.map((item, i) => primitiveText(item, `${field}[${i}]`)) };
    }
    if (value !== null && typeof value === "object") {
        if (!isPlainObject(value) || (param.type !== undefined && param.type !== "object")) {
            throw new RequestRefused(
                field,
                `${field} must be ${param.type === "array" ? "an array" : "a string, number or boolean"}; got ${
                    describeType(value)
                }`,
            );
        }
        const entries = Object.entries(value)
            .filter(([, item]) => item !== undefined)
            .map(([key, item]) =>
                [primitiveText(key, `${field} (a key)`), primitiveText(item, `${field}.${key}`)] as const
            );
        return { shape: "object", entries };
    }
    if (param.type === "array" || param.type === "object") {
        throw new RequestRefused(
            field,
            `${field} must be ${param.type === "array" ? "an array" : "an object"}; got ${describeType(value)}`,
        );
    }
    return { shape: "primitive", text: primitiveText(value, field) };
}

/**
 * Writes one path parameter's value in its style (simple, label or matrix), percent-
 * encoded so it cannot leave its segment.
 */
export function pathValue(param: ParameterSpec, value: unknown): string {
    // The usual case, an id of unreserved characters in the simple style, is itself.
    if (typeof value === "string" && isSimplePrimitive(param) && UNRESERVED.test(value)) return value;
    const field = `params.path.${param.name}`;
    if (value === undefined || value === null) {
        throw new RequestRefused(field, `${field} is required; got ${describeType(value)}`);
    }
    const shaped = shape(param, value, field);
    const { explode } = param;
    const items = flatten(shaped, explode ? "=" : ",");
    switch (param.style) {
        case "label":
            return `.${items.join(explode ? "." : ",")}`;
        case "matrix": {
            const name = encodeStrict(param.name);
            if (shaped.shape === "array" && explode) {
                return shaped.items.map((item) => `;${name}=${encodeStrict(item)}`).join("");
            }
            if (shaped.shape === "object" && explode) return items.map((item) => `;${item}`).join("");
            return items.length === 1 && items[0] === "" ? `;${name}` : `;${name}=${items.join(",")}`;
        }
        default:
            return items.join(",");
    }
}

function isSimplePrimitive(param: ParameterSpec): boolean {
    return param.style !== "label" && param.style !== "matrix" && param.contentType === undefined
        && param.type !== "array" && param.type !== "object";
}

/** Encoded pieces of a value: the primitive, the items, or keys and values (`k,v` or `k=v`). */
function flatten(shaped: Shaped, pair: "=" | ",", encode: (text: string) => string = encodeStrict): string[] {
    switch (shaped.shape) {
        case "primitive":
            return [encode(shaped.text)];
        case "array":
            return shaped.items.map(encode);
        case "object":
            return shaped.entries.flatMap((
                [key, item],
            ) => (pair === "=" ? [`${encode(key)}=${encode(item)}`] : [encode(key), encode(item)]));
    }
}

/**
 * Query string pairs (`name=value`, already encoded) for one query parameter in its style:
 * form, spaceDelimited, pipeDelimited or deepObject. `undefined` means "leave it out".
 */
export function queryPairs(param: ParameterSpec, value: unknown): string[] {
    const field = `params.query.${param.name}`;
    if (value === undefined) return [];
    if (value === null) throw new RequestRefused(field, `${field} is null; leave it out (undefined) instead`);
    const shaped = shape(param, value, field);
    const encode = param.allowReserved ? encodeReserved : encodeStrict;
    const name = encodeName(param.name);
    if (isEmpty(shaped)) return param.required ? [`${name}=`] : [];
    if (param.style === "deepObject") {
        if (shaped.shape !== "object") throw new RequestRefused(field, `${field} must be an object (style deepObject)`);
        // Keys are encoded whole (brackets, "&", "=", "#" included), so none can close the
        // brackets or start another parameter.
        return shaped.entries.map(([key, item]) => `${name}[${encodeStrict(key)}]=${encode(item)}`);
    }
    if (param.explode) {
        if (shaped.shape === "array") return shaped.items.map((item) => `${name}=${encode(item)}`);
        if (shaped.shape === "object") {
            return shaped.entries.map(([key, item]) => `${encodeStrict(key)}=${encode(item)}`);
        }
    }
    const delimiter = param.style === "spaceDelimited" ? "%20" : param.style === "pipeDelimited" ? "|" : ",";
    return [`${name}=${flatten(shaped, ",", encode).join(delimiter)}`];
}

/** One header parameter's value (style simple); no percent-encoding, as headers are not URLs. */
export function headerValue(param: ParameterSpec, value: unknown): string | undefined {
    const field = `params.header.${param.name}`;
    if (value === undefined) return undefined;
    if (value === null) throw new RequestRefused(field, `${field} is null; leave it out (undefined) instead`);
    const shaped = shape(param, value, field);
    const text = flatten(shaped, param.explode ? "=" : ",", (t) => t).join(",");
    assertHeaderValue(text, field);
    return text;
}

/** One cookie parameter as `name=value` pairs (style form), values percent-encoded. */
export function cookiePairs(param: ParameterSpec, value: unknown): string[] {
    const field = `params.cookie.${param.name}`;
    if (value === undefined) return [];
    if (value === null) throw new RequestRefused(field, `${field} is null; leave it out (undefined) instead`);
    assertCookieName(param.name, field);
    const shaped = shape(param, value, field);
    if (isEmpty(shaped)) return param.required ? [`${param.name}=`] : [];
    if (param.explode && shaped.shape === "array") {
        return [shaped.items.map((item) => `${param.name}=${encodeStrict(item)}`).join("&")];
    }
    if (param.explode && shaped.shape === "object") {
        return [shaped.entries.map(([k, v]) => `${encodeStrict(k)}=${encodeStrict(v)}`).join("&")];
    }
    return [`${param.name}=${flatten(shaped, ",").join(",")}`];
}

function isEmpty(shaped: Shaped): boolean {
    return (shaped.shape === "array" && shaped.items.length === 0)
        || (shaped.shape === "object" && shaped.entries.length === 0);
}

// A parameter name from the spec goes into the query as written where it is safe to:
// JSON:API's `page[size]` keeps its brackets; anything that could end it is encoded.
function encodeName(name: string): string {
    return encodeStrict(name).replace(/%5B/g, "[").replace(/%5D/g, "]");
}

/** Header values may not hold line breaks, NUL or characters outside Latin-1: they would end or corrupt the header. */
export function assertHeaderValue(value: string, field: string): void {
    if (/[\r\n\0]/.test(value)) {
        throw new RequestRefused(field, `${field} contains a line break or NUL, which would end the header`);
    }
    if (/[^\u0000-\u00ff]/.test(value)) {
        throw new RequestRefused(field, `${field} contains characters a header cannot carry (outside Latin-1)`);
    }
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function assertHeaderName(name: string, field: string): void {
    if (!TOKEN.test(name)) {
        throw new RequestRefused(field, `${field}: ${JSON.stringify(name)} is not a valid header name`);
    }
}

function assertCookieName(name: string, field: string): void {
    if (!TOKEN.test(name)) throw new RequestRefused(field, `${field}: the name is not a valid cookie name`);
}

type PathPiece = string | { readonly name: string; readonly param: ParameterSpec | undefined };
/** A path segment: literal text, or the pieces (text and parameters) it is filled from. */
interface PathSegment {
    readonly raw: string;
    readonly pieces: readonly PathPiece[] | undefined;
}

// A path template split into segments and pieces once per operation (its parameter list)
// rather than on every call: the split, the regex and the parameter lookups were a
// quarter of the runtime's own work per call.
const compiledPaths = new WeakMap<readonly ParameterSpec[], Map<string, readonly PathSegment[]>>();

function compilePath(template: string, parameters: readonly ParameterSpec[]): readonly PathSegment[] {
    let byTemplate = compiledPaths.get(parameters);
    if (!byTemplate) compiledPaths.set(parameters, byTemplate = new Map());
    let segments = byTemplate.get(template);
    if (segments) return segments;
    segments = template.split("/").map((raw) => {
        if (!raw.includes("{")) return { raw, pieces: undefined };
        const pieces: PathPiece[] = [];
        let last = 0;
        for (const match of raw.matchAll(/\{([^{}]+)\}/g)) {
            if (match.index > last) pieces.push(raw.slice(last, match.index));
            const name = match[1]!;
            pieces.push({ name, param: parameters.find((p) => p.in === "path" && p.name === name) });
            last = match.index + match[0].length;
        }
        if (last < raw.length) pieces.push(raw.slice(last));
        return { raw, pieces };
    });
    byTemplate.set(template, segments);
    return segments;
}

/**
 * The path with each `{name}` replaced by its parameter's encoded value. Every segment a
 * parameter fills must be a real segment: not empty, `.` or `..` (in any encoding), which
 * would re-target the request.
 */
export function fillPath(
    template: string,
    parameters: readonly ParameterSpec[],
    values: Record<string, unknown>,
): string {
    const segments = compilePath(template, parameters);
    let path = "";
    for (let i = 0; i < segments.length; i++) {
        const { raw, pieces } = segments[i]!;
        if (i > 0) path += "/";
        if (!pieces) {
            path += raw;
            continue;
        }
        let filled = "";
        for (const piece of pieces) {
            if (typeof piece === "string") filled += piece;
            else if (!piece.param) {
                throw new RequestRefused(
                    `params.path.${piece.name}`,
                    `the spec declares no path parameter {${piece.name}} for ${template}`,
                );
            } else filled += pathValue(piece.param, values[piece.name]);
        }
        // Without a `%` there is nothing to decode.
        const decoded = filled.includes("%") ? safeDecode(filled) : filled;
        if (decoded === "" || decoded === "." || decoded === "..") {
            const names = [...raw.matchAll(/\{([^{}]+)\}/g)].map((m) => `params.path.${m[1]}`).join(", ");
            throw new RequestRefused(
                names,
                `${names} would make the path segment ${
                    JSON.stringify(filled)
                }, which is not allowed (empty, "." or "..")`,
            );
        }
        path += filled;
    }
    return path;
}

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

export type { Primitive };
