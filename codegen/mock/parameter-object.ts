import { isJsonMediaType, type ParameterLocation } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { asObject, type Json } from "../model/context.js";
import type { MockDocument } from "./document.js";
import type { MockParameter } from "./operations.js";
import { safeDecode } from "./operations.js";
import type { RequestProblem } from "./problem.js";
import type { SchemaChecker } from "./schema-object.js";

/** Parameter values as the simulator read them, by location and name. */
export type ParsedParameters = Record<ParameterLocation, Json>;

/** What arrived, before any parameter is read. */
export interface RawParameters {
    /** Each path parameter's raw text (percent-encoding intact), from the route. */
    readonly path: Readonly<Record<string, string>>;
    /** The query string's pairs, in order: the key decoded, the value raw. */
    readonly query: readonly (readonly [string, string])[];
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

type Shaped =
    | { readonly shape: "primitive"; readonly text: string }
    | { readonly shape: "array"; readonly items: readonly string[] }
    | { readonly shape: "object"; readonly entries: readonly (readonly [string, string])[] };

class Refusal extends Error {}

/**
 * Reads every declared parameter out of the request in its style and explode, as
 * `joinkit/runtime`'s params.ts writes it (and OpenAPI defines it: RFC 6570 for path and
 * query, form for cookies), turns the text into the schema's types, and checks it.
 * Query keys no parameter (or API key) claims are refused: a client's typo shows up.
 */
export function readParameters(
    parameters: readonly MockParameter[],
    raw: RawParameters,
    document: MockDocument,
    checker: SchemaChecker,
    allowedQueryKeys: ReadonlySet<string>,
    /** Off for a form body's fields: the body's schema is checked whole afterwards. */
    checkValues = true,
): { values: ParsedParameters; problems: RequestProblem[] } {
    const values: ParsedParameters = { path: {}, query: {}, header: {}, cookie: {} };
    const problems: RequestProblem[] = [];
    const claimed = new Set<string>(allowedQueryKeys);
    const cookies = parseCookies(headerText(raw.headers.cookie, "; "));
    const ordered = [...parameters].sort((a, b) => claimOrder(a) - claimOrder(b));
    for (const parameter of ordered) {
        const { spec } = parameter;
        const problem = (message: string, pointer = parameter.pointer, at?: string): void => {
            problems.push({ in: spec.in, name: spec.name, message, pointer, ...(at ? { at } : {}) });
        };
        let shaped: Shaped | undefined;
        try {
            shaped = extract(parameter, raw, cookies, claimed, document);
        } catch (error) {
            if (!(error instanceof Refusal)) throw error;
            problem(error.message);
            continue;
        }
        if (shaped === undefined) {
            if (spec.required) problem("is required");
            continue;
        }
        let value: unknown;
        if (spec.contentType !== undefined) {
            const text = shaped.shape === "primitive" ? shaped.text : "";
            if (isJsonMediaType(spec.contentType)) {
                try {
                    value = JSON.parse(text);
                } catch {
                    problem(`is not JSON, which its content (${spec.contentType}) says it is`);
                    continue;
                }
            } else value = text;
        } else value = typed(shaped, parameter.schema, parameter.schemaPointer, document);
        values[spec.in][spec.name] = value;
        if (!checkValues) continue;
        for (const found of checker.check(parameter.schema, parameter.schemaPointer, value, "request")) {
            problem(found.message, found.pointer, found.at || undefined);
        }
    }
    for (const [key] of raw.query) {
        if (!claimed.has(key)) {
            problems.push({
                in: "query",
                name: key,
                message: "is not a query parameter of this operation",
                pointer: "",
            });
            claimed.add(key);
        }
    }
    return { values, problems };
}

// Named parameters claim their keys before an exploded object takes what is left.
function claimOrder(parameter: MockParameter): number {
    const { spec } = parameter;
    return spec.in === "query" && spec.style === "form" && spec.explode && spec.type === "object" ? 1 : 0;
}

/** The parameter's text, split by its style; `undefined` when the request does not carry it. */
function extract(
    parameter: MockParameter,
    raw: RawParameters,
    cookies: readonly (readonly [string, string])[],
    claimed: Set<string>,
    document: MockDocument,
): Shaped | undefined {
    const { spec } = parameter;
    const shape = shapeOf(parameter, document);
    switch (spec.in) {
        case "path": {
            const text = raw.path[spec.name];
            return text === undefined ? undefined : pathShaped(spec.name, spec.style, spec.explode, shape, text);
        }
        case "header": {
            const text = headerText(raw.headers[spec.name.toLowerCase()], ",");
            if (text === undefined) return undefined;
            return delimited(text.trim(), shape, spec.explode, /\s*,\s*/, (t) => t);
        }
        case "cookie": {
            const found = cookies.find(([name]) => name === spec.name);
            if (found === undefined) return undefined;
            if (shape === "array" && spec.explode) {
                return { shape: "array", items: found[1].split(`&${spec.name}=`).map(decodeStrict) };
            }
            return delimited(found[1], shape, false, /,/, decodeStrict);
        }
        case "query":
            return queryShaped(parameter, shape, raw.query, claimed, document);
    }
}

function pathShaped(name: string, style: string, explode: boolean, shape: string, text: string): Shaped {
    if (style === "label") {
        if (!text.startsWith(".")) throw new Refusal(`must start with "." (style label), got ${JSON.stringify(text)}`);
        return delimited(text.slice(1), shape, explode, explode ? /\./ : /,/, decodeStrict);
    }
    if (style === "matrix") {
        if (!text.startsWith(";")) throw new Refusal(`must start with ";" (style matrix), got ${JSON.stringify(text)}`);
        const pairs = text.slice(1).split(";").map((pair) => {
            const at = pair.indexOf("=");
            return at === -1
                ? [decodeStrict(pair), ""] as const
                : [decodeStrict(pair.slice(0, at)), pair.slice(at + 1)] as const;
        });
        if (shape === "object" && explode) {
            return { shape: "object", entries: pairs.map(([k, v]) => [k, decodeStrict(v)]) };
        }
        const own = pairs.filter(([key]) => key === name);
        if (own.length === 0) throw new Refusal(`must be written ";${name}=…" (style matrix)`);
        if (shape === "array" && explode) return { shape: "array", items: own.map(([, v]) => decodeStrict(v)) };
        return delimited(own[0]![1], shape, false, /,/, decodeStrict);
    }
    return delimited(text, shape, explode, /,/, decodeStrict);
}

/** `a,b,c` (or another delimiter) as the shape says: one value, the items, or keys and values (`k=v` when exploded). */
function delimited(
    text: string,
    shape: string,
    explode: boolean,
    separator: RegExp,
    decode: (t: string) => string,
): Shaped {
    if (shape === "array") return { shape: "array", items: text === "" ? [] : text.split(separator).map(decode) };
    if (shape === "object") {
        const parts = text === "" ? [] : text.split(separator);
        if (explode) {
            return {
                shape: "object",
                entries: parts.map((part) => {
                    const at = part.indexOf("=");
                    if (at === -1) {
                        throw new Refusal(`must be written key=value,… (exploded object), got ${JSON.stringify(part)}`);
                    }
                    return [decode(part.slice(0, at)), decode(part.slice(at + 1))] as const;
                }),
            };
        }
        if (parts.length % 2 !== 0) {
            throw new Refusal("must be written key,value,… (an object): an odd number of items");
        }
        const entries: [string, string][] = [];
        for (let i = 0; i < parts.length; i += 2) entries.push([decode(parts[i]!), decode(parts[i + 1]!)]);
        return { shape: "object", entries };
    }
    return { shape: "primitive", text: decode(text) };
}

function queryShaped(
    parameter: MockParameter,
    shape: string,
    query: RawParameters["query"],
    claimed: Set<string>,
    document: MockDocument,
): Shaped | undefined {
    const { spec } = parameter;
    if (spec.style === "deepObject") {
        const prefix = `${spec.name}[`;
        const entries = query.filter(([key]) => key.startsWith(prefix) && key.endsWith("]"));
        if (entries.length === 0) return undefined;
        entries.forEach(([key]) => claimed.add(key));
        return {
            shape: "object",
            entries: entries.map(([key, value]) => [key.slice(prefix.length, -1), decodeStrict(value)]),
        };
    }
    if (shape === "object" && spec.explode && spec.contentType === undefined) {
        // Form, exploded: each property is a key of its own.
        const schema = asObject(document.deref(parameter.schema, parameter.schemaPointer).value);
        const properties = asObject(schema.properties);
        // JSON Schema: properties beyond those named are allowed unless additionalProperties says no.
        const open = schema.additionalProperties !== false;
        const entries = query.filter(([key]) => !claimed.has(key) && (Object.hasOwn(properties, key) || open));
        if (entries.length === 0) return undefined;
        entries.forEach(([key]) => claimed.add(key));
        return { shape: "object", entries: entries.map(([key, value]) => [key, decodeStrict(value)]) };
    }
    const own = query.filter(([key]) => key === spec.name);
    if (own.length === 0) return undefined;
    claimed.add(spec.name);
    if (shape === "array" && spec.explode) {
        return {
            shape: "array",
            items: own.map(([, value]) => decodeStrict(value)),
        };
    }
    if (own.length > 1) throw new Refusal(`is given ${own.length} times; it takes one value`);
    const text = own[0]![1];
    const separator = spec.style === "spaceDelimited" ? /%20| |\+/ : spec.style === "pipeDelimited" ? /\||%7C/i : /,/;
    return delimited(text, spec.contentType === undefined ? shape : "primitive", false, separator, decodeStrict);
}

/** Primitive, array or object: as the model read the schema, else as the schema's types say. */
function shapeOf(parameter: MockParameter, document: MockDocument): string {
    if (parameter.spec.contentType !== undefined) return "primitive";
    if (parameter.spec.type !== undefined) return parameter.spec.type;
    const types = typesOf(parameter.schema, parameter.schemaPointer, document);
    if (types.has("array") && !types.has("string")) return "array";
    if (types.has("object") && !types.has("string")) return "object";
    return "primitive";
}

/** The JSON types a schema admits, looking through `$ref`, `allOf`, `anyOf` and `oneOf`. */
export function typesOf(schema: unknown, pointer: string, document: MockDocument, depth = 0): Set<string> {
    const found = new Set<string>();
    const { value } = document.deref(schema, pointer);
    const node = asObject(value);
    if (depth > 8) return found;
    const type = node.type;
    for (const t of typeof type === "string" ? [type] : Array.isArray(type) ? type : []) found.add(String(t));
    if (node.nullable === true) found.add("null");
    if (found.size === 0) {
        if (node.properties !== undefined || node.additionalProperties !== undefined) found.add("object");
        if (node.items !== undefined) found.add("array");
        if (Array.isArray(node.enum)) { for (const v of node.enum) found.add(v === null ? "null" : typeof v); }
    }
    for (const keyword of ["allOf", "anyOf", "oneOf"]) {
        const branches = node[keyword];
        if (!Array.isArray(branches)) continue;
        branches.forEach((b, i) =>
            typesOf(b, `${pointer}/${keyword}/${i}`, document, depth + 1).forEach((t) => found.add(t))
        );
    }
    return found;
}

/** The text turned into the JSON the schema describes: numbers and booleans where it says so. */
function typed(shaped: Shaped, schema: unknown, pointer: string, document: MockDocument): unknown {
    const node = asObject(document.deref(schema, pointer).value);
    switch (shaped.shape) {
        case "primitive":
            return scalar(shaped.text, schema, pointer, document);
        case "array":
            return shaped.items.map((item) => scalar(item, node.items, `${pointer}/items`, document));
        case "object": {
            const properties = asObject(node.properties);
            return Object.fromEntries(shaped.entries.map(([key, text]) => [
                key,
                Object.hasOwn(properties, key)
                    ? scalar(text, properties[key], `${pointer}/properties/${escapePointer(key)}`, document)
                    : scalar(text, node.additionalProperties, `${pointer}/additionalProperties`, document),
            ]));
        }
    }
}

/** One value's text as its schema's type: `42` as a number when it is one, `true` as a boolean. */
export function scalar(text: string, schema: unknown, pointer: string, document: MockDocument): unknown {
    const types = typesOf(schema, pointer, document);
    if (types.has("string") || types.size === 0) return text;
    if ((types.has("integer") || types.has("number")) && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
        return Number(text);
    }
    if (types.has("boolean") && (text === "true" || text === "false")) return text === "true";
    if (types.has("null") && (text === "" || text === "null")) return null;
    return text;
}

function decodeStrict(text: string): string {
    const decoded = safeDecode(text);
    if (decoded === undefined) throw new Refusal(`${JSON.stringify(text)} is not valid percent-encoding`);
    return decoded;
}

function headerText(value: string | string[] | undefined, joiner: string): string | undefined {
    return Array.isArray(value) ? value.join(joiner) : value;
}

/** `Cookie: a=1; b=2` as pairs (values raw). */
function parseCookies(header: string | undefined): [string, string][] {
    if (!header) return [];
    return header.split(/;\s*/).filter(Boolean).map((pair) => {
        const at = pair.indexOf("=");
        return at === -1 ? [pair.trim(), ""] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    });
}

/** The query string's pairs: keys decoded (a key that cannot be is kept raw), values raw. */
export function parseQuery(rawQuery: string): [string, string][] {
    if (rawQuery === "") return [];
    return rawQuery.split("&").filter((pair) => pair !== "").map((pair) => {
        const at = pair.indexOf("=");
        const key = at === -1 ? pair : pair.slice(0, at);
        return [safeDecode(key) ?? key, at === -1 ? "" : pair.slice(at + 1)];
    });
}
