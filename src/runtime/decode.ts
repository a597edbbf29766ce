import type { ApiError, HttpError } from "./errors.js";
import type { Catalogue, ErrorDecoder } from "./operation.js";

/** Raw text kept in an `invalid-response` error and in messages is cut to this length. */
export const MAX_MESSAGE_BODY = 200;

type Decoded<Code> = { data: unknown; error: undefined } | { data: undefined; error: ApiError<Code> };

/**
 * Turns a 2xx body into data: JSON when the `Content-Type` says JSON, the text otherwise,
 * `undefined` when there is no body.
 */
export function decodeSuccess<Code>(response: Response, text: string | undefined): Decoded<Code> {
    if (text === undefined || text === "") return { data: undefined, error: undefined };
    if (!isJson(response.headers.get("Content-Type"))) return { data: text, error: undefined };
    try {
        return { data: JSON.parse(text), error: undefined };
    } catch (cause) {
        return {
            data: undefined,
            error: {
                kind: "invalid-response",
                status: response.status,
                message: `HTTP ${response.status}: the body is not valid JSON (${(cause as Error).message})`,
                body: text,
            },
        };
    }
}

/**
 * Turns an error response into an `http` error whose `code` is the catalogue member the
 * body names. `body` is what openapi-fetch read: parsed JSON, or the text when it is not
 * JSON.
 */
export function decodeHttpError<Code>(
    status: number,
    statusText: string,
    body: unknown,
    decoders: readonly ErrorDecoder[],
): HttpError<Code> {
    let code: Code | undefined;
    for (const decoder of decodersFor(status, decoders)) {
        code = codeIn(body, decoder) as Code | undefined;
        if (code !== undefined) break;
    }
    return { kind: "http", status, code, message: `HTTP ${status}: ${describe(body, statusText)}`, body };
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

function isJson(contentType: string | null): boolean {
    if (!contentType) return false;
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    return mediaType === "application/json" || mediaType.endsWith("+json");
}
