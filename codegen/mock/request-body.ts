import {
    type EncodingSpec,
    isJsonMediaType,
    mediaKind,
    mediaTypeMatches,
    mediaTypeOf,
    type ParameterSpec,
} from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { asObject, type Json } from "../model/context.js";
import type { MockDocument } from "./document.js";
import { type MockMedia, type MockOperation, type MockParameter, safeDecode } from "./operations.js";
import { parseQuery, readParameters, scalar, typesOf } from "./parameter-object.js";
import type { RequestProblem } from "./problem.js";
import type { SchemaChecker } from "./schema-object.js";

/** A file part of a multipart body, as it arrived. */
export interface FilePart {
    readonly filename: string | undefined;
    readonly contentType: string | undefined;
    readonly bytes: Buffer;
}

/** The request body as the simulator read it. */
export interface ParsedBody {
    /** The declared media type it matched. */
    readonly mediaType: string;
    /** JSON as parsed, form and multipart fields as an object (files as FilePart), text as a string, anything else as bytes. */
    readonly value: unknown;
}

/**
 * Reads the body in the media type its `Content-Type` names, which must be one the
 * operation declares, and checks it against that media type's schema: JSON, form fields
 * (each in its `encoding` style, as joinkit/runtime's encode-body.ts writes them), multipart
 * parts (files, text and JSON parts), and text. Other media types (images, octet streams)
 * are taken as bytes.
 */
export function readRequestBody(
    operation: MockOperation,
    contentType: string | undefined,
    bytes: Buffer,
    document: MockDocument,
    checker: SchemaChecker,
): { body?: ParsedBody; problems: RequestProblem[]; status?: number } {
    const declared = operation.requestBody;
    if (!declared) {
        if (bytes.length === 0) return { problems: [] };
        return {
            problems: [{
                in: "body",
                message: "is not expected: the operation takes no request body",
                pointer: operation.pointer,
            }],
        };
    }
    if (bytes.length === 0 && contentType === undefined) {
        return declared.required
            ? { problems: [{ in: "body", message: "is required", pointer: `${declared.pointer}/required` }] }
            : { problems: [] };
    }
    const received = mediaTypeOf(contentType);
    const media = declared.content.find((m) => mediaTypeOf(m.mediaType) === received)
        ?? declared.content.find((m) => m.mediaType.includes("*") && mediaTypeMatches(m.mediaType, received));
    if (!media) {
        const accepted = declared.content.map((m) => m.mediaType).join(", ") || "none";
        return {
            status: 415,
            problems: [{
                in: "content-type",
                message: received === undefined
                    ? `is missing; the operation takes ${accepted}`
                    : `${JSON.stringify(received)} is not a media type of the operation; it takes ${accepted}`,
                pointer: `${declared.pointer}/content`,
            }],
        };
    }
    const schema = media.media.schema;
    const schemaPointer = `${media.pointer}/schema`;
    const problems: RequestProblem[] = [];
    let value: unknown;
    switch (mediaKind(media.mediaType)) {
        case "json": {
            const text = utf8(bytes);
            if (text === undefined) return { problems: [bodyProblem("is not UTF-8 text", media.pointer)] };
            try {
                value = JSON.parse(text);
            } catch (error) {
                return { problems: [bodyProblem(`is not JSON (${(error as Error).message})`, media.pointer)] };
            }
            break;
        }
        case "form": {
            const text = utf8(bytes);
            if (text === undefined) return { problems: [bodyProblem("is not UTF-8 text", media.pointer)] };
            // HTML forms write a space as "+"; in the query it is a literal plus.
            value = formFields(media, parseQuery(text.replace(/\+/g, "%20")), document, checker, problems);
            break;
        }
        case "multipart": {
            const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
            if (!boundary) return { problems: [bodyProblem("has no boundary in its Content-Type", media.pointer)] };
            const parts = multipartParts(bytes, boundary[1] ?? boundary[2]!);
            if (parts === undefined) {
                return { problems: [bodyProblem("is not a well-formed multipart body", media.pointer)] };
            }
            // OpenAPI 3.1: a property with an explicit style is written as form fields are, one part per field.
            const encoding = Object.values(asObject(media.media.encoding)).map(asObject);
            if (encoding.some((e) => e.style !== undefined || e.explode !== undefined)) {
                const isText = (p: Part) =>
                    p.name !== undefined && p.filename === undefined
                    && (p.contentType === undefined || mediaKind(p.contentType) === "text");
                // The runtime wrote each field's text decoded: its delimiters stay delimiters.
                const encode = (text: string) =>
                    encodeURIComponent(text).replace(/%2C/gi, ",").replace(/%7C/gi, "|").replace(/%3D/gi, "=");
                const fields = parts.filter(isText).map((
                    p,
                ): [string, string] => [p.name!, encode(p.bytes.toString("utf8"))]);
                value = {
                    ...multipartFields(parts.filter((p) => !isText(p)), schema, schemaPointer, document),
                    ...formFields(media, fields, document, checker, problems),
                };
            } else value = multipartFields(parts, schema, schemaPointer, document);
            break;
        }
        case "text": {
            const text = utf8(bytes);
            if (text === undefined) return { problems: [bodyProblem("is not UTF-8 text", media.pointer)] };
            value = schema === undefined ? text : scalar(text, schema, schemaPointer, document);
            break;
        }
        default:
            return { body: { mediaType: media.mediaType, value: bytes }, problems: [] };
    }
    if (schema !== undefined && problems.length === 0) {
        for (const found of checker.check(schema, schemaPointer, forChecking(value), "request")) {
            problems.push({ in: "body", at: found.at, message: found.message, pointer: found.pointer });
        }
    }
    return { body: { mediaType: media.mediaType, value }, problems };
}

