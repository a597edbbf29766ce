// The soak, run as its own Node process (bundled by test/e2e/faults-soak.test.ts) so that it can
// force garbage collection and prove it exits by itself: nothing here calls process.exit.
// 20,000 calls, 100 in flight, against loopback servers that mix every fault the runtime
// defends against. Deterministic: one fixed seed drives both the server and the calls.
import { getEventListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { createAmityClient } from "../../src/amity.js";
import { callOperation, createApiClient, type ApiError, type OperationSpec } from "../../src/runtime/index.js";

const TOTAL = Number(process.env.SOAK_CALLS ?? 20_000);
const IN_FLIGHT = 100;
const PHASES = 4;
// Random-looking, so that no 4-character window of one occurs in ordinary text.
const accessToken = "Zq8TxW3pLm2VkR7dQj5N";
const apiKey = "Hc4YuE9bGf1XoJ6tMw";
const session = "Pv3KsD8nBa5ZeL2yUq";
const secrets = [accessToken, apiKey, session];
const fragments = secrets.flatMap((s) => Array.from({ length: s.length - 3 }, (_, i) => s.slice(i, i + 4)));

/** A fixed-seed generator (mulberry32): the same run every time. */
function seeded(seed: number) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const serverRandom = seeded(20_261_123);
const clientRandom = seeded(11);

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const ok = { joinRequests: [{ status: "approved", requestorInternalId: "u1" }] };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) =>
    res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, " "));
let elsewhereUrl = "";

