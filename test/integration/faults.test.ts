import { getEventListeners } from "node:events";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAmityClient, type AmityClientOptions } from "../../src/amity.js";
import {
    createApiClient,
    callOperation,
    MAX_RAW_TEXT,
    type LogEvent,
    type OperationSpec,
} from "../../src/runtime/index.js";
import { createSonoranCadClient } from "../../src/sonoran-cad.js";
import { renderings } from "../support/fixtures.js";
import { reply, startFaultServer, type FaultServer } from "../support/fault-server.js";

const accessToken = "tok-SECRET-b7e1c9";
const ok = { joinRequests: [{ status: "approved" }], users: [], files: [] };

let server: FaultServer;
/** A port that was just listening and is now closed: connecting to it is refused at once. */
let closedPort: number;
beforeAll(async () => {
    server = await startFaultServer();
    const probe = await startFaultServer();
    closedPort = Number(new URL(probe.url).port);
    await probe.close();
});
afterAll(() => server.close());
afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
});

function amity(options: Partial<AmityClientOptions> = {}) {
    const events: LogEvent[] = [];
    const client = createAmityClient({
        region: "us",
        accessToken,
        baseUrl: server.url,
        logger: (e) => events.push(e),
        ...options,
    });
    return { client, events };
}

/** Waits (on real time) until the server has seen n requests since `from`. */
const requestsSince = (from: number, n: number) => server.waitForRequest(from + n);

describe("timeouts and abort", () => {
    it("resolves a stalled call to a timeout error and releases the connection", async () => {
        server.handle(reply.stall());
        const { client } = amity({ timeoutMs: 150, retry: false });
        const { data, error, response } = await client.joinCommunity({ communityId: "c" });
        expect(data).toBeUndefined();
        expect(response).toBeUndefined();
        expect(error).toEqual({ kind: "timeout", message: "Request timed out after 150 ms", timeoutMs: 150 });
        await vi.waitFor(() => expect(server.inFlight()).toBe(0));
    });

    it("resolves to aborted when the caller's signal fires mid-request, and releases the connection", async () => {
        server.handle(reply.stall());
        const { client } = amity({ retry: false });
        const controller = new AbortController();
        const before = server.count();
        const call = client.joinCommunity({ communityId: "c" }, { signal: controller.signal });
        await requestsSince(before, 1);
        controller.abort();
        expect((await call).error).toEqual({ kind: "aborted", message: "The call was aborted by its signal" });
        await vi.waitFor(() => expect(server.inFlight()).toBe(0));
    });

    it("sends nothing when the signal is already aborted", async () => {
        const before = server.count();
        const { client } = amity();
        const { error } = await client.joinCommunity({ communityId: "c" }, { signal: AbortSignal.abort() });
        expect(error?.kind).toBe("aborted");
        expect(server.count()).toBe(before);
    });

    it("lets a call override the client's timeout", async () => {
        server.handle(reply.stall());
        const { client } = amity({ timeoutMs: 60_000, retry: false });
        const { error } = await client.joinCommunity({ communityId: "c" }, { timeoutMs: 50 });
        expect(error).toMatchObject({ kind: "timeout", timeoutMs: 50 });
    });
});

describe("network failures", () => {
    it("reports a refused connection with its cause", async () => {
        const { client } = createRefusingClient();
        const { error } = await client.joinCommunity({ communityId: "c" });
        expect(error).toMatchObject({ kind: "network", cause: { code: "ECONNREFUSED" } });
    });

    it("reports a connection reset mid-body as a network error, not a thrown SyntaxError", async () => {
        server.handle(reply.resetMidBody());
        const { client } = amity({ retry: false });
        const { data, error } = await client.joinCommunity({ communityId: "c" });
        expect(data).toBeUndefined();
        expect(error?.kind).toBe("network");
    });

    it("reports a DNS failure as a network error with its code", async () => {
        // Tests may not send DNS queries, so this fetch fails the way Node's fetch does
        // when getaddrinfo answers ENOTFOUND: TypeError("fetch failed") caused by it.
        const dnsFailure = Object.assign(new Error("getaddrinfo ENOTFOUND api.invalid"), { code: "ENOTFOUND" });
        const { client } = amity({
            retry: false,
            fetch: async () => Promise.reject(new TypeError("fetch failed", { cause: dnsFailure })),
        });
        const { error } = await client.joinCommunity({ communityId: "c" });
        expect(error).toEqual({
            kind: "network",
            message: "Request failed: getaddrinfo ENOTFOUND api.invalid",
            cause: { name: "Error", message: "getaddrinfo ENOTFOUND api.invalid", code: "ENOTFOUND" },
        });
    });

    function createRefusingClient() {
        return amity({ baseUrl: `http://127.0.0.1:${closedPort}`, retry: false });
    }
});

