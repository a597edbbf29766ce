import type { AbortedError, InvalidResponseError, NetworkError, TimeoutError } from "./errors.js";
import { setLongTimeout, TimeoutReason } from "./timing.js";

/** One event of a `text/event-stream`, as the WHATWG EventSource parser reads it. */
export interface ServerSentEvent<T = unknown> {
    /** The `event:` field; `"message"` when the event names none. */
    readonly event: string;
    /** The `data:` lines, joined with `\n`. */
    readonly data: string;
    /** The last event ID the stream set (it carries over to later events), if any. */
    readonly id: string | undefined;
    /** The `retry:` field of this event, in milliseconds, if it had one. */
    readonly retry: number | undefined;
    /** `data` parsed as JSON, typed as the spec's schema for the stream; throws `SyntaxError` when it is not JSON (e.g. `[DONE]`). */
    json(): T;
}

/**
 * A `text/event-stream` response body, read and parsed as it arrives (never buffered
 * whole). Iterate it once with `for await`; leaving the loop early closes the connection.
 * A failure while reading (the caller's signal, no data for `timeoutMs`, an event larger
 * than `maxBodyBytes`, a broken connection) ends the loop with an `EventStreamError`.
 */
export interface EventStream<T = unknown> extends AsyncIterable<ServerSentEvent<T>> {
    /** Stops reading and closes the connection. */
    cancel(): Promise<void>;
}

/** Why reading a streamed body stopped. */
export class EventStreamError extends Error {
    constructor(readonly error: TimeoutError | AbortedError | NetworkError | InvalidResponseError) {
        super(error.message);
        this.name = "EventStreamError";
    }
}

export interface StreamLimits {
    readonly status: number;
    /** The signal the request was sent with (the caller's, linked): aborting it ends the stream. */
    readonly signal: AbortSignal | undefined;
    /** The longest wait for the next chunk. */
    readonly idleTimeoutMs: number;
    /** The longest single event (its text). */
    readonly maxEventBytes: number;
    /** Called once when the stream ends, however it ends. */
    readonly done: () => void;
}

const LINE_END = /\r\n|\r|\n/g;

/** Parses an event-stream body incrementally. */
export function readEventStream<T>(body: ReadableStream<Uint8Array>, limits: StreamLimits): EventStream<T> {
    const reader = body.getReader();
    let started = false;
    let finished = false;
    const finish = () => {
        if (finished) return;
        finished = true;
        limits.done();
    };
    async function* events(): AsyncGenerator<ServerSentEvent<T>> {
        const decoder = new TextDecoder(); // drops a leading BOM, as the spec asks
        let buffer = "";
        let data: string[] | undefined;
        let dataLength = 0;
        let type = "";
        let lastId: string | undefined;
        let retry: number | undefined;
        try {
            for (;;) {
                const { done, value } = await readWithin(reader, limits);
                buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
                let start = 0;
                LINE_END.lastIndex = 0;
                for (let match = LINE_END.exec(buffer); match; match = LINE_END.exec(buffer)) {
                    // A CR at the end of a chunk may be the first half of a CRLF.
                    if (match[0] === "\r" && match.index === buffer.length - 1 && !done) break;
                    const line = buffer.slice(start, match.index);
                    start = match.index + match[0].length;
                    if (line === "") {
                        if (data !== undefined) {
                            const text = data.join("\n");
                            yield makeEvent<T>(type || "message", text, lastId, retry);
                        }
                        data = undefined;
                        dataLength = 0;
                        type = "";
                        retry = undefined;
                        continue;
                    }
                    if (line.startsWith(":")) continue;
                    const colon = line.indexOf(":");
                    const field = colon === -1 ? line : line.slice(0, colon);
                    let fieldValue = colon === -1 ? "" : line.slice(colon + 1);
                    if (fieldValue.startsWith(" ")) fieldValue = fieldValue.slice(1);
                    if (field === "data") {
                        (data ??= []).push(fieldValue);
                        dataLength += fieldValue.length + 1;
                    } else if (field === "event") type = fieldValue;
                    else if (field === "id") {
                        if (!fieldValue.includes("\0")) lastId = fieldValue;
                    } else if (field === "retry" && /^\d+$/.test(fieldValue)) retry = Number(fieldValue);
                }
                buffer = buffer.slice(start);
                if (buffer.length + dataLength > limits.maxEventBytes) {
                    throw new EventStreamError({
                        kind: "invalid-response",
                        status: limits.status,
                        message:
                            `HTTP ${limits.status}: an event is larger than ${limits.maxEventBytes} bytes; reading stopped`,
                        body: "",
                        truncated: true,
                    });
                }
                // An event not ended by a blank line when the stream ends is dropped, as EventSource does.
                if (done) return;
            }
        } finally {
            await reader.cancel().catch(() => {});
            finish();
        }
    }
    const iterator = events();
    return {
        [Symbol.asyncIterator]() {
            if (started) throw new TypeError("An event stream can be iterated only once");
            started = true;
            return iterator;
        },
        async cancel() {
            if (!started) {
                started = true;
                await reader.cancel().catch(() => {});
                finish();
                return;
            }
            await iterator.return(undefined);
        },
    };
}

