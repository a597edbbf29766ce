import { invalidResponse } from "./body.js";
import type { ApiError, HttpError, RateLimitedError } from "./errors.js";
import type { Catalogue, ErrorDecoder } from "./operation.js";

/** Messages quote at most this much of a body. */
export const MAX_MESSAGE_BODY = 200;

type Decoded<Code> = { data: unknown; error: undefined } | { data: undefined; error: ApiError<Code> };

/**
 * Turns a 2xx body into data. Where the spec promises JSON for this status, anything else
 * (no body, another content type, broken JSON) is an `invalid-response` error carrying the
 * text. Elsewhere the body is taken as it comes: JSON when labelled so, else text.
 */
export function decodeSuccess<Code>(response: Response, text: string | undefined, jsonStatuses: readonly string[]): Decoded<Code> {
    const promisesJson = matchesStatus(response.status, jsonStatuses);
    const labelledJson = isJsonMediaType(response.headers.get("Content-Type"));
    if (text === undefined || text === "") {
        if (promisesJson && response.status !== 204 && response.status !== 205) {
            return { data: undefined, error: invalidResponse(response.status, "the body is empty; the spec promises JSON", "") };
        }
        return { data: undefined, error: undefined };
    }
    if (promisesJson && !labelledJson) {
        const type = response.headers.get("Content-Type") ?? "no Content-Type";
        return { data: undefined, error: invalidResponse(response.status, `expected JSON, got ${type}`, text) };
    }
    if (!labelledJson) return { data: text, error: undefined };
    try {
        return { data: JSON.parse(text), error: undefined };
    } catch (cause) {
        return { data: undefined, error: invalidResponse(response.status, `the body is not valid JSON (${(cause as Error).message})`, text) };
    }
}

/**
 * Turns an error response into a typed error whose `code` is the catalogue member the body
 * names. `body` is what openapi-fetch read: parsed JSON, or the text when it is not JSON.
 */
export function decodeHttpError<Code>(
    response: Response,
    body: unknown,
    decoders: readonly ErrorDecoder[],
    retryAfterMs: number | undefined,
): HttpError<Code> | RateLimitedError<Code> {
    const { status, statusText } = response;
    let code: Code | undefined;
    for (const decoder of decodersFor(status, decoders)) {
        code = codeIn(body, decoder) as Code | undefined;
        if (code !== undefined) break;
    }
    const message = `HTTP ${status}: ${describe(body, statusText)}`;
    if (status === 429) return { kind: "rate-limited", status, code, message, body, retryAfterMs };
    return { kind: "http", status, code, message, body };
}

export function matchesStatus(status: number, keys: readonly string[]): boolean {
    return keys.some((key) => key === String(status) || key.toUpperCase() === `${String(status)[0]}XX`);
}

function decodersFor(status: number, decoders: readonly ErrorDecoder[]): readonly ErrorDecoder[] {
    const exact = decoders.filter((d) => d.status === String(status));
    if (exact.length > 0) return exact;
    const range = decoders.filter((d) => d.status.toUpperCase() === `${String(status)[0]}XX`);
    if (range.length > 0) return range;
    return decoders.filter((d) => d.status === "default");
}

function codeIn(body: unknown, decoder: ErrorDecoder): string | number | undefined {
    const candidate =
        decoder.field === undefined
            ? body
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

function describe(body: unknown, statusText: string): string {
    if (typeof body === "string" && body.trim() !== "") return clip(body.trim());
    if (body !== null && typeof body === "object") {
        const message = (body as Record<string, unknown>).message;
        if (typeof message === "string" && message !== "") return clip(message);
    }
    return statusText || "no body";
}

function clip(text: string): string {
    return text.length > MAX_MESSAGE_BODY ? `${text.slice(0, MAX_MESSAGE_BODY)}…` : text;
}

/** `application/json` or any `+json` type, parameters ignored. */
export function isJsonMediaType(contentType: string | null): boolean {
    if (!contentType) return false;
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    return mediaType === "application/json" || mediaType.endsWith("+json");
}
