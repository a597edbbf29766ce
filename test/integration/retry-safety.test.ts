// Retries that cannot double an action: an operation that is not safe to repeat (a join,
// a leave) is sent again only when the request provably never reached the server.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAmityClient, type AmityClientOptions } from "../../src/amity.js";
import { createApiClient, callOperation, type LogEvent, type OperationSpec } from "../../src/runtime/index.js";
import { createSonoranCadClient } from "../../src/sonoran-cad.js";
import { reply, startFaultServer, type FaultServer } from "../support/fault-server.js";

const accessToken = "tok-RETRY-SAFETY-1";
const approved = { joinRequests: [{ status: "approved" }], users: [], files: [] };

let server: FaultServer;
beforeAll(async () => {
    server = await startFaultServer();
});
afterAll(() => server.close());

/** A port that was just listening and is now closed: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
    const probe = await startFaultServer();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    return port;
}

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

describe("an operation that is not safe to repeat", () => {
    it("is retried after a refused connection, and the join then reaches the server once", async () => {
        const port = await closedPort();
        let joins = 0;
        let late: Server | undefined;
        const events: LogEvent[] = [];
        const client = createAmityClient({
            region: "us",
            accessToken,
            baseUrl: `http://127.0.0.1:${port}`,
            retry: { baseDelayMs: 300, maxAttempts: 3 },
            logger: (event) => {
                events.push(event);
                // The server comes up during the backoff after the first, refused, attempt.
                if (event.type === "retry" && !late) {
                    late = createServer((_req, res) => {
                        joins++;
                        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(approved));
                    }).listen(port, "127.0.0.1");
                }
            },
        });
        try {
            const { data, error } = await client.joinCommunity({ communityId: "c" });
            expect(error).toBeUndefined();
            expect(data?.status).toBe("joined");
            expect(joins).toBe(1);
            expect(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.reason)).toEqual([
                "network",
            ]);
        } finally {
            await new Promise((resolve) => late?.close(resolve) ?? resolve(undefined));
        }
    });

    it("is retried after a DNS failure, up to maxAttempts", async () => {
        // Tests send no DNS queries: this fetch fails the way Node's does when getaddrinfo answers ENOTFOUND.
        let attempts = 0;
        const dnsFailure = Object.assign(new Error("getaddrinfo ENOTFOUND api.invalid"), { code: "ENOTFOUND" });
        const { client } = amity({
            retry: { baseDelayMs: 1, maxAttempts: 3 },
            fetch: async () => {
                attempts++;
                throw new TypeError("fetch failed", { cause: dnsFailure });
            },
        });
        const { error } = await client.joinCommunity({ communityId: "c" });
        expect(error).toMatchObject({ kind: "network", cause: { code: "ENOTFOUND" } });
        expect(attempts).toBe(3);
    });

    it.each(
        [
            ["a timeout", reply.stall(), "timeout"],
            ["a connection reset before the answer", reply.hangUp(), "network"],
            ["a connection reset mid-response", reply.resetMidBody(), "network"],
            ["a 502", reply.json(502, { message: "bad gateway" }), "http"],
            ["a 503 with Retry-After", reply.json(503, { message: "busy" }, { "Retry-After": "0" }), "http"],
            [
                "a 429 with Retry-After",
                reply.json(429, { message: "slow down" }, { "Retry-After": "0" }),
                "rate-limited",
            ],
        ] as const,
    )("is not retried after %s", async (_name, handler, kind) => {
        server.handle(handler);
        const before = server.count();
        const { client, events } = amity({ timeoutMs: 300, retry: { baseDelayMs: 1, maxAttempts: 5 } });
        const { error } = await client.joinCommunity({ communityId: "c" });
        expect(error?.kind).toBe(kind);
        expect(server.count() - before).toBe(1);
        expect(events.filter((e) => e.type === "retry")).toEqual([]);
    });

    it("is not retried by Sonoran's client after a timeout either (a join or leave sent twice could act twice)", async () => {
        server.handle(reply.stall());
        const before = server.count();
        const cad = createSonoranCadClient({
            communityId: "c",
            apiKey: "k-RETRY",
            internalKey: "ik-RETRY",
            baseUrl: server.url,
            rateLimit: false,
            timeoutMs: 200,
            retry: { baseDelayMs: 1 },
        });
        expect((await cad.leaveCommunity({ accounts: "a" })).error?.kind).toBe("timeout");
        expect(server.count() - before).toBe(1);
    });
});

describe("an operation that is safe to repeat", () => {
    it("is retried after a gateway's 429", async () => {
        const before = server.count();
        server.handle((req, res, n) =>
            (n - before === 1
                ? reply.json(429, { message: "slow down" }, { "Retry-After": "0" })
                : reply.json(200, approved))(req, res, n)
        );
        const { client } = amity({ retry: { baseDelayMs: 1 } });
        expect((await client.myJoinRequest({ communityId: "c" })).error).toBeUndefined();
        expect(server.count() - before).toBe(2);
    });

    it("is never retried on Amity's 400311: the repetition limiter asks for no repeat", async () => {
        server.handle(
            reply.json(429, { status: "error", code: 400311, message: "Too many repeated requests." }, {
                "Retry-After": "0",
            }),
        );
        const before = server.count();
        const { client, events } = amity({ retry: { baseDelayMs: 1, maxAttempts: 5 } });
        const { error } = await client.myJoinRequest({ communityId: "c" });
        expect(error).toMatchObject({ kind: "rate-limited", code: 400311 });
        expect(server.count() - before).toBe(1);
        expect(events.filter((e) => e.type === "retry")).toEqual([]);
    });

    it("keeps the 400311 veto when a call brings its own isFinal", async () => {
        server.handle(reply.json(429, { status: "error", code: 400311, message: "again" }, { "Retry-After": "0" }));
        const before = server.count();
        const { client } = amity({ retry: { baseDelayMs: 1 } });
        await client.myJoinRequest({ communityId: "c" }, { retry: { isFinal: () => false, maxAttempts: 4 } });
        expect(server.count() - before).toBe(1);
    });

    it("lets a generic client veto retries of chosen errors with retry.isFinal", async () => {
        server.handle(reply.json(503, { code: "MAINTENANCE" }));
        const before = server.count();
        const client = createApiClient<any>({
            baseUrl: server.url,
            retry: {
                baseDelayMs: 1,
                isFinal: (error) => error.kind === "http" && (error.body as { code?: string }).code === "MAINTENANCE",
            },
        });
        const spec: OperationSpec = { method: "get", path: "/status", errors: [], idempotent: true, responses: {} };
        expect((await callOperation(client, spec, undefined)).error).toMatchObject({ kind: "http", status: 503 });
        expect(server.count() - before).toBe(1);
    });
});