function makeEvent<T>(
    event: string,
    data: string,
    id: string | undefined,
    retry: number | undefined,
): ServerSentEvent<T> {
    return { event, data, id, retry, json: () => JSON.parse(data) as T };
}

/** The next chunk, or an `EventStreamError` for an abort, an idle timeout or a broken connection. */
function readWithin(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    limits: StreamLimits,
): Promise<ReadableStreamReadResult<Uint8Array>> {
    return new Promise((resolve, reject) => {
        let settled = false;
        const cancelTimer = setLongTimeout(() => {
            if (settled) return;
            settled = true;
            const reason = new TimeoutReason(limits.idleTimeoutMs);
            reject(
                new EventStreamError({
                    kind: "timeout",
                    message: `Stream ${reason.message} (no data)`,
                    timeoutMs: limits.idleTimeoutMs,
                }),
            );
        }, limits.idleTimeoutMs);
        reader.read().then(
            (result) => {
                if (settled) return;
                settled = true;
                cancelTimer();
                resolve(result);
            },
            (cause: unknown) => {
                if (settled) return;
                settled = true;
                cancelTimer();
                reject(streamFailure(cause, limits.signal));
            },
        );
    });
}

/** What a failed read of a streamed body means. */
export function streamFailure(cause: unknown, signal: AbortSignal | undefined): EventStreamError {
    if (signal?.aborted) {
        return new EventStreamError({ kind: "aborted", message: "The call was aborted by its signal" });
    }
    const error = cause instanceof Error ? cause : new Error(String(cause));
    return new EventStreamError({
        kind: "network",
        message: `Reading the stream failed: ${error.message}`,
        cause: { name: error.name, message: error.message },
    });
}

/**
 * The body as a stream the caller reads at its own pace: ended by the caller's signal,
 * failing with an `EventStreamError` once it passes `maxBytes`.
 */
export function meteredStream(
    body: ReadableStream<Uint8Array>,
    status: number,
    maxBytes: number,
    signal: AbortSignal | undefined,
    done: () => void,
): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    let seen = 0;
    return new ReadableStream<Uint8Array>({
        async pull(controller) {
            let result: ReadableStreamReadResult<Uint8Array>;
            try {
                result = await reader.read();
            } catch (cause) {
                done();
                controller.error(streamFailure(cause, signal));
                return;
            }
            if (result.done) {
                done();
                controller.close();
                return;
            }
            seen += result.value.byteLength;
            if (seen > maxBytes) {
                done();
                await reader.cancel().catch(() => {});
                controller.error(
                    new EventStreamError({
                        kind: "invalid-response",
                        status,
                        message: `HTTP ${status}: the body is larger than ${maxBytes} bytes; reading stopped`,
                        body: "",
                        truncated: true,
                    }),
                );
                return;
            }
            controller.enqueue(result.value);
        },
        async cancel(reason) {
            done();
            await reader.cancel(reason).catch(() => {});
        },
    });
}
