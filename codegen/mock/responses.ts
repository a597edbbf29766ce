import { isErrorResponseKey, mediaKind, mediaTypeOf, responseKeyFor } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { asObject, type Json } from "../model/context.js";
import type { MockDocument } from "./document.js";
import type { MockOperation } from "./operations.js";
import { seededRandom } from "./random.js";
import type { SchemaChecker } from "./schema-object.js";
import type { SchemaSampler } from "./schema-sample.js";

/**
 * What a test (or a scenario) chooses for one answer. Everything is optional: `{}` is the
 * operation's default answer (its success status, its first example or generated data).
 */
export interface Answer {
    /** The status (default: the operation's lowest 2xx, else its first declared). */
    readonly status?: number;
    /** A named example of the response (`examples:` under its media type), instead of the first. */
    readonly example?: string;
    /** One of the response's declared media types, instead of JSON or the first. */
    readonly contentType?: string;
    /**
     * The body itself, instead of an example or generated data: written as JSON for JSON
     * media types, else as text; bytes (a Buffer or Uint8Array) are sent as they are, with
     * no `Content-Type` unless `contentType` gives one.
     */
    readonly body?: unknown;
    /** The body as pieces, each written once the one before it has gone out (a stream the client reads as it arrives). */
    readonly chunks?: readonly (string | Uint8Array)[];
    /** Leaves the response open after the body: the client waits for more until it gives up. */
    readonly keepOpen?: boolean;
    readonly headers?: Readonly<Record<string, string>>;
    /** Sent as `Retry-After` (seconds, or an HTTP date as text). */
    readonly retryAfter?: number | string;
    /** Waits this long before answering. */
    readonly delayMs?: number;
    /**
     * Drops the connection: before any byte of the response (`true` or `"before-response"`),
     * or after the headers and half the body (`"mid-body"`).
     */
    readonly drop?: boolean | "before-response" | "mid-body";
    /** How many calls a queued answer serves (default 1). */
    readonly times?: number;
}

/** A response ready to write. */
export interface Rendered {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: Buffer | undefined;
    /** The body in pieces, when the answer gave them (sent without a Content-Length). */
    readonly chunks?: readonly Buffer[];
    /** Where the body came from: `example <name>`, `example`, `generated`, `given`, or `none`. */
    readonly source: string;
    /** What is wrong with a body the simulator made itself (an example or generated data that breaks its schema). */
    readonly problems: readonly string[];
}

/** A wrong answer a test asked for (an undeclared example or media type): thrown when the answer is set, not when it is sent. */
export class AnswerError extends Error {}

/**
 * Makes each answer from the spec: the response the status selects (the exact status, its
 * `4XX` range, or `default`), in the chosen media type, with the chosen example, the first
 * example that fits the schema, or data generated from the schema (seeded by the operation,
 * status and media type, so the same seed gives the same bytes). Declared required headers
 * are filled in too.
 */
export class Responder {
    constructor(
        private readonly document: MockDocument,
        private readonly checker: SchemaChecker,
        private readonly sampler: SchemaSampler,
        private readonly seed: string | number,
    ) {}

    /** Throws AnswerError when the answer names what the operation's responses do not declare. */
    validate(operation: MockOperation, answer: Answer): void {
        const status = answer.status ?? successStatus(operation);
        if (!Number.isInteger(status) || status < 100 || status > 599) {
            throw new AnswerError(`${operation.id}: status ${String(status)} is not an HTTP status`);
        }
        if (answer.example === undefined && answer.contentType === undefined) return;
        const response = this.response(operation, status);
        if (!response) {
            throw new AnswerError(
                `${operation.id}: the spec declares no ${status} response (nor a range or default covering it)`,
            );
        }
        const media = this.media(response, answer.contentType);
        if (answer.contentType !== undefined && !media) {
            throw new AnswerError(
                `${operation.id}: the ${status} response has no media type ${answer.contentType}; it has ${
                    Object.keys(asObject(response.value.content)).join(", ") || "none"
                }`,
            );
        }
        if (answer.example !== undefined) {
            const names = Object.keys(asObject(media?.media.examples));
            if (!names.includes(answer.example)) {
                throw new AnswerError(
                    `${operation.id}: the ${status} response has no example ${JSON.stringify(answer.example)}; it has ${
                        names.map((n) => JSON.stringify(n)).join(", ") || "none"
                    }`,
                );
            }
        }
    }