// Shown on a GET, which is safe to repeat; a join is not (test/amity.test.ts).
describe("retries", () => {
    it("fails twice with 503, then succeeds on the third attempt with jittered exponential backoff", async () => {
        vi.spyOn(Math, "random").mockReturnValue(0.5); // jitter factor 0.75
        const before = server.count();
        server.handle((req, res, n) =>
            (n - before === 3
                ? reply.json(200, ok)
                : reply.json(503, { status: "error", code: 500000, message: "busy" }))(req, res, n)
        );
        const { client, events } = amity({ retry: { baseDelayMs: 20 } });
        const { data, error } = await client.myJoinRequest({ communityId: "c" });
        expect(error).toBeUndefined();
        expect(data?.body).toEqual(ok);
        expect(server.count() - before).toBe(3);
        expect(
            events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && [e.attempt, e.delayMs, e.reason]),
        ).toEqual([
            [1, 15, "HTTP 503"],
            [2, 30, "HTTP 503"],
        ]);
    });

    it("gives up after maxAttempts and returns the last error", async () => {
        server.handle(reply.json(502, { message: "bad gateway" }));
        const before = server.count();
        const { client } = amity({ retry: { maxAttempts: 4, baseDelayMs: 1 } });
        const { error } = await client.myJoinRequest({ communityId: "c" });
        expect(error).toMatchObject({ kind: "http", status: 502, message: "HTTP 502: bad gateway" });
        expect(server.count() - before).toBe(4);
    });

    it("does not retry statuses that mean the request is wrong", async () => {
        server.handle(reply.json(404, { status: "error", code: 400400, message: "no such community" }));
        const before = server.count();
        const { client } = amity({ retry: { baseDelayMs: 1 } });
        expect((await client.myJoinRequest({ communityId: "c" })).error).toMatchObject({ kind: "http", code: 400400 });
        expect(server.count() - before).toBe(1);
    });

    it("retries network errors", async () => {
        const before = server.count();
        server.handle((req, res, n) => (n - before <= 2 ? reply.hangUp() : reply.json(200, ok))(req, res, n));
        const { client } = amity({ retry: { baseDelayMs: 1 } });
        expect((await client.myJoinRequest({ communityId: "c" })).data?.body).toEqual(ok);
        expect(server.count() - before).toBe(3);
    });

    it("never retries an operation the spec does not mark safe to repeat", async () => {
        server.handle(reply.json(503, {}));
        const before = server.count();
        const client = createApiClient<any>({ baseUrl: server.url, retry: { baseDelayMs: 1 } });
        const spec: OperationSpec = { method: "post", path: "/orders", errors: [], idempotent: false, responses: {} };
        const { error } = await callOperation(client, spec, undefined);
        expect(error).toMatchObject({ kind: "http", status: 503 });
        expect(server.count() - before).toBe(1);
    });

    describe("Retry-After (fake timers)", () => {
        // An HTTP-date is absolute: by the time the client reads it, the (fake) clock has
        // moved on a little while the response travelled, so the wait is up to 3 s.
        it.each([
            ["delta-seconds", () => "2", [2000, 2000]],
            ["an HTTP-date", () => "Thu, 01 Jan 2026 00:00:03 GMT", [2800, 3000]],
        ])("waits what a 429's Retry-After in %s asks, then succeeds", async (_form, header, [min, max]) => {
            vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: new Date("2026-01-01T00:00:00Z") });
            const before = server.count();
            server.handle((req, res, n) =>
                // A gateway's 429: Amity's own 400311 means "do not repeat this", not "wait".
                (n - before === 1
                    ? reply.json(429, { message: "slow down" }, { "Retry-After": header() })
                    : reply.json(200, ok))(req, res, n)
            );
            const { client, events } = amity();
            const call = client.myJoinRequest({ communityId: "c" });
            await vi.waitFor(() => expect(events.some((e) => e.type === "retry")).toBe(true));
            const retry = events.find((e) => e.type === "retry");
            expect(retry).toMatchObject({ reason: "HTTP 429" });
            const delayMs = retry?.type === "retry" ? retry.delayMs : -1;
            expect(delayMs).toBeGreaterThanOrEqual(min!);
            expect(delayMs).toBeLessThanOrEqual(max!);
            expect(server.count() - before).toBe(1);

            await vi.advanceTimersByTimeAsync(delayMs - 1);
            expect(server.count() - before).toBe(1); // not a millisecond early
            await vi.advanceTimersByTimeAsync(1);
            const { data } = await call;
            expect(data?.body).toEqual(ok);
            expect(server.count() - before).toBe(2);
        });

        it("does not wait past the cap: a long Retry-After ends the call as rate-limited", async () => {
            server.handle(
                reply.json(429, { status: "error", code: 400311, message: "slow down" }, { "Retry-After": "3600" }),
            );
            const before = server.count();
            const { client } = amity({ retry: { maxRetryAfterMs: 60_000 } });
            const { error } = await client.myJoinRequest({ communityId: "c" });
            expect(error).toMatchObject({ kind: "rate-limited", status: 429, code: 400311, retryAfterMs: 3_600_000 });
            expect(server.count() - before).toBe(1);
        });

        it("aborts during the backoff wait", async () => {
            server.handle(reply.json(503, {}, { "Retry-After": "30" }));
            const controller = new AbortController();
            const { client, events } = amity();
            const call = client.myJoinRequest({ communityId: "c" }, { signal: controller.signal });
            await vi.waitFor(() => expect(events.some((e) => e.type === "retry")).toBe(true));
            controller.abort();
            expect((await call).error?.kind).toBe("aborted");
        });
    });
});

