import type { InvalidResponseError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** Bodies larger than this are not read to the end (configurable per client). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Raw text kept in an `invalid-response` error is cut to this many characters. */
export const MAX_RAW_TEXT = 64 * 1024;

/** A body as read: all of it, or the start of one that passed the limit (the rest was never downloaded). */
export type ReadBody = { readonly text: string; readonly overLimit: false } | { readonly text: string; readonly overLimit: true; readonly limit: number };

/**
 * Reads a body as text, counting the bytes fetch hands over — decoded bytes, after gzip,
 * deflate or brotli — so a small compressed bomb stops at `maxBytes` like any other
 * body, whatever `Content-Length` says. Past the limit it cancels the download and keeps
 * what it has (memory stays within `maxBytes` plus one chunk).
 */
export async function readBody(response: Response, maxBytes: number): Promise<ReadBody> {
    if (!response.body) return { text: "", overLimit: false };
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let seen = 0;
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            seen += value.byteLength;
            if (seen > maxBytes) {
                chunks.push(value.subarray(0, value.byteLength - (seen - maxBytes)));
                await reader.cancel().catch(() => {});
                return { text: decode(chunks, true), overLimit: true, limit: maxBytes };
            }
            chunks.push(value);
        }
    } finally {
        reader.releaseLock();
    }
    return { text: decode(chunks, false), overLimit: false };
}

function decode(chunks: readonly Uint8Array[], partial: boolean): string {
    const decoder = new TextDecoder();
    let text = "";
    for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
    // A body cut mid-character ends with half a UTF-8 sequence: drop it rather than show U+FFFD.
    return partial ? text : text + decoder.decode();
}

/** An `invalid-response` error carrying the raw text, redacted before it is cut. */
export function invalidResponse(status: number, message: string, text: string, redactor: Redactor, cutAlready = false): InvalidResponseError {
    const { text: body, truncated } = redactor.cut(text, MAX_RAW_TEXT, cutAlready);
    return { kind: "invalid-response", status, message: `HTTP ${status}: ${redactor.text(message)}`, body, truncated };
}
