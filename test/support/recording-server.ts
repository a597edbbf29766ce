import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request exactly as it arrived: method, raw request target, headers and body bytes. */
export interface RecordedRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: IncomingHttpHeaders;
    readonly body: Buffer;
}

export type Answer = (request: RecordedRequest, response: ServerResponse) => void;

export interface RecordingServer {
    readonly url: string;
    readonly requests: RecordedRequest[];
    /** How the next requests are answered (default: 204). */
    answer(with_: Answer): void;
    close(): Promise<void>;
}

/**
 * A loopback HTTP server (127.0.0.1, OS-assigned port) that records every request's bytes
 * and answers as the test says. It does not keep the process alive.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
    const requests: RecordedRequest[] = [];
    let answer: Answer = (_request, response) => response.writeHead(204).end();
    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const recorded = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
            requests.push(recorded);
            answer(recorded, res);
        });
    });
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    server.unref();
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        answer: (next) => {
            answer = next;
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}