describe("client-side rate limit from the spec (Sonoran: 1 per second sustained, bursts of 3, one in flight)", () => {
    it("lets a burst of 3 through one at a time, then queues calls one per second, per community", async () => {
        vi.useFakeTimers({
            toFake: ["setTimeout", "clearTimeout", "Date", "performance"],
            now: new Date("2026-01-01T00:00:00Z"),
        });
        server.handle((_req, res) => res.writeHead(200).end());
        const events: LogEvent[] = [];
        const credentials = {
            communityId: "c",
            apiKey: "key-RL",
            internalKey: "ik-RL",
            baseUrl: server.url,
            retry: false as const,
        };
        const cad = createSonoranCadClient({ ...credentials, logger: (e) => events.push(e) });
        const other = createSonoranCadClient({
            ...credentials,
            communityId: "another-community",
            apiKey: "another-key",
        });
        const before = server.count();

        const calls = [1, 2, 3, 4, 5].map(() => cad.joinCommunity({ accounts: "a" }));
        const unrelated = other.joinCommunity({ accounts: "a" });
        await requestsSince(before, 4);
        await vi.advanceTimersByTimeAsync(0);
        expect(server.count() - before).toBe(4); // the burst of 3, and the other community's

        await vi.advanceTimersByTimeAsync(1000);
        await requestsSince(before, 5);
        expect(server.count() - before).toBe(5);
        await vi.advanceTimersByTimeAsync(1000);
        await requestsSince(before, 6);

        for (const result of [...(await Promise.all(calls)), await unrelated]) expect(result.error).toBeUndefined();
        expect(
            events.filter((e) => e.type === "rate-limit-wait").map((e) => e.type === "rate-limit-wait" && e.waitedMs),
        ).toEqual([1000, 2000]);
    });
});

describe("bodies the spec does not promise", () => {
    it.each([
        [
            "malformed JSON",
            reply.raw(200, "application/json", '{"joinRequests": [}'),
            /the body is not valid JSON/,
            '{"joinRequests": [}',
        ],
        [
            "an HTML page from a proxy",
            reply.raw(200, "text/html", "<html>Proxy login</html>"),
            /expected JSON, got text\/html/,
            "<html>Proxy login</html>",
        ],
        [
            "an empty body with a JSON content type",
            reply.raw(200, "application/json", ""),
            /the body is empty; the spec promises JSON/,
            "",
        ],
    ])("turns %s on a 2xx into invalid-response with the raw text", async (_name, handler, message, raw) => {
        server.handle(handler);
        const { client } = amity({ retry: false });
        const { data, error } = await client.joinCommunity({ communityId: "c" });
        expect(data).toBeUndefined();
        expect(error).toMatchObject({ kind: "invalid-response", status: 200, body: raw, truncated: false });
        expect(error?.message).toMatch(message);
    });

    it("stops reading a huge body at maxBodyBytes and keeps the first MAX_RAW_TEXT characters", async () => {
        server.handle(reply.huge(64 * 1024 * 1024));
        const { client } = amity({ retry: false, maxBodyBytes: 256 * 1024 });
        const { error } = await client.joinCommunity({ communityId: "c" });
        expect(error).toMatchObject({
            kind: "invalid-response",
            status: 200,
            truncated: true,
            message: "HTTP 200: the body is larger than 262144 bytes; reading stopped",
        });
        expect(error?.kind === "invalid-response" && error.body.length).toBe(MAX_RAW_TEXT);
        await vi.waitFor(() => expect(server.inFlight()).toBe(0)); // the download was cut off
    });

    it("keeps an HTML error page on a status the spec says nothing about as the http error's body", async () => {
        server.handle(reply.raw(502, "text/html", "<h1>oops</h1>"));
        const { client } = amity({ retry: false });
        expect((await client.joinCommunity({ communityId: "c" })).error).toMatchObject({
            kind: "http",
            status: 502,
            code: undefined,
            body: "<h1>oops</h1>",
        });
    });

    it("turns an HTML page on a status the spec declares JSON for into invalid-response with the text", async () => {
        server.handle(reply.raw(500, "text/html", "<h1>oops</h1>"));
        const { client } = amity({ retry: false });
        expect((await client.joinCommunity({ communityId: "c" })).error).toEqual({
            kind: "invalid-response",
            status: 500,
            message: "HTTP 500: expected application/json, got text/html",
            body: "<h1>oops</h1>",
            truncated: false,
        });
    });
});