function bodyProblem(message: string, pointer: string): RequestProblem {
    return { in: "body", message, pointer };
}

function utf8(bytes: Buffer): string | undefined {
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        return undefined;
    }
}

/** Form fields read like query parameters, each in its `encoding` (default form, exploded). */
function formFields(
    media: MockMedia,
    pairs: [string, string][],
    document: MockDocument,
    checker: SchemaChecker,
    problems: RequestProblem[],
): Json {
    const schemaPointer = `${media.pointer}/schema`;
    const found = document.deref(media.media.schema, schemaPointer);
    const resolved = asObject(found.value);
    const at = found.pointer;
    const encoding = asObject(media.media.encoding) as Record<string, EncodingSpec>;
    const properties = asObject(resolved.properties);
    const fields: MockParameter[] = Object.entries(properties).map(([name, property]) => {
        const how = asObject(encoding[name]) as EncodingSpec;
        const style = how.style ?? "form";
        const pointer = `${at}/properties/${escapePointer(name)}`;
        const types = typesOf(property, pointer, document);
        const spec: ParameterSpec = {
            name,
            in: "query",
            style,
            explode: how.explode ?? style === "form",
            required: false,
            ...(how.contentType !== undefined && isJsonMediaType(how.contentType)
                ? { contentType: how.contentType }
                : {}),
            ...(types.has("array")
                ? { type: "array" as const }
                : types.has("object")
                ? { type: "object" as const }
                : {}),
        };
        return { spec, pointer, schema: property, schemaPointer: pointer };
    });
    const open = resolved.additionalProperties !== undefined && resolved.additionalProperties !== false;
    const known = new Set(fields.map((f) => f.spec.name));
    const extra = open ? new Set(pairs.map(([key]) => key).filter((key) => !known.has(key))) : new Set<string>();
    const read = readParameters(fields, { path: {}, query: pairs, headers: {} }, document, checker, extra, false);
    problems.push(
        ...read.problems.map((p) => ({
            ...p,
            in: "body" as const,
            at: `/${escapePointer(p.name ?? "")}`,
            pointer: p.pointer || media.pointer,
        })),
    );
    const value: Json = { ...read.values.query };
    for (const key of extra) {
        const values = pairs.filter(([k]) => k === key).map(([, v]) => (safeDecode(v) ?? v));
        value[key] = values.length === 1 ? values[0] : values;
    }
    return value;
}

