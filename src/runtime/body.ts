import type { InvalidResponseError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** Bodies larger than this are not read to the end (configurable per client). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Raw text kept in an `invalid-response` error is cut to this many characters. */
export const MAX_RAW_TEXT = 64 * 1024;

/** A body as read: all of it, or the start of one that passed the limit (the rest was never downloaded). */
export type ReadBody = { readonly bytes: Uint8Array; readonly overLimit: false } | {
    readonly bytes: Uint8Array;
    readonly overLimit: true;
    readonly limit: number;
};

/**
 * Reads a body to the end, counting the bytes fetch hands over — decoded bytes, after
 * gzip, deflate or brotli — so a small compressed bomb stops at `maxBytes` like any other
 * body, whatever `Content-Length` says. Past the limit it cancels the download and keeps
 * what it has (memory stays within `maxBytes` plus one chunk).
 */
export async function readBody(response: Response, maxBytes: number): Promise<ReadBody> {
    if (!response.body) return { bytes: new Uint8Array(0), overLimit: false };
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
                return { bytes: concat(chunks, maxBytes), overLimit: true, limit: maxBytes };
            }
            chunks.push(value);
        }
    } finally {
        reader.releaseLock();
    }
    return { bytes: concat(chunks, seen), overLimit: false };
}

/** A body openapi-fetch already read as text (see `exchange.ts`), held to the same limit as one read here. */
export function readText(text: string, maxBytes: number): ReadBody {
    const bytes = new TextEncoder().encode(text);
    return bytes.byteLength > maxBytes
        ? { bytes: bytes.subarray(0, maxBytes), overLimit: true, limit: maxBytes }
        : { bytes, overLimit: false };
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
    if (chunks.length === 1) return chunks[0]!;
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return bytes;
}

/** UTF-8 text of a body; a body cut mid-character (`partial`) drops the half sequence rather than show U+FFFD. */
export function textOf(bytes: Uint8Array, partial = false): string {
    if (!partial) return UTF8.decode(bytes);
    return new TextDecoder().decode(bytes, { stream: true });
}

// A decode without `stream` keeps no state between calls, so one decoder serves every call
// (making one costs more than decoding a small body).
const UTF8 = new TextDecoder();

/** The bytes as an `ArrayBuffer` of their own (a chunk may be a view into a larger buffer). */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
        ? bytes.buffer
        : (bytes.slice().buffer as ArrayBuffer);
}

/** An `invalid-response` error carrying the raw text, redacted before it is cut. */
export function invalidResponse(
    status: number,
    message: string,
    text: string,
    redactor: Redactor,
    cutAlready = false,
): InvalidResponseError {
    const { text: body, truncated } = redactor.cut(text, MAX_RAW_TEXT, cutAlready);
    return { kind: "invalid-response", status, message: `HTTP ${status}: ${redactor.text(message)}`, body, truncated };
}
