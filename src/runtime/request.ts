import { chooseMediaType, encodeBody } from "./encode-body.js";
import type { OperationSpec, ParameterLocation, ParameterSpec } from "./contract.js";
import { INIT_KEYS } from "./operation.js";
import { isPlainObject } from "./options.js";
import {
    assertHeaderName,
    assertHeaderValue,
    cookiePairs,
    describeType,
    fillPath,
    headerValue,
    queryPairs,
    RequestRefused,
} from "./params.js";

/**
 * A request ready to send, built once per call, in the parts openapi-fetch builds its
 * `Request` from (a fresh one per attempt): see `exchange.ts` for how each is handed over.
 */
export interface PreparedRequest {
    readonly method: string;
    /** The base URL and the filled path, without the query. */
    readonly target: string;
    /** The encoded query string, without `?` (empty when there is none). */
    readonly search: string;
    /** `target` and `search`: the URL sent. */
    readonly url: string;
    /**
     * openapi-fetch's `params` (what its middleware sees): the caller's, except that header
     * parameters hold the text joinkit writes for them, since openapi-fetch sets
     * `params.header` on the request as given, over every other header.
     */
    readonly params: Readonly<Record<string, unknown>> | undefined;
    /**
     * Every header joinkit sends, or, when the call removed one the client sets, a record
     * naming it `null`: openapi-fetch lays the client's headers under the call's. Undefined
     * when nothing sets a header.
     */
    readonly headers: Headers | Readonly<Record<string, string | null>> | undefined;
    /** Reusable across attempts and same-origin 307/308 hops, unless `once`. */
    readonly body: BodyInit | undefined;
    /** The body is a stream: it can be sent once (no retry, no replay). */
    readonly once: boolean;
}

const LOCATIONS: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];
const NO_PARAMETERS: readonly ParameterSpec[] = [];
const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

// Keys people pass out of habit (openapi-fetch's init, fetch's RequestInit), and where they belong.
const BELONGS_ELSEWHERE: Readonly<Record<string, string>> = {
    signal: "the options argument (`{ signal }`)",
    timeoutMs: "the options argument (`{ timeoutMs }`)",
    retry: "the options argument (`{ retry }`)",
    baseUrl: "the client (`createClient({ baseUrl })`); a call cannot change where credentials go",
    fetch: "the client (`createClient({ fetch })`)",
    middleware: "the client (`createClient({ middleware })`)",
};

/**
 * Checks the per-call argument against the operation and builds the request: parameters
 * validated and encoded in their spec's style, headers checked for line breaks, the body
 * serialised for its media type. Throws `RequestRefused` for anything it will not send.
 */
export function prepareRequest(
    spec: OperationSpec,
    init: unknown,
    baseUrl: string,
    clientHeaders: Headers | undefined,
): PreparedRequest {
    if (init !== undefined && !isPlainObject(init)) {
        throw new RequestRefused("init", `the request argument must be an object; got ${describeType(init)}`);
    }
    const parts = init ?? {};
    for (const key of Object.keys(parts)) {
        if (INIT_KEYS.has(key) || parts[key] === undefined) continue;
        const where = BELONGS_ELSEWHERE[key];
        throw new RequestRefused(
            `init.${key}`,
            where
                ? `init.${key} is not part of the HTTP request: it belongs to ${where}`
                : `init.${key} is not part of the request; it takes params, body and headers`,
        );
    }
    const params = parts.params ?? NO_VALUES;
    if (!isPlainObject(params)) {
        throw new RequestRefused("params", `params must be an object; got ${describeType(params)}`);
    }
    const values = {} as Record<ParameterLocation, Record<string, unknown>>;
    for (const key of Object.keys(params)) {
        if (!LOCATIONS.includes(key as ParameterLocation) && params[key] !== undefined) {
            throw new RequestRefused(
                `params.${key}`,
                `params.${key} is not a parameter location; use path, query, header or cookie`,
            );
        }
    }
    const declared = spec.parameters ?? NO_PARAMETERS;
    for (const location of LOCATIONS) {
        const given = params[location] ?? NO_VALUES;
        if (!isPlainObject(given)) {
            throw new RequestRefused(
                `params.${location}`,
                `params.${location} must be an object; got ${describeType(given)}`,
            );
        }
        for (const name of Object.keys(given)) {
            if (given[name] !== undefined && !declares(declared, location, name)) {
                throw new RequestRefused(
                    `params.${location}.${name}`,
                    `params.${location}.${name} is not a ${location} parameter of ${spec.method.toUpperCase()} ${spec.path}`,
                );
            }
        }
        values[location] = given;
    }

    const query: string[] = [];
    const cookies: string[] = [];
    // A Headers only when something goes in it: an empty one still costs a Request several
    // microseconds to copy.
    let headers = clientHeaders !== undefined || (parts.headers !== undefined && parts.headers !== null)
        ? new Headers(clientHeaders)
        : undefined;
    if (headers) mergeHeaders(headers, parts.headers, "init.headers");
    let headerParams: Record<string, string> | undefined;
    for (const param of declared) {
        const value = values[param.in][param.name];
        if (value === undefined && param.required && param.in !== "path") {
            throw new RequestRefused(
                `params.${param.in}.${param.name}`,
                `params.${param.in}.${param.name} is required`,
            );
        }
        if (param.in === "query") query.push(...queryPairs(param, value));
        else if (param.in === "cookie") cookies.push(...cookiePairs(param, value));
        else if (param.in === "header") {
            const text = headerValue(param, value);
            if (text !== undefined) {
                assertHeaderName(param.name, `params.header.${param.name}`);
                (headers ??= new Headers()).set(param.name, text);
                (headerParams ??= {})[param.name] = text;
            }
        }
    }
    if (cookies.length > 0) {
        headers ??= new Headers();
        const existing = headers.get("Cookie");
        headers.set("Cookie", [...(existing ? [existing] : []), ...cookies].join("; "));
    }

    // A `#…` in a path key only tells operations apart in the document; it is never sent.
    const hash = spec.path.indexOf("#");
    const target = baseUrl + fillPath(hash === -1 ? spec.path : spec.path.slice(0, hash), declared, values.path);
    const search = query.join("&");
    if (parts.body !== undefined) headers ??= new Headers();
    const { body, once } = serializeBody(spec, parts.body, parts.contentType, headers);
    return {
        method: spec.method.toUpperCase(),
        target,
        search,
        url: search === "" ? target : `${target}?${search}`,
        params: carrierParams(parts.params as Record<string, unknown> | undefined, headerParams, hash !== -1),
        headers: clientHeaders !== undefined && headers !== undefined ? withRemoved(headers, clientHeaders) : headers,
        body,
        once,
    };
}

