import { isJsonMediaType, mediaKind, mediaTypeMatches, mediaTypeOf } from "./media-type.js";
import type { EncodingSpec, OperationSpec, ParameterSpec } from "./contract.js";
import { describeType, queryPairs, RequestRefused } from "./params.js";

/** A request body written for its media type, and the `Content-Type` that says so. */
export interface EncodedBody {
    readonly body: BodyInit;
    /** `undefined` leaves the header as the caller set it (or as fetch sets it). */
    readonly contentType: string | undefined;
    /** A `ReadableStream` body can be sent once: no retry, no 307/308 replay. */
    readonly once: boolean;
}

type Binary = Blob | ArrayBuffer | ArrayBufferView;

function isBinary(value: unknown): value is Binary {
    return value instanceof Blob || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function isStream(value: unknown): value is ReadableStream<Uint8Array> {
    return typeof ReadableStream !== "undefined" && value instanceof ReadableStream;
}

/**
 * Picks the request media type: the caller's `contentType` (one the spec declares), else a
 * `Content-Type` header the caller set, else the first declared type that fits the body
 * (a `FormData` goes as multipart, `URLSearchParams` as a form, bytes or a stream as the
 * binary type, anything else as JSON when declared), else the first declared.
 */
export function chooseMediaType(
    spec: OperationSpec,
    body: unknown,
    contentType: unknown,
    header: string | null,
): string {
    const declared = spec.requestBody?.mediaTypes ?? [];
    const where = `${spec.method.toUpperCase()} ${spec.path}`;
    if (contentType !== undefined) {
        if (typeof contentType !== "string") {
            throw new RequestRefused(
                "init.contentType",
                `init.contentType must be a string; got ${describeType(contentType)}`,
            );
        }
        const wanted = mediaTypeOf(contentType);
        if (
            declared.length > 0
            && !declared.some((type) => mediaTypeOf(type) === wanted || mediaTypeMatches(type, wanted))
        ) {
            throw new RequestRefused(
                "init.contentType",
                `init.contentType "${contentType}" is not a request media type of ${where}; it takes ${
                    declared.join(", ")
                }`,
            );
        }
        return contentType;
    }
    if (header) {
        const given = mediaTypeOf(header);
        const fit = declared.find((type) => mediaTypeOf(type) === given)
            ?? declared.find((type) => mediaTypeMatches(type, given));
        if (fit !== undefined || declared.length === 0) return header;
    }
    if (declared.length === 0) {
        return isBinary(body) || isStream(body)
            ? "application/octet-stream"
            : "application/json";
    }
    const kinds = declared.map((type) => mediaKind(type));
    const first = (...wanted: string[]) => declared.find((_, i) => wanted.includes(kinds[i]!));
    if (body instanceof FormData) return first("multipart") ?? declared[0]!;
    if (body instanceof URLSearchParams) return first("form") ?? declared[0]!;
    if (isBinary(body) || isStream(body)) return first("binary") ?? first("text", "form", "multipart") ?? declared[0]!;
    if (typeof body === "string") return first("json", "text", "binary") ?? declared[0]!;
    return first("json") ?? declared[0]!;
}

/** Writes `body` as `mediaType` says, using the spec's `encoding` for form and multipart bodies. */
export function encodeBody(spec: OperationSpec, body: unknown, mediaType: string): EncodedBody {
    const base = mediaTypeOf(mediaType);
    const encoding = (base
        && spec.requestBody?.encoding?.[
            Object.keys(spec.requestBody.encoding).find((t) => mediaTypeOf(t) === base) ?? ""
        ]) || {};
    if (isStream(body)) return { body, contentType: concrete(mediaType, undefined), once: true };
    switch (mediaKind(mediaType)) {
        case "json": {
            if (isBinary(body)) return { body: body as BodyInit, contentType: mediaType, once: false };
            const text = JSON.stringify(body);
            if (text === undefined) {
                throw new RequestRefused("init.body", `init.body cannot be written as JSON; got ${describeType(body)}`);
            }
            return { body: text, contentType: mediaType, once: false };
        }
        case "form":
            if (body instanceof URLSearchParams || typeof body === "string" || isBinary(body)) {
                return { body: body as BodyInit, contentType: mediaType, once: false };
            }
            return { body: formBody(body, encoding), contentType: mediaType, once: false };
        case "multipart":
            if (body instanceof FormData) return { body, contentType: undefined, once: false }; // fetch adds its boundary
            if (typeof body === "string" || isBinary(body)) {
                return { body: body as BodyInit, contentType: mediaType, once: false };
            }
            return multipartBody(body, encoding, mediaType);
        default:
            if (typeof body === "string" || isBinary(body)) {
                return {
                    body: body as BodyInit,
                    contentType: concrete(mediaType, body instanceof Blob ? body.type : undefined),
                    once: false,
                };
            }
            if (
                mediaKind(mediaType) === "text"
                && (typeof body === "number" || typeof body === "boolean" || typeof body === "bigint")
            ) {
                return { body: String(body), contentType: mediaType, once: false };
            }
            throw new RequestRefused(
                "init.body",
                `init.body for ${mediaType} must be ${
                    mediaKind(mediaType) === "text"
                        ? "a string"
                        : "a Blob, ArrayBuffer, typed array, ReadableStream or string"
                }; got ${describeType(body)}`,
            );
    }
}

/** A wildcard type (`image/*`, `*\/*`) is no `Content-Type`: use the Blob's own type, else bytes. */
function concrete(mediaType: string, own: string | undefined): string {
    if (!mediaType.includes("*")) return mediaType;
    return own || "application/octet-stream";
}

function propertiesOf(body: unknown, kind: string): Record<string, unknown> {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new RequestRefused(
            "init.body",
            `init.body for ${kind} must be an object of fields; got ${describeType(body)}`,
        );
    }
    return body as Record<string, unknown>;
}