    render(operation: MockOperation, answer: Answer, head = false): Rendered {
        const status = answer.status ?? successStatus(operation);
        const response = this.response(operation, status);
        const headers: Record<string, string> = {};
        const problems: string[] = [];
        if (response) Object.assign(headers, this.declaredHeaders(operation, response, status, problems));
        if (answer.retryAfter !== undefined) headers["retry-after"] = String(answer.retryAfter);
        let body: Buffer | undefined;
        let source = "none";
        const bodiless = head || status === 204 || status === 304 || (status >= 100 && status < 200);
        if (!bodiless) {
            const media = response ? this.media(response, answer.contentType) : undefined;
            const mediaType = answer.contentType ?? media?.mediaType
                ?? (answer.body !== undefined ? "application/json" : undefined);
            if (answer.body !== undefined || answer.chunks !== undefined) {
                source = "given";
                const bytes = answer.chunks !== undefined || Buffer.isBuffer(answer.body)
                    || answer.body instanceof Uint8Array;
                const type = answer.contentType ?? (bytes ? undefined : mediaType ?? "application/json");
                if (answer.body !== undefined) body = serialize(answer.body, type ?? "application/octet-stream");
                if (type !== undefined) headers["content-type"] = concrete(type);
            } else if (media) {
                const made = this.value(operation, status, media, answer.example);
                source = made.source;
                problems.push(...made.problems);
                body = serialize(made.value, media.mediaType);
                headers["content-type"] = concrete(media.mediaType);
            }
        }
        for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = value;
        const chunks = bodiless ? undefined : answer.chunks?.map((chunk) => Buffer.from(chunk));
        return { status, headers, body, ...(chunks ? { chunks } : {}), source, problems };
    }

    /** The body value a response would carry for this operation: for scenarios that change a few fields of it. */
    exampleValue(operation: MockOperation, status: number, example?: string): unknown {
        const response = this.response(operation, status);
        const media = response ? this.media(response, undefined) : undefined;
        return media ? this.value(operation, status, media, example).value : undefined;
    }

    /** Problems of a body a scenario built, checked against the response it answers as. */
    checkBody(operation: MockOperation, status: number, mediaType: string | undefined, value: unknown): string[] {
        const response = this.response(operation, status);
        if (!response) return [`the spec declares no ${status} response for ${operation.id}`];
        const media = this.media(response, mediaType);
        if (!media) return [];
        const schemaPointer = `${media.pointer}/schema`;
        return this.checker.check(media.media.schema, schemaPointer, value, "response").map((p) =>
            `${status} ${media.mediaType} ${p.at || "(body)"}: ${p.message} (${p.pointer})`
        );
    }

    response(operation: MockOperation, status: number): { value: Json; pointer: string } | undefined {
        const responses = asObject(operation.op.responses);
        const key = responseKeyFor(status, Object.keys(responses), true)
            // A success status may also fall to `default` when no 2xx is declared.
            ?? (!isErrorResponseKey(String(status)) && "default" in responses ? "default" : undefined);
        if (key === undefined) return undefined;
        const found = this.document.deref(responses[key], `${operation.pointer}/responses/${escapePointer(key)}`);
        return { value: asObject(found.value), pointer: found.pointer };
    }

    private media(
        response: { value: Json; pointer: string },
        wanted: string | undefined,
    ): { mediaType: string; media: Json; pointer: string } | undefined {
        const content = Object.entries(asObject(response.value.content));
        const pick = wanted !== undefined
            ? content.find(([type]) => mediaTypeOf(type) === mediaTypeOf(wanted))
            : content.find(([type]) => mediaKind(type) === "json") ?? content[0];
        if (!pick) return undefined;
        return {
            mediaType: pick[0],
            media: asObject(pick[1]),
            pointer: `${response.pointer}/content/${escapePointer(pick[0])}`,
        };
    }