interface Part {
    readonly name: string | undefined;
    readonly filename: string | undefined;
    readonly contentType: string | undefined;
    readonly bytes: Buffer;
}

/** The parts of a multipart body, or `undefined` when it is not one. */
function multipartParts(bytes: Buffer, boundary: string): Part[] | undefined {
    const delimiter = Buffer.from(`--${boundary}`);
    const parts: Part[] = [];
    let index = bytes.indexOf(delimiter);
    if (index === -1) return undefined;
    for (;;) {
        index += delimiter.length;
        if (bytes.subarray(index, index + 2).toString() === "--") return parts;
        if (bytes.subarray(index, index + 2).toString() !== "\r\n") return undefined;
        const next = bytes.indexOf(Buffer.from(`\r\n--${boundary}`), index);
        if (next === -1) return undefined;
        const part = bytes.subarray(index + 2, next);
        const split = part.indexOf("\r\n\r\n");
        if (split === -1) return undefined;
        const headers = part.subarray(0, split).toString("latin1").split("\r\n");
        const header = (name: string) =>
            headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
        const disposition = header("content-disposition") ?? "";
        const param = (key: string) => {
            const match = new RegExp(`;\\s*${key}="([^"]*)"`, "i").exec(disposition);
            return match ? (safeDecode(match[1]!) ?? match[1]!) : undefined;
        };
        parts.push({
            name: param("name"),
            filename: param("filename"),
            contentType: header("content-type"),
            bytes: part.subarray(split + 4),
        });
        index = next + 2;
    }
}

/** Parts as fields: files as FilePart, JSON parts parsed, text parts typed by their property's schema; repeated names as arrays. */
function multipartFields(parts: readonly Part[], schema: unknown, pointer: string, document: MockDocument): Json {
    const resolved = document.deref(schema, pointer);
    const properties = asObject(asObject(resolved.value).properties);
    const fields: Json = {};
    for (const part of parts) {
        if (part.name === undefined) continue;
        const propertyPointer = `${resolved.pointer}/properties/${escapePointer(part.name)}`;
        const property = properties[part.name];
        const types = typesOf(property, propertyPointer, document);
        const [itemSchema, itemPointer] = types.has("array")
            ? [asObject(document.deref(property, propertyPointer).value).items, `${propertyPointer}/items`]
            : [property, propertyPointer];
        let value: unknown;
        if (
            part.filename !== undefined || (part.contentType !== undefined && mediaKind(part.contentType) === "binary")
        ) {
            value = { filename: part.filename, contentType: part.contentType, bytes: part.bytes } satisfies FilePart;
        } else if (part.contentType !== undefined && isJsonMediaType(part.contentType)) {
            try {
                value = JSON.parse(part.bytes.toString("utf8"));
            } catch {
                value = part.bytes.toString("utf8");
            }
        } else value = scalar(part.bytes.toString("utf8"), itemSchema, itemPointer, document);
        if (Object.hasOwn(fields, part.name)) {
            const existing = fields[part.name];
            fields[part.name] = Array.isArray(existing) && types.has("array")
                ? [...existing, value]
                : [existing, value];
        } else fields[part.name] = types.has("array") && !Array.isArray(value) ? [value] : value;
    }
    return fields;
}

/** The parsed body as the schema sees it: a file part is a string (`format: binary`) of its bytes. */
function forChecking(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Buffer.isBuffer(value)) return value.toString("latin1");
    if (Array.isArray(value)) return value.map(forChecking);
    const file = value as Partial<FilePart>;
    if (Buffer.isBuffer(file.bytes) && "filename" in file) return file.bytes.toString("latin1");
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forChecking(v)]));
}