const NO_PATH_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The `params` openapi-fetch is called with: the caller's, with header parameters as
 * written, and a `path` whenever the path key holds a `#`, since openapi-fetch calls its
 * `pathSerializer` (joinkit's filled path) only when `params.path` is set.
 */
function carrierParams(
    given: Readonly<Record<string, unknown>> | undefined,
    headerParams: Record<string, string> | undefined,
    fragment: boolean,
): Readonly<Record<string, unknown>> | undefined {
    const needsPath = fragment && given?.path === undefined;
    if (headerParams === undefined && !needsPath) return given;
    return {
        ...given,
        ...(headerParams ? { header: headerParams } : {}),
        ...(needsPath ? { path: NO_PATH_VALUES } : {}),
    };
}

/** `headers`, or when it lacks a header the client sets, a record of it with that header `null`. */
function withRemoved(headers: Headers, clientHeaders: Headers): Headers | Record<string, string | null> {
    let removed: string[] | undefined;
    clientHeaders.forEach((_, name) => {
        if (!headers.has(name)) (removed ??= []).push(name);
    });
    if (removed === undefined) return headers;
    const record: Record<string, string | null> = {};
    headers.forEach((value, name) => (record[name] = value));
    for (const name of removed) record[name] = null;
    return record;
}

/** Adds `source` (a Headers, pairs, or a record; `null` removes a header) to `target`, refusing line breaks. */
export function mergeHeaders(target: Headers, source: unknown, field: string): void {
    if (source === undefined || source === null) return;
    const entries: [string, unknown][] = [];
    // forEach rather than entries(): consumers may compile without the DOM.Iterable lib.
    if (source instanceof Headers) source.forEach((value, name) => entries.push([name, value]));
    else if (Array.isArray(source)) entries.push(...(source as [string, unknown][]));
    else if (isPlainObject(source)) entries.push(...Object.entries(source));
    if (entries.length === 0 && !(source instanceof Headers) && !Array.isArray(source) && !isPlainObject(source)) {
        throw new RequestRefused(
            field,
            `${field} must be a Headers, an array of pairs or an object; got ${describeType(source)}`,
        );
    }
    for (const entry of entries) {
        if (!Array.isArray(entry) || typeof entry[0] !== "string") {
            throw new RequestRefused(field, `${field} holds an entry that is not a [name, value] pair`);
        }
        const [name, value] = entry;
        assertHeaderName(name, `${field}.${name}`);
        if (value === null) {
            target.delete(name);
            continue;
        }
        if (value === undefined) continue;
        const list = Array.isArray(value) ? value : [value];
        target.delete(name);
        for (const item of list) {
            if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
                throw new RequestRefused(
                    `${field}.${name}`,
                    `${field}.${name} must be a string, number or boolean; got ${describeType(item)}`,
                );
            }
            assertHeaderValue(String(item), `${field}.${name}`);
            target.append(name, String(item));
        }
    }
}

/** `headers` is defined whenever `body` is. */
function serializeBody(
    spec: OperationSpec,
    body: unknown,
    contentType: unknown,
    headers: Headers | undefined,
): { body: BodyInit | undefined; once: boolean } {
    const declared = spec.requestBody;
    if (body === undefined) {
        if (declared?.required) {
            throw new RequestRefused("init.body", `init.body is required by ${spec.method.toUpperCase()} ${spec.path}`);
        }
        if (contentType !== undefined) {
            throw new RequestRefused("init.contentType", "init.contentType is set but there is no init.body");
        }
        return { body: undefined, once: false };
    }
    if (!declared) {
        throw new RequestRefused("init.body", `${spec.method.toUpperCase()} ${spec.path} takes no request body`);
    }
    const encoded = encodeBody(spec, body, chooseMediaType(spec, body, contentType, headers!.get("Content-Type")));
    if (encoded.contentType !== undefined) headers!.set("Content-Type", encoded.contentType);
    else headers!.delete("Content-Type");
    return { body: encoded.body, once: encoded.once };
}

function declares(declared: readonly ParameterSpec[], location: ParameterLocation, name: string): boolean {
    for (const param of declared) if (param.in === location && param.name === name) return true;
    return false;
}