/**
 * `application/x-www-form-urlencoded`: each property written like a query parameter in its
 * `encoding` style (default form, exploded), or as its `contentType` (JSON) when given;
 * spaces as `+`, as HTML forms and `URLSearchParams` write them.
 */
function formBody(body: unknown, encoding: Readonly<Record<string, EncodingSpec>>): string {
    const pairs: string[] = [];
    for (const [name, value] of Object.entries(propertiesOf(body, "application/x-www-form-urlencoded"))) {
        if (value === undefined) continue;
        pairs.push(...stylePairs(name, value, encoding[name] ?? {}).map(formEncoded));
    }
    return pairs.join("&");
}

/** `name=value` pairs (percent-encoded) for one property written like a query parameter in its encoding's style. */
function stylePairs(name: string, value: unknown, how: EncodingSpec): string[] {
    const style = how.style ?? "form";
    const param: ParameterSpec = {
        name,
        in: "query",
        style,
        explode: how.explode ?? style === "form",
        required: false,
        allowReserved: how.allowReserved,
        contentType: how.contentType !== undefined && how.style === undefined && !how.contentType.startsWith("text/")
            ? how.contentType
            : undefined,
    };
    try {
        return queryPairs(param, value);
    } catch (thrown) {
        if (thrown instanceof RequestRefused) {
            throw new RequestRefused(
                `init.body.${name}`,
                thrown.message.split(`params.query.${name}`).join(`init.body.${name}`),
            );
        }
        throw thrown;
    }
}

// RFC 3986 percent-encoding (as the query uses) to the form-urlencoded byte forms.
function formEncoded(pair: string): string {
    return pair.replace(/%20/g, "+").replace(/%2A/g, "*").replace(/~/g, "%7E");
}

/**
 * `multipart/form-data`, written here rather than through `FormData` so each part can carry
 * the `Content-Type` the spec's `encoding` gives it: a `Blob`/`File`/bytes is a file part
 * (its own type, else the encoding's, else `application/octet-stream`; filename the
 * `File`'s name, else `blob`), an object is a JSON part, an array repeats the part, other
 * values are text parts. Files are not copied: the body is a `Blob` of the parts.
 */
function multipartBody(
    body: unknown,
    encoding: Readonly<Record<string, EncodingSpec>>,
    mediaType: string,
): EncodedBody {
    const boundary = `----joinkit${randomHex()}`;
    const parts: BlobPart[] = [];
    const part = (name: string, value: unknown, field: string): void => {
        if (value === undefined || value === null) return;
        const declared = encoding[name]?.contentType;
        let headers = `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"`;
        let content: BlobPart;
        if (isBinary(value)) {
            const filename = typeof File !== "undefined" && value instanceof File ? value.name : "blob";
            const own = value instanceof Blob ? value.type : "";
            const type = own
                || (declared && !declared.includes("*") && !declared.includes(",")
                    ? declared
                    : "application/octet-stream");
            headers += `; filename="${quoted(filename)}"\r\nContent-Type: ${type}`;
            content = value as BlobPart;
        } else if (typeof value === "object") {
            const text = JSON.stringify(value);
            if (text === undefined) {
                throw new RequestRefused(field, `${field} cannot be written as JSON; got ${describeType(value)}`);
            }
            headers += `\r\nContent-Type: ${declared ?? "application/json"}`;
            content = text;
        } else if (
            typeof value === "string" || typeof value === "number" || typeof value === "boolean"
            || typeof value === "bigint"
        ) {
            if (declared !== undefined && declared !== "text/plain") headers += `\r\nContent-Type: ${declared}`;
            content = String(value);
        } else {throw new RequestRefused(
                field,
                `${field} must be a string, number, boolean, object or Blob; got ${describeType(value)}`,
            );}
        parts.push(`${headers}\r\n\r\n`, content, "\r\n");
    };
    for (const [name, value] of Object.entries(propertiesOf(body, "multipart/form-data"))) {
        const how = encoding[name];
        if (
            (how?.style !== undefined || how?.explode !== undefined) && value !== undefined && value !== null
            && !isBinary(value) && !(Array.isArray(value) && value.some(isBinary))
        ) {
            // OpenAPI 3.1: an explicit style writes the value as form fields would be, one part per field.
            for (const pair of stylePairs(name, value, how)) {
                const at = pair.indexOf("=");
                part(
                    decodeURIComponent(pair.slice(0, at)),
                    decodeURIComponent(pair.slice(at + 1)),
                    `init.body.${name}`,
                );
            }
            continue;
        }
        if (
            Array.isArray(value)
            && (encoding[name]?.contentType === undefined || !isJsonMediaType(encoding[name]?.contentType))
        ) {
            value.forEach((item, i) => part(name, item, `init.body.${name}[${i}]`));
        } else part(name, value, `init.body.${name}`);
    }
    parts.push(`--${boundary}--\r\n`);
    const contentType = `${mediaTypeOf(mediaType)}; boundary=${boundary}`;
    return { body: new Blob(parts, { type: contentType }), contentType, once: false };
}

// Field names and filenames in quotes, escaped as HTML forms (and fetch's FormData) do.
function quoted(text: string): string {
    return text.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
}

function randomHex(): string {
    const bytes = new Uint8Array(12);
    globalThis.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