describe("redaction", () => {
    it("logs requests with credentials masked and never a secret, even when the server echoes them", async () => {
        server.handle((req, res) =>
            reply.json(401, { status: "error", code: 400100, message: `bad ${req.headers.authorization}` })(req, res, 0)
        );
        const { client, events } = amity({ retry: false });
        const { error } = await client.joinCommunity({ communityId: "c" });
        const request = events.find((e) => e.type === "request");
        expect(request).toMatchObject({ method: "POST", headers: { authorization: "Bearer [REDACTED]" } });
        for (const text of [...renderings(error), ...events.flatMap(renderings)]) {
            expect(text).not.toContain(accessToken);
        }
        expect(error?.message).toBe("HTTP 401: bad Bearer [REDACTED]");
    });
});

describe("soak", () => {
    it(
        "2,000 calls against random faults: every call resolves, typed, with no leak of secrets, sockets or listeners",
        async () => {
            const unhandled: unknown[] = [];
            const onUnhandled = (reason: unknown) => unhandled.push(reason);
            process.on("unhandledRejection", onUnhandled);

            let seed = 42;
            const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
            const faults = [
                reply.json(200, ok),
                reply.json(200, ok),
                reply.json(503, { status: "error", code: 500000, message: `echo ${accessToken}` }),
                reply.json(429, { status: "error", code: 400311, message: "slow" }, { "Retry-After": "0" }),
                reply.json(403, { status: "error", code: 400304, message: "banned" }),
                reply.raw(200, "application/json", "{broken"),
                reply.raw(502, "text/html", "<html>bad gateway</html>"),
                reply.resetMidBody(),
                reply.hangUp(),
                reply.stall(),
            ];
            server.handle((req, res, n) => faults[Math.floor(random() * faults.length)]!(req, res, n));

            const logLines: string[] = [];
            const { client } = amity({
                timeoutMs: 100,
                retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
                logger: (event) => logLines.push(inspect(event)),
            });
            const shared = new AbortController(); // one long-lived caller signal for every call
            const kinds = new Map<string, number>();
            const allowed = new Set(["ok", "http", "rate-limited", "invalid-response", "network", "timeout"]);
            let next = 0;
            const worker = async () => {
                while (next < 2000) {
                    next++;
                    const result = await client.joinCommunity({ communityId: "c" }, { signal: shared.signal });
                    const kind = result.error?.kind ?? "ok";
                    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
                    if (result.error) {
                        for (const text of renderings(result.error)) {
                            expect(text).not.toContain(accessToken);
                        }
                    }
                }
            };
            await Promise.all(Array.from({ length: 25 }, worker));

            const total = [...kinds.values()].reduce((a, b) => a + b, 0);
            console.log(`soak outcomes: ${JSON.stringify(Object.fromEntries(kinds))}`);
            expect(total).toBe(2000);
            expect([...kinds.keys()].filter((k) => !allowed.has(k))).toEqual([]);
            expect(kinds.get("ok")).toBeGreaterThan(0);
            expect(logLines.filter((line) => line.includes(accessToken))).toEqual([]);
            expect(getEventListeners(shared.signal, "abort")).toHaveLength(0);
            await vi.waitFor(() => expect(server.inFlight()).toBe(0), { timeout: 5000 });
            process.off("unhandledRejection", onUnhandled);
            expect(unhandled).toEqual([]);
        },
        120_000,
    );
});
