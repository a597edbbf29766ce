import { arrayBufferOf, invalidResponse, textOf } from "./body.js";
import type { ApiError, HttpError, InvalidResponseError, RateLimitedError } from "./errors.js";
import { isJsonMediaType, mediaKind, mediaTypeMatches, mediaTypeOf, type MediaKind } from "./media-type.js";
import { responseKeyFor, type Catalogue, type ErrorDecoder, type OperationSpec } from "./contract.js";
import type { ParseAs } from "./operation.js";
import { describeProblem, problemDetailsOf } from "./problem.js";
import type { Redactor } from "./redact.js";

/** Messages quote at most this much of a body. */
export const MAX_MESSAGE_BODY = 200;

type Decoded<Code> = { data: unknown; error: undefined } | { data: undefined; error: ApiError<Code> };

/** How a 2xx body is read: as the caller asked, else by what came among what the spec declares. */
export type Reading = ParseAs | { readonly problem: string };

const READING_BY_KIND: Readonly<Record<MediaKind, ParseAs>> = {
    json: "json",
    form: "text",
    text: "text",
    "event-stream": "events",
    multipart: "blob",
    binary: "blob",
};

/**
 * Picks how to read a 2xx body: `parseAs` when the caller gave one; else by the received
 * `Content-Type` where the spec declares it for this status (JSON, text, event stream,
 * bytes); a type the spec does not declare is a problem when the spec promises JSON, and
 * is read as the first declared type otherwise. Where the spec declares nothing, the body
 * is read as its label says (unlabelled: text).
 */
export function successReading(response: Response, spec: OperationSpec, parseAs: ParseAs | undefined): Reading {
    if (parseAs !== undefined) return parseAs;
    const contentType = response.headers.get("Content-Type");
    const received = mediaTypeOf(contentType);
    const declared = declaredMediaTypes(response.status, spec.responses, false);
    if (declared === undefined || declared.length === 0) {
        return received === undefined
            ? "text"
            : READING_BY_KIND[mediaKind(received)];
    }
    const match = declared.find((type) => mediaTypeMatches(type, received));
    if (match !== undefined) return READING_BY_KIND[mediaKind(received ?? match)];
    if (declared.some(isJsonMediaType)) {
        const expected = declared.every(isJsonMediaType) ? "JSON" : declared.join(" or ");
        return { problem: `expected ${expected}, got ${contentType ?? "no Content-Type"}` };
    }
    return READING_BY_KIND[mediaKind(declared[0])];
}

/**
 * Turns a 2xx body (read to the end) into data as `reading` says: parsed JSON, text, a
 * `Blob` (typed with the received `Content-Type`; bytes exactly as sent) or an
 * `ArrayBuffer`. Where the spec promises JSON, anything else (no body, another content
 * type, broken JSON) is an `invalid-response` error carrying the text.
 */
export function decodeSuccess<Code>(
    response: Response,
    bytes: Uint8Array,
    reading: Exclude<Reading, "events" | "stream">,
    explicit: boolean,
    spec: OperationSpec,
    redactor: Redactor,
): Decoded<Code> {
    if (bytes.byteLength === 0 && !explicit) {
        const declared = declaredMediaTypes(response.status, spec.responses, false);
        if (
            declared?.some(isJsonMediaType) && !declared.some((type) => !isJsonMediaType(type))
            && response.status !== 204 && response.status !== 205
        ) {
            return {
                data: undefined,
                error: invalidResponse(response.status, "the body is empty; the spec promises JSON", "", redactor),
            };
        }
        return { data: undefined, error: undefined };
    }
    if (typeof reading === "object") {
        return { data: undefined, error: invalidResponse(response.status, reading.problem, textOf(bytes), redactor) };
    }
    switch (reading) {
        case "text":
            return { data: textOf(bytes), error: undefined };
        case "blob":
            return {
                data: new Blob([bytes as Uint8Array<ArrayBuffer>], {
                    type: response.headers.get("Content-Type") ?? "",
                }),
                error: undefined,
            };
        case "arrayBuffer":
            return { data: arrayBufferOf(bytes), error: undefined };
        case "json": {
            const text = textOf(bytes);
            try {
                return { data: JSON.parse(text), error: undefined };
            } catch (cause) {
                return {
                    data: undefined,
                    error: invalidResponse(
                        response.status,
                        `the body is not valid JSON (${(cause as Error).message})`,
                        text,
                        redactor,
                    ),
                };
            }
        }
    }
}

/**
 * Turns an error response into a typed error. Where the spec declares a response for the
 * status, the body must be what it declares (its media type; JSON that parses): then it is
 * an `http` error typed as declared, with `code` the catalogue member the body names;
 * otherwise it is `invalid-response`. A status the spec says nothing about is an `http`
 * error whose body is whatever came (parsed JSON when labelled JSON, else the text). A
 * 429 is `rate-limited` either way, its body the raw text when it is not as declared.
 * Everything is redacted before any text is cut.
 */
