import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FaultHandler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

/** One request as it arrived: the raw target, headers and body bytes as text. */
export interface RecordedRequest {
    readonly method: string;
    /** The raw request target, percent-encoding intact. */
    readonly url: string;
    readonly headers: IncomingMessage["headers"];
    /** Filled in once the body has arrived. */
    body: string;
}

export interface FaultServer {
    readonly url: string;
    /** Every request received, in order. */
    readonly requests: RecordedRequest[];
    /** Requests received so far. */
    readonly count: () => number;
    /** Requests whose socket is still open and whose response has not finished. */
    readonly inFlight: () => number;
    /** Open sockets, idle keep-alive ones included. */
    readonly openSockets: () => number;
    /** Resolves when the n-th request (1-based) has been received. */
    waitForRequest(n: number): Promise<void>;
    handle(handler: FaultHandler): void;
    close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that misbehaves on demand: the test's handler decides,
 * per request, whether to answer, stall, reset the connection mid-body or send garbage.
 */
export async function startFaultServer({ record = true }: { record?: boolean } = {}): Promise<FaultServer> {
    let handler: FaultHandler = (_req, res) => res.writeHead(500).end();
    let received = 0;
    let inFlight = 0;
    const sockets = new Set<Socket>();
    const waiters: { n: number; resolve: () => void }[] = [];
    const requests: RecordedRequest[] = [];

    const server = createServer((req, res) => {
        received++;
        const entry: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: "" };
        if (record) {
            requests.push(entry);
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", () => (entry.body = Buffer.concat(chunks).toString("utf8")));
        } else req.resume();
        inFlight++;
        let settled = false;
        const settle = () => {
            if (!settled) inFlight--;
            settled = true;
        };
        res.on("finish", settle);
        res.on("close", settle);
        handler(req, res, received);
        for (const waiter of waiters.filter((w) => w.n <= received)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
        }
    });
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    server.keepAliveTimeout = 200;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        count: () => received,
        inFlight: () => inFlight,
        openSockets: () => sockets.size,
        waitForRequest: (
            n,
        ) => (received >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
        handle: (next) => {
            handler = next;
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

/** Replies, as handlers. */
export const reply = {
    json: (status: number, body: unknown, headers: Record<string, string> = {}): FaultHandler => (_req, res) =>
        res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body)),
    raw: (status: number, contentType: string, body: string, headers: Record<string, string> = {}): FaultHandler =>
    (_req, res) => res.writeHead(status, { "Content-Type": contentType, ...headers }).end(body),
    /** Never answers; the client must give up. */
    stall: (): FaultHandler => () => {},
    /** Sends headers and half a body, then kills the connection. */
    resetMidBody: (): FaultHandler => (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
        res.write('{"joinRequests": [');
        setImmediate(() => res.socket?.destroy());
    },
    /** Kills the connection before any response. */
    hangUp: (): FaultHandler => (req) => req.socket.destroy(),
    /** Streams `bytes` of JSON-ish text as fast as the client reads it. */
    huge: (bytes: number): FaultHandler => (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, "x");
        let sent = 0;
        const pump = () => {
            while (sent < bytes) {
                sent += chunk.length;
                if (!res.write(chunk)) return void res.once("drain", pump);
            }
            res.end();
        };
        res.on("close", () => (sent = bytes));
        pump();
    },
};
