import type { InvalidResponseError } from "./errors.js";

/** Bodies larger than this are not read to the end (configurable per client). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Raw text kept in an `invalid-response` error is cut to this many characters. */
export const MAX_RAW_TEXT = 64 * 1024;

/** Thrown into a body stream that passes its byte limit; carries what was read. */
export class BodyTooLarge extends Error {
    constructor(
        readonly limit: number,
        readonly prefix: string,
    ) {
        super(`the body is larger than ${limit} bytes`);
        this.name = "BodyTooLarge";
    }
}

/**
 * The same response with a body that errors (and stops the download) once it passes
 * `maxBytes`, so a runaway body cannot exhaust memory.
 */
export function capBody(response: Response, maxBytes: number): Response {
    if (!response.body) return response;
    // A declared length within the limit is enforced by the HTTP layer itself; only
    // chunked or over-long bodies need counting (web streams cost ~tens of µs a call).
    const declared = Number(response.headers.get("Content-Length") ?? Number.NaN);
    if (declared <= maxBytes) return response;
    let seen = 0;
    let prefix = "";
    const decoder = new TextDecoder();
    const capped = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
                seen += chunk.byteLength;
                if (prefix.length < MAX_RAW_TEXT) prefix += decoder.decode(chunk, { stream: true });
                if (seen > maxBytes) controller.error(new BodyTooLarge(maxBytes, prefix.slice(0, MAX_RAW_TEXT)));
                else controller.enqueue(chunk);
            },
        }),
    );
    return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
}

export function invalidResponse(status: number, message: string, text: string): InvalidResponseError {
    return {
        kind: "invalid-response",
        status,
        message: `HTTP ${status}: ${message}`,
        body: text.slice(0, MAX_RAW_TEXT),
        truncated: text.length > MAX_RAW_TEXT,
    };
}