export function decodeHttpError<Code>(
    response: Response,
    text: string,
    spec: OperationSpec,
    retryAfterMs: number | undefined,
    redactor: Redactor,
): HttpError<Code> | RateLimitedError<Code> | InvalidResponseError {
    const { status, statusText } = response;
    const contentType = response.headers.get("Content-Type");
    const declared = declaredMediaTypes(status, spec.responses, true);
    let body: unknown;
    if (declared === undefined) {
        body = isJsonMediaType(contentType) ? parseJson(text) ?? text : text;
    } else {
        const parsed = asDeclared(text, contentType, declared);
        if (!parsed.ok) {
            if (status !== 429) return invalidResponse(status, parsed.problem, text, redactor);
            body = text;
        } else body = parsed.body;
    }
    body = redactor.value(body);
    let code: Code | undefined;
    for (const decoder of decodersFor(status, spec.errors)) {
        code = codeIn(body, decoder) as Code | undefined;
        if (code !== undefined) break;
    }
    // Problem details carry no catalogue code: any API's are typed by their media type alone.
    const problem = problemDetailsOf(contentType, body);
    const message = `HTTP ${status}: ${describe((problem && describeProblem(problem)) ?? body, statusText, redactor)}`;
    const details = problem ? { problem } : {};
    if (status === 429) return { kind: "rate-limited", status, code, message, body, retryAfterMs, ...details };
    return { kind: "http", status, code, message, body, ...details };
}

type AsDeclared = { ok: true; body: unknown } | { ok: false; problem: string };

function asDeclared(text: string, contentType: string | null, declared: readonly string[]): AsDeclared {
    if (declared.length === 0) {
        return text === ""
            ? { ok: true, body: undefined }
            : { ok: false, problem: "the spec declares no body for this status; one came" };
    }
    const received = mediaTypeOf(contentType);
    const match = declared.find((type) => mediaTypeMatches(type, received));
    if (match === undefined) {
        return {
            ok: false,
            problem: `expected ${declared.join(" or ")}, got ${
                contentType ?? (text === "" ? "no body" : "no Content-Type")
            }`,
        };
    }
    if (!isJsonMediaType(received ?? match)) return { ok: true, body: text };
    if (text === "") return { ok: false, problem: "the body is empty; the spec promises JSON" };
    const parsed = parseJson(text);
    return parsed === undefined ? { ok: false, problem: "the body is not valid JSON" } : { ok: true, body: parsed };
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** The media types the spec declares for a status: exact key, then `4XX`-style range, then `default` (errors only). */
export function declaredMediaTypes(
    status: number,
    responses: OperationSpec["responses"],
    includeDefault: boolean,
): readonly string[] | undefined {
    // The exact status is the usual case; looking it up skips listing every key on each call.
    const exact = String(status);
    if (Object.hasOwn(responses, exact)) return responses[exact];
    const key = responseKeyFor(status, Object.keys(responses), includeDefault);
    return key === undefined ? undefined : responses[key];
}

function decodersFor(status: number, decoders: readonly ErrorDecoder[]): readonly ErrorDecoder[] {
    const key = responseKeyFor(status, decoders.map((d) => d.status), true);
    return key === undefined ? [] : decoders.filter((d) => d.status.toUpperCase() === key.toUpperCase());
}

function codeIn(body: unknown, decoder: ErrorDecoder): string | number | undefined {
    const candidate = decoder.field === undefined
        ? typeof body === "string"
            ? body.trim()
            : body
        : body !== null && typeof body === "object" && !Array.isArray(body)
        ? (body as Record<string, unknown>)[decoder.field]
        : undefined;
    return isMember(decoder.catalogue, candidate) ? candidate : undefined;
}

function isMember(catalogue: Catalogue, value: unknown): value is string | number {
    if (typeof value !== "string" && typeof value !== "number") return false;
    // Numeric TypeScript enums also map each value's name back to it (`E[400] === "X"`);
    // a value counts only when it sits on the value side of a member.
    return Object.keys(catalogue).some((name) => catalogue[name] === value && !isNumericKey(name));
}

function isNumericKey(name: string): boolean {
    return name !== "" && String(Number(name)) === name;
}

/** A short, redacted description for the message: the text, or a JSON body's `message`. */
function describe(body: unknown, statusText: string, redactor: Redactor): string {
    const clip = (text: string) => {
        const { text: kept, truncated } = redactor.cut(text, MAX_MESSAGE_BODY);
        return truncated ? `${kept}…` : kept;
    };
    if (typeof body === "string" && body.trim() !== "") return clip(body.trim());
    if (body !== null && typeof body === "object") {
        const message = (body as Record<string, unknown>).message;
        if (typeof message === "string" && message !== "") return clip(message);
    }
    return statusText || "no body";
}