// [name, weight, handler]: mostly answers, every fault often enough to be exercised
// thousands of times, stalls rarer (each one holds a call until its timeout).
const faults: [string, number, Handler][] = [
    ["ok", 40, (req, res, body) => json(200, req.url?.includes("/items") ? { items: [] } : ok)(req, res, body)],
    [
        "503 echoing the token",
        5,
        (req, res) =>
            json(503, { status: "error", code: 500000, message: `echo ${req.headers.authorization}` })(req, res, ""),
    ],
    ["429", 5, json(429, { status: "error", code: 400311, message: "slow" }, { "Retry-After": "0" })],
    ["403", 5, json(403, { status: "error", code: 400304, message: "banned" })],
    ["broken JSON", 5, (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{broken")],
    ["502 html", 5, (_req, res) => res.writeHead(502, { "Content-Type": "text/html" }).end("<html>bad gateway</html>")],
    ["reset mid-body", 5, (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
        res.write('{"joinRequests": [');
        setImmediate(() => res.socket?.destroy());
    }],
    ["hang up", 5, (req) => req.socket.destroy()],
    ["stall", 1, () => {}],
    ["cross-origin 307", 5, (_req, res) => res.writeHead(307, { Location: `${elsewhereUrl}/steal` }).end()],
    [
        "same-origin 302",
        5,
        (req, res) =>
            res.writeHead(302, { Location: req.url?.includes("/items") ? "/items?moved=1" : "/welcome" }).end(),
    ],
    [
        "gzip bomb",
        5,
        (_req, res) =>
            res.writeHead(200, {
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Content-Length": String(bomb.length),
            }).end(bomb),
    ],
    [
        "echo of the request",
        5,
        (req, res, body) =>
            res.writeHead(400, { "Content-Type": "text/plain" }).end(
                `bad: ${req.url} ${req.headers.authorization} ${req.headers.cookie} ${body}`,
            ),
    ],
    [
        "secret across the 64 KiB cut",
        5,
        (_req, res) =>
            res.writeHead(200, { "Content-Type": "text/html" }).end(
                `${"x".repeat(65_536 - 9)}${accessToken}${"y".repeat(64)}`,
            ),
    ],
];

const totalWeight = faults.reduce((sum, [, weight]) => sum + weight, 0);
function pickFault(random: number): (typeof faults)[number] {
    let at = random * totalWeight;
    for (const fault of faults) if ((at -= fault[1]) < 0) return fault;
    return faults[0]!;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    const server = createServer(handler);
    server.keepAliveTimeout = 200;
    server.maxConnections = 10_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function gc() {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (!collect) throw new Error("run with --expose-gc");
    collect();
    collect();
}

async function main() {
    const faultCounts: Record<string, number> = {};
    let stolen = 0;
    const elsewhere = await listen((req, res) => {
        stolen++;
        req.resume();
        res.writeHead(200).end();
    });
    elsewhereUrl = elsewhere.url;
    const origin = await listen((req, res) => {
        const [name, , handler] = pickFault(serverRandom());
        faultCounts[name] = (faultCounts[name] ?? 0) + 1;
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => handler(req, res, Buffer.concat(chunks).toString("utf8")));
    });

    let leaks = 0;
    const leakSamples: string[] = [];
    const check = (text: string) => {
        for (const fragment of fragments) {
            if (text.includes(fragment)) {
                leaks++;
                if (leakSamples.length < 3) leakSamples.push(text.slice(0, 300));
                return;
            }
        }
    };
    let logEvents = 0;
    const logger = (event: unknown) => {
        logEvents++;
        check(JSON.stringify(event));
    };
    const common = {
        baseUrl: origin.url,
        timeoutMs: 500,
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
        maxBodyBytes: 256 * 1024,
        logger,
    };
    const amity = createAmityClient({ region: "us", accessToken, ...common });
    const generic = createApiClient<any>({
        ...common,
        secrets: [apiKey, session, accessToken],
        headers: { Authorization: `Bearer ${accessToken}` },
    });
    const listItems: OperationSpec = {
        method: "get",
        path: "/items",
        parameters: [
            { name: "api_key", in: "query", style: "form", explode: true, required: true, type: "primitive" },
            { name: "session", in: "cookie", style: "form", explode: true, required: false, type: "primitive" },
            { name: "X-Trace", in: "header", style: "simple", explode: false, required: false, type: "primitive" },
        ],
        responses: { "200": ["application/json"], "400": ["text/plain"] },
        errors: [],
        idempotent: true,
    };

    const shared = new AbortController(); // one long-lived signal for every call
    const outcomes: Record<string, number> = {};
    const unhandled: unknown[] = [];
    process.on("unhandledRejection", (reason) => unhandled.push(reason));

    const call = (): Promise<{ error: ApiError<unknown> | undefined }> => {
        const pick = clientRandom();
        const options = { signal: shared.signal };
        if (pick < 0.4) return amity.joinCommunity({ communityId: "c-1" }, options);
        if (pick < 0.6) return amity.myJoinRequest({ communityId: "c 2/x" }, options);
        if (pick < 0.85) {
            return callOperation(
                generic,
                listItems,
                { params: { query: { api_key: apiKey }, cookie: { session } } } as never,
                options,
            );
        }
        // What the client must refuse without sending anything.
        if (pick < 0.9) return amity.joinCommunity({ communityId: ".." }, options);
        if (pick < 0.95) {
            return callOperation(
                generic,
                listItems,
                { params: { query: { api_key: apiKey }, header: { "X-Trace": `a\r\nX-Key: ${apiKey}` } } } as never,
                options,
            );
        }
        return callOperation(
            generic,
            listItems,
            { params: { query: { api_key: apiKey } }, signal: shared.signal } as never,
            options,
        );
    };

    const heap: number[] = [];
    const perPhase = Math.ceil(TOTAL / PHASES);
    let started = 0;
    let done = 0;
    const began = performance.now();
    for (let phase = 0; phase < PHASES; phase++) {
        const limit = Math.min(TOTAL, (phase + 1) * perPhase);
        const worker = async () => {
            while (started < limit) {
                started++;
                const result = await call();
                done++;
                const kind = result.error?.kind ?? "ok";
                outcomes[kind] = (outcomes[kind] ?? 0) + 1;
                if (result.error) {
                    check(JSON.stringify(result.error));
                    check(inspect(result.error, { depth: Infinity }));
                }
            }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
        gc();
        heap.push(process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - began) / 1000;

    await new Promise<void>((resolve) => origin.server.close(() => resolve()));
    origin.server.closeAllConnections();
    elsewhere.server.closeAllConnections();
    await new Promise<void>((resolve) => elsewhere.server.close(() => resolve()));
    // Let the client side of closed sockets finish closing before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const resources: Record<string, number> = {};
    for (const name of process.getActiveResourcesInfo()) {
        if (name !== "TTYWrap" && name !== "PipeWrap") resources[name] = (resources[name] ?? 0) + 1;
    }

    console.log(
        JSON.stringify({
            calls: done,
            outcomes,
            faults: faultCounts,
            leaks,
            leakSamples,
            logEvents,
            stolen,
            unhandled: unhandled.length,
            heapMiB: heap.map((h) => Math.round((h / 1024 / 1024) * 10) / 10),
            listeners: getEventListeners(shared.signal, "abort").length,
            resources,
            seconds: Math.round(seconds * 10) / 10,
        }),
    );
}

void main();