    private value(
        operation: MockOperation,
        status: number,
        media: { mediaType: string; media: Json; pointer: string },
        example: string | undefined,
    ): { value: unknown; source: string; problems: string[] } {
        const mediaPointer = media.pointer;
        const schema = media.media.schema;
        const schemaPointer = `${mediaPointer}/schema`;
        const fits = (value: unknown) =>
            schema === undefined ? [] : this.checker.check(schema, schemaPointer, value, "response");
        const examples = Object.entries(asObject(media.media.examples));
        if (example !== undefined) {
            const found = examples.find(([name]) => name === example);
            const value =
                asObject(this.document.deref(found?.[1], `${mediaPointer}/examples/${escapePointer(example)}`).value)
                    .value;
            return {
                value,
                source: `example ${example}`,
                problems: fits(value).map((p) => `${p.at || "(body)"}: ${p.message} (${p.pointer})`),
            };
        }
        const candidates: [string, unknown][] = [
            ...examples.map(([name, raw]): [string, unknown] => [
                `example ${name}`,
                asObject(this.document.deref(raw, `${mediaPointer}/examples/${escapePointer(name)}`).value).value,
            ]),
            ...("example" in media.media ? [["example", media.media.example] as [string, unknown]] : []),
        ].filter(([, value]) => value !== undefined);
        for (const [source, value] of candidates) {
            if (fits(value).length === 0) return { value, source, problems: [] };
        }
        if (schema === undefined) {
            return candidates[0]
                ? { value: candidates[0][1], source: candidates[0][0], problems: [] }
                : { value: mediaKind(media.mediaType) === "json" ? {} : "", source: "generated", problems: [] };
        }
        const random = seededRandom(this.seed, `${operation.id}\u0000${status}\u0000${media.mediaType}`);
        const sample = this.sampler.sample(schema, schemaPointer, "response", random);
        return {
            value: sample.value,
            source: "generated",
            problems: sample.valid
                ? []
                : fits(sample.value).map((p) => `generated ${p.at || "(body)"}: ${p.message} (${p.pointer})`),
        };
    }

    /** The response's declared headers that are required (or that have an example), made from their schemas. */
    private declaredHeaders(
        operation: MockOperation,
        response: { value: Json; pointer: string },
        status: number,
        problems: string[],
    ): Record<string, string> {
        const out: Record<string, string> = {};
        for (const [name, raw] of Object.entries(asObject(response.value.headers))) {
            const lower = name.toLowerCase();
            if (lower === "content-type" || lower === "content-length" || lower === "transfer-encoding") continue;
            const pointer = `${response.pointer}/headers/${escapePointer(name)}`;
            const header = asObject(this.document.deref(raw, pointer).value);
            if (header.required !== true) continue;
            const random = seededRandom(this.seed, `${operation.id}\u0000${status}\u0000header ${lower}`);
            const sample = header.example !== undefined
                ? { value: header.example, valid: true }
                : this.sampler.sample(header.schema, `${pointer}/schema`, "response", random, name);
            if (!sample.valid) problems.push(`header ${name}: generated value does not fit its schema`);
            out[lower] = Array.isArray(sample.value)
                ? sample.value.join(",")
                : typeof sample.value === "object"
                ? JSON.stringify(sample.value)
                : String(sample.value);
        }
        return out;
    }
}

/** The operation's default status: its lowest 2xx, `2XX` as 200, else its first declared status, else 200. */
export function successStatus(operation: MockOperation): number {
    const keys = Object.keys(asObject(operation.op.responses));
    const exact = keys.filter((k) => /^2\d\d$/.test(k)).map(Number).sort((a, b) => a - b);
    if (exact.length > 0) return exact[0]!;
    if (keys.some((k) => k.toUpperCase() === "2XX") || keys.includes("default")) return 200;
    const first = keys.find((k) => /^[1-5]\d\d$/.test(k));
    return first === undefined ? 200 : Number(first);
}

/** A value written as the media type says: JSON, text, form fields, an event, or bytes. */
export function serialize(value: unknown, mediaType: string): Buffer {
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value);
    switch (mediaKind(mediaType)) {
        case "json":
            return Buffer.from(JSON.stringify(value) ?? "null");
        case "form":
            return Buffer.from(
                new URLSearchParams(
                    Object.entries(asObject(value)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
                ).toString(),
            );
        case "event-stream":
            return Buffer.from(typeof value === "string" ? value : `data: ${JSON.stringify(value)}\n\n`);
        case "text":
            return Buffer.from(
                typeof value === "string" ? value : mediaType.includes("xml") ? xml(value) : JSON.stringify(value),
            );
        default:
            return Buffer.from(typeof value === "string" ? value : JSON.stringify(value) ?? "");
    }
}

/** A wildcard media type (`image/*`, `*\/*`) is no `Content-Type`: bytes, or the family's first. */
function concrete(mediaType: string): string {
    if (!mediaType.includes("*")) return mediaType;
    const family = mediaType.split("/")[0];
    return family === "text" ? "text/plain" : family === "image" ? "image/png" : "application/octet-stream";
}

/** A small XML rendering of generated data, for XML-only responses without examples. */
function xml(value: unknown, name = "root"): string {
    const tag = name.replace(/[^A-Za-z0-9_.-]/g, "_") || "item";
    if (Array.isArray(value)) return value.map((item) => xml(item, tag)).join("");
    if (value !== null && typeof value === "object") {
        return `<${tag}>${Object.entries(value).map(([k, v]) => xml(v, k)).join("")}</${tag}>`;
    }
    const text = String(value ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return `<${tag}>${text}</${tag}>`;
}
