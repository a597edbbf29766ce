// The runtime's promise under hostile servers and hostile input: redirects, decompression
// bombs, parameters, the per-call argument, redaction at every cut, options and limits.
// Every test talks HTTP to real servers on 127.0.0.1.
import { getEventListeners } from "node:events";
import { createBrotliCompress, createDeflate, createGzip, constants as zlib } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAmityClient } from "../../src/amity.js";
import {
    callOperation,
    createApiClient,
    MAX_RAW_TEXT,
    REDACTED,
    type ClientOptions,
    type LogEvent,
    type OperationSpec,
    type ParameterSpec,
} from "../../src/runtime/index.js";
import { RateLimiter } from "../../src/runtime/rate-limit.js";
import { setLongTimeout } from "../../src/runtime/timing.js";
import { createSonoranCadClient } from "../../src/sonoran-cad.js";
import { reply, startFaultServer, type FaultServer } from "../support/fault-server.js";
import { renderings } from "../support/fixtures.js";

const accessToken = "tok-SECRET-b7e1c9d4";
const apiKey = "sk-live-API-KEY-9f8e7d";
const internalKey = "ik-INTERNAL-5c4b3a";
const ok = { joinRequests: [{ status: "approved" }] };

let origin: FaultServer;
let elsewhere: FaultServer;
beforeAll(async () => {
    [origin, elsewhere] = await Promise.all([startFaultServer(), startFaultServer()]);
});
afterAll(() => Promise.all([origin.close(), elsewhere.close()]));
afterEach(() => {
    vi.useRealTimers();
    origin.requests.length = 0;
    elsewhere.requests.length = 0;
});

const amity = (options: Record<string, unknown> = {}) =>
    createAmityClient({ region: "us", accessToken, baseUrl: origin.url, retry: false, ...options });
const cad = (options: Record<string, unknown> = {}) =>
    createSonoranCadClient({
        communityId: "c-1",
        apiKey,
        internalKey,
        baseUrl: origin.url,
        retry: false,
        rateLimit: false,
        ...options,
    });

/** A generic client and operation for what the two shipped specs do not have (GETs, every parameter style). */
function generic(options: ClientOptions = {}) {
    return createApiClient<any>({
        baseUrl: origin.url,
        retry: false,
        secrets: [accessToken],
        headers: { Authorization: `Bearer ${accessToken}` },
        ...options,
    });
}
const getItems: OperationSpec = {
    method: "get",
    path: "/items",
    responses: { "200": ["application/json"] },
    errors: [],
    idempotent: true,
};

/** Every 4-character window of a secret: none may survive anywhere. */
const fragments = (secret: string) => Array.from({ length: secret.length - 3 }, (_, i) => secret.slice(i, i + 4));
function expectNoSecret(value: unknown, secrets: readonly string[]) {
    for (const text of renderings(value)) {
        for (const secret of secrets) for (const fragment of fragments(secret)) expect(text).not.toContain(fragment);
    }
}

describe("redirects are joinkit's, never fetch's", () => {
    it.each([307, 308])(
        "a %d to another origin ends the call naming the target; the body with its keys never goes there",
        async (status) => {
            const target = `${elsewhere.url}/sso/community`;
            origin.handle((_req, res) => res.writeHead(status, { Location: target }).end());
            const { data, error, response } = await cad().joinCommunity({ accounts: "a" });
            expect(data).toBeUndefined();
            expect(error).toEqual({
                kind: "redirect",
                status,
                location: target,
                reason: "cross-origin",
                message:
                    `HTTP ${status} redirected to another origin (${target}); not followed, so the call's credentials were not sent there`,
            });
            expect(response?.status).toBe(status);
            expect(elsewhere.requests).toEqual([]);
            expectNoSecret(error, [apiKey, internalKey]);
        },
    );

    it("a redirect from https to http is refused even to the same host", async () => {
        // The client believes it talks https; the test's fetch carries it over plain http to
        // the loopback server, which answers with a downgrade.
        const httpsBase = origin.url.replace("http:", "https:");
        origin.handle((_req, res) => res.writeHead(308, { Location: `${origin.url}/sso/community` }).end());
        const client = cad({
            baseUrl: httpsBase,
            fetch: (request: Request) =>
                fetch(
                    request.url.replace("https:", "http:"),
                    {
                        method: request.method,
                        headers: request.headers,
                        body: request.body,
                        redirect: "manual",
                        duplex: "half",
                    } as RequestInit,
                ),
        });
        const { error } = await client.joinCommunity({ accounts: "a" });
        expect(error).toMatchObject({
            kind: "redirect",
            reason: "insecure",
            status: 308,
            location: `${origin.url}/sso/community`,
        });
        expect(origin.requests).toHaveLength(1);
    });

    it("a bearer-token GET redirected to another origin is refused, and the token is not sent there", async () => {
        origin.handle((_req, res) => res.writeHead(302, { Location: `${elsewhere.url}/items?from=redirect` }).end());
        const { error } = await callOperation(generic(), getItems, undefined);
        expect(error).toMatchObject({
            kind: "redirect",
            reason: "cross-origin",
            location: `${elsewhere.url}/items?from=redirect`,
        });
        expect(elsewhere.requests).toEqual([]);
    });

    it.each([301, 302, 303])("a %d answer to the join POST is never reported as a successful join", async (status) => {
        origin.handle((
            req,
            res,
        ) => (req.method === "POST"
            ? res.writeHead(status, { Location: "/welcome" }).end()
            : reply.json(200, ok)(req, res, 0))
        );
        const { data, error } = await amity().joinCommunity({ communityId: "c" });
        expect(data).toBeUndefined();
        expect(error).toMatchObject({
            kind: "redirect",
            status,
            reason: "method-change",
            location: `${origin.url}/welcome`,
        });
        expect(origin.requests.map((r) => r.method)).toEqual(["POST"]);
    });

    it("a same-origin 307 to the POST is followed with the same method, body and credentials", async () => {
        origin.handle((
            req,
            res,
        ) => (req.url === "/sso/community"
            ? res.writeHead(307, { Location: "/v2/sso/community" }).end()
            : res.writeHead(200).end())
        );
        const events: LogEvent[] = [];
        const { error, response } = await cad({ logger: (e: LogEvent) => events.push(e) }).joinCommunity({
            accounts: "a",
        });
        expect(error).toBeUndefined();
        expect(response?.status).toBe(200);
        await vi.waitFor(() => expect(origin.requests[1]?.body).not.toBe(""));
        const [first, second] = origin.requests;
        expect([first!.method, first!.url, second!.method, second!.url]).toEqual([
            "POST",
            "/sso/community",
            "POST",
            "/v2/sso/community",
        ]);
        expect(JSON.parse(second!.body)).toEqual(JSON.parse(first!.body));
        expect(events.find((e) => e.type === "redirect")).toMatchObject({
            from: `${origin.url}/sso/community`,
            to: `${origin.url}/v2/sso/community`,
            status: 307,
        });
    });

    it("same-origin redirects of a GET are followed with the credentials, up to maxRedirects hops", async () => {
        origin.handle((req, res) => {
            const hop = Number(new URL(req.url!, origin.url).searchParams.get("hop") ?? 0);
            if (hop < 2) res.writeHead(302, { Location: `/items?hop=${hop + 1}` }).end();
            else reply.json(200, { items: [] })(req, res, 0);
        });
        const { data, response } = await callOperation(generic(), getItems, undefined);
        expect(data).toEqual({ items: [] });
        expect(response?.url).toBe(`${origin.url}/items?hop=2`);
        expect(origin.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
            ["/items", `Bearer ${accessToken}`],
            ["/items?hop=1", `Bearer ${accessToken}`],
            ["/items?hop=2", `Bearer ${accessToken}`],
        ]);
    });

    it("a redirect loop ends after maxRedirects hops", async () => {
        origin.handle((_req, res) => res.writeHead(302, { Location: "/items" }).end());
        const { error } = await callOperation(generic({ maxRedirects: 3 }), getItems, undefined);
        expect(error).toMatchObject({ kind: "redirect", reason: "too-many", location: `${origin.url}/items` });
        expect(origin.requests).toHaveLength(4);
    });

    it("the raw openapi-fetch client does not follow redirects either", async () => {
        origin.handle((_req, res) => res.writeHead(307, { Location: `${elsewhere.url}/x` }).end());
        const { response } = await amity().raw.POST("/api/v4/communities/{communityId}/join", {
            params: { path: { communityId: "c" } },
        });
        expect(response.status).toBe(307);
        expect(elsewhere.requests).toEqual([]);
    });
});

describe("caps count decoded bytes (decompression bombs)", () => {
    const bombs = {
        gzip: () => createGzip({ level: 9 }),
        deflate: () => createDeflate({ level: 9 }),
        br: () => createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }),
    };
    const compressed = new Map<string, Buffer>();
    /** 256 MiB of JSON-ish text, compressed: a few hundred KiB on the wire. */
    async function bomb(encoding: keyof typeof bombs): Promise<Buffer> {
        if (!compressed.has(encoding)) {
            const stream = bombs[encoding]();
            const chunks: Buffer[] = [];
            stream.on("data", (c: Buffer) => chunks.push(c));
            const done = new Promise((resolve) => stream.on("end", resolve));
            const block = Buffer.alloc(1024 * 1024, " ");
            stream.write('{"joinRequests": "');
            for (let i = 0; i < 256; i++) {
                if (!stream.write(block)) await new Promise((resolve) => stream.once("drain", resolve));
            }
            stream.end('"}');
            await done;
            compressed.set(encoding, Buffer.concat(chunks));
        }
        return compressed.get(encoding)!;
    }

    it.each(Object.keys(bombs) as (keyof typeof bombs)[])(
        "a %s bomb with an honest Content-Length stops at maxBodyBytes: invalid-response, truncated, memory bounded",
        async (encoding) => {
            const payload = await bomb(encoding);
            origin.handle((_req, res) =>
                res.writeHead(200, {
                    "Content-Type": "application/json",
                    "Content-Encoding": encoding,
                    "Content-Length": String(payload.length),
                }).end(payload)
            );
            const before = process.memoryUsage();
            const { data, error } = await amity({ maxBodyBytes: 1024 * 1024 }).joinCommunity({ communityId: "c" });
            const after = process.memoryUsage();
            expect(data).toBeUndefined();
            expect(error).toMatchObject({
                kind: "invalid-response",
                status: 200,
                truncated: true,
                message: "HTTP 200: the body is larger than 1048576 bytes; reading stopped",
            });
            expect(error?.kind === "invalid-response" && error.body.length).toBe(MAX_RAW_TEXT);
            // 256 MiB decoded; what the call held is the 1 MiB it read (plus decoder buffers).
            expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(
                64 * 1024 * 1024,
            );
            await vi.waitFor(() => expect(origin.inFlight()).toBe(0));
        },
        60_000,
    );

    it("an error body is capped the same way", async () => {
        const payload = await bomb("gzip");
        origin.handle((_req, res) =>
            res.writeHead(403, {
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Content-Length": String(payload.length),
            }).end(payload)
        );
        const { error } = await amity({ maxBodyBytes: 64 * 1024 }).joinCommunity({ communityId: "c" });
        expect(error).toMatchObject({ kind: "invalid-response", status: 403, truncated: true });
    });
});

describe("parameters are validated and encoded by the spec", () => {
    const color = { empty: "", string: "blue", array: ["blue", "black", "brown"], object: { R: 100, G: 200, B: 150 } };
    const param = (
        location: ParameterSpec["in"],
        style: ParameterSpec["style"],
        explode: boolean,
        type?: ParameterSpec["type"],
    ): ParameterSpec => ({
        name: "color",
        in: location,
        style,
        explode,
        required: location === "path",
        ...(type ? { type } : {}),
    });
    async function send(spec: Partial<OperationSpec>, init: Record<string, unknown>) {
        origin.handle(reply.json(200, {}));
        const before = origin.requests.length;
        const result = await callOperation(generic(), { ...getItems, ...spec } as OperationSpec, init as never);
        return { result, request: origin.requests[before] };
    }

    // The OpenAPI 3.1 style tables (RFC 6570), with the spec's `color` example.
    it.each(
        [
            ["simple", false, "string", "/p/blue"],
            ["simple", false, "array", "/p/blue,black,brown"],
            ["simple", false, "object", "/p/R,100,G,200,B,150"],
            ["simple", true, "array", "/p/blue,black,brown"],
            ["simple", true, "object", "/p/R=100,G=200,B=150"],
            ["label", false, "string", "/p/.blue"],
            ["label", false, "array", "/p/.blue,black,brown"],
            ["label", false, "object", "/p/.R,100,G,200,B,150"],
            ["label", true, "array", "/p/.blue.black.brown"],
            ["label", true, "object", "/p/.R=100.G=200.B=150"],
            ["matrix", false, "empty", "/p/;color"],
            ["matrix", false, "string", "/p/;color=blue"],
            ["matrix", false, "array", "/p/;color=blue,black,brown"],
            ["matrix", false, "object", "/p/;color=R,100,G,200,B,150"],
            ["matrix", true, "array", "/p/;color=blue;color=black;color=brown"],
            ["matrix", true, "object", "/p/;R=100;G=200;B=150"],
        ] as const,
    )("path, style %s, explode %s, %s value → %s", async (style, explode, kind, expected) => {
        const { result, request } = await send({ path: "/p/{color}", parameters: [param("path", style, explode)] }, {
            params: { path: { color: color[kind] } },
        });
        expect(result.error).toBeUndefined();
        expect(request!.url).toBe(expected);
    });

    it.each(
        [
            ["form", true, "string", "color=blue"],
            ["form", true, "empty", "color="],
            ["form", false, "array", "color=blue,black,brown"],
            ["form", true, "array", "color=blue&color=black&color=brown"],
            ["form", false, "object", "color=R,100,G,200,B,150"],
            ["form", true, "object", "R=100&G=200&B=150"],
            ["spaceDelimited", false, "array", "color=blue%20black%20brown"],
            ["spaceDelimited", false, "object", "color=R%20100%20G%20200%20B%20150"],
            ["pipeDelimited", false, "array", "color=blue|black|brown"],
            ["pipeDelimited", false, "object", "color=R|100|G|200|B|150"],
            ["deepObject", true, "object", "color[R]=100&color[G]=200&color[B]=150"],
        ] as const,
    )("query, style %s, explode %s, %s value → ?%s", async (style, explode, kind, expected) => {
        const { result, request } = await send({ parameters: [param("query", style, explode)] }, {
            params: { query: { color: color[kind] } },
        });
        expect(result.error).toBeUndefined();
        expect(request!.url).toBe(`/items?${expected}`);
    });

    it.each(
        [
            [false, "string", "blue"],
            [false, "array", "blue,black,brown"],
            [false, "object", "R,100,G,200,B,150"],
            [true, "object", "R=100,G=200,B=150"],
        ] as const,
    )("header, style simple, explode %s, %s value → %s", async (explode, kind, expected) => {
        const { request } = await send({ parameters: [param("header", "simple", explode)] }, {
            params: { header: { color: color[kind] } },
        });
        expect(request!.headers.color).toBe(expected);
    });

    it.each(
        [
            [true, "string", "color=blue"],
            [false, "array", "color=blue,black,brown"],
            [true, "array", "color=blue&color=black&color=brown"],
            [false, "object", "color=R,100,G,200,B,150"],
            [true, "object", "R=100&G=200&B=150"],
        ] as const,
    )("cookie, style form, explode %s, %s value → Cookie: %s", async (explode, kind, expected) => {
        const { request } = await send({ parameters: [param("cookie", "form", explode)] }, {
            params: { cookie: { color: color[kind] } },
        });
        expect(request!.headers.cookie).toBe(expected);
    });

    it("sends several cookie parameters in one Cookie header, values percent-encoded", async () => {
        const parameters = [{ ...param("cookie", "form", true), name: "session" }, {
            ...param("cookie", "form", true),
            name: "theme",
        }];
        const { request } = await send({ parameters }, { params: { cookie: { session: "a b;c=d", theme: "dark" } } });
        expect(request!.headers.cookie).toBe("session=a%20b%3Bc%3Dd; theme=dark");
    });

    it("keeps a path value in its one segment, percent-encoding every reserved character", async () => {
        const { request } = await send({
            path: "/p/{color}/x",
            parameters: [param("path", "simple", false, "primitive")],
        }, { params: { path: { color: "../a/b?c#d e*'()!" } } });
        expect(request!.url).toBe("/p/..%2Fa%2Fb%3Fc%23d%20e%2A%27%28%29%21/x");
    });

    it("encodes deepObject keys whole, so a key cannot close its brackets or add a parameter", async () => {
        const { request } = await send(
            { parameters: [param("query", "deepObject", true, "object")] },
            { params: { query: { color: { "R]&admin=1&x[": "1", "#frag": "2&role=admin" } } } },
        );
        expect(request!.url).toBe("/items?color[R%5D%26admin%3D1%26x%5B]=1&color[%23frag]=2%26role%3Dadmin");
        expect([...new URL(request!.url, origin.url).searchParams.keys()]).toEqual([
            "color[R]&admin=1&x[]",
            "color[#frag]",
        ]);
    });

    it.each([
        ["..", "params.path.communityId"],
        [".", "params.path.communityId"],
        ["", "params.path.communityId"],
        [null, "params.path.communityId"],
        [undefined, "params.path.communityId"],
        [{ "../../admin?x=1#": "" }, "params.path.communityId"],
        [["a", "b"], "params.path.communityId"],
        [Number.NaN, "params.path.communityId"],
        ["\ud800", "params.path.communityId"],
    ])(
        "refuses communityId %j before sending anything: invalid-request, no traffic, no retry",
        async (communityId, field) => {
            const before = origin.count();
            const client = amity({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
            const { data, error, response } = await client.joinCommunity({ communityId } as never);
            expect(data).toBeUndefined();
            expect(response).toBeUndefined();
            expect(error).toMatchObject({ kind: "invalid-request", field });
            expect(origin.count()).toBe(before);
        },
    );

    it("refuses %2e%2e and other encodings of a dot segment", async () => {
        const { result, request } = await send({
            path: "/p/{color}",
            parameters: [param("path", "label", false, "primitive")],
        }, { params: { path: { color: "." } } });
        expect(result.error).toMatchObject({ kind: "invalid-request", field: "params.path.color" });
        expect(request).toBeUndefined();
    });

    it.each([
        ["a header parameter", { params: { header: { color: "blue\r\nX-Admin: 1" } } }, "params.header.color"],
        ["an extra header", { headers: { "X-Trace": "a\nb" } }, "init.headers.X-Trace"],
        ["a header name", { headers: { "Bad Name": "x" } }, "init.headers.Bad Name"],
        ["an undeclared query parameter", { params: { query: { admin: "1" } } }, "params.query.admin"],
        ["a parameter location that does not exist", { params: { body: {} } }, "params.body"],
        ["a required query parameter left out", { params: {} }, "params.query.need"],
    ])("refuses %s", async (_name, init, field) => {
        const parameters = [param("header", "simple", false, "primitive"), {
            ...param("query", "form", true, "primitive"),
            name: "need",
            required: true,
        }];
        const { result, request } = await send({ parameters }, init);
        expect(result.error).toMatchObject({ kind: "invalid-request", field });
        expect(request).toBeUndefined();
    });
});

describe("the per-call argument holds only the HTTP request", () => {
    it.each([
        ["signal", AbortSignal.timeout(200), /belongs to the options argument/],
        ["timeoutMs", 200, /belongs to the options argument/],
        ["retry", false, /belongs to the options argument/],
        ["baseUrl", "http://127.0.0.1:9", /a call cannot change where credentials go/],
        ["fetch", globalThis.fetch, /belongs to the client/],
        ["middleware", [], /belongs to the client/],
        ["parseAs", "json", /takes params, body and headers/],
    ])("init.%s is refused at run time, before anything is sent", async (key, value, message) => {
        const before = origin.count();
        const client = generic();
        const { error } = await callOperation(client, getItems, { [key]: value } as never);
        expect(error).toMatchObject({ kind: "invalid-request", field: `init.${key}` });
        expect(error?.message).toMatch(message);
        expect(origin.count()).toBe(before);
    });

    it("refuses what the shipped clients' request objects do not hold", async () => {
        const before = origin.count();
        const joined = await amity().joinCommunity({ communityId: "c", signal: AbortSignal.abort() } as never);
        expect(joined.error).toMatchObject({ kind: "invalid-request", field: "request.signal" });
        const left = await cad().leaveCommunity({ accounts: "a", apiKey: "other" } as never);
        expect(left.error).toMatchObject({ kind: "invalid-request", field: "request.apiKey" });
        const bad = await cad().joinCommunity({ accounts: [{ account: 42 }] } as never);
        expect(bad.error).toMatchObject({ kind: "invalid-request", field: "request.accounts" });
        expect(origin.count()).toBe(before);
    });

    it("refuses unknown or wrong per-call options", async () => {
        for (
            const [options, field] of [
                [{ timeout: 5 }, "options.timeout"],
                [{ timeoutMs: -1 }, "options.timeoutMs"],
                [{ retry: { maxAttempts: 0 } }, "options.retry.maxAttempts"],
                [{ signal: "soon" }, "options.signal"],
            ] as const
        ) {
            const { error } = await amity().joinCommunity({ communityId: "c" }, options as never);
            expect(error).toMatchObject({ kind: "invalid-request", field });
        }
    });

    it("the options argument's signal is honoured: an abort at 200 ms ends the call, with no further attempts", async () => {
        origin.handle(reply.stall());
        const before = origin.count();
        const { error } = await amity({ retry: { maxAttempts: 3, baseDelayMs: 1 } }).joinCommunity(
            { communityId: "c" },
            { signal: AbortSignal.timeout(200) },
        );
        expect(error?.kind).toBe("aborted");
        expect(origin.count() - before).toBe(1);
    });
});

describe("redaction before truncation", () => {
    it("a server echoing the request body in its error gets it back redacted", async () => {
        origin.handle((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => res.writeHead(400, { "Content-Type": "text/plain" }).end(`bad request: ${body}`));
        });
        const { error } = await cad().joinCommunity({ accounts: "a" });
        expect(error?.kind).toBe("http");
        expect(error?.kind === "http" && error.body).toContain(`"key":"${REDACTED}","internalKey":"${REDACTED}"`);
        expectNoSecret(error, [apiKey, internalKey]);
    });

    it.each([3, 6, 11, apiKey.length - 1])(
        "no fragment of a secret survives the 64 KiB cut, cut %i characters into it",
        async (into) => {
            origin.handle(reply.raw(200, "text/html", `${"x".repeat(MAX_RAW_TEXT - into)}${apiKey}${"y".repeat(100)}`));
            const client = createAmityClient({ region: "us", accessToken: apiKey, baseUrl: origin.url, retry: false });
            const { error } = await client.joinCommunity({ communityId: "c" });
            expect(error).toMatchObject({ kind: "invalid-response", truncated: true });
            expect(error?.kind === "invalid-response" && error.body.length).toBeLessThanOrEqual(MAX_RAW_TEXT);
            expectNoSecret(error, [apiKey]);
        },
    );

    it.each([5, 10, apiKey.length - 1])(
        "no fragment survives the maxBodyBytes cut, %i characters into a secret",
        async (into) => {
            const limit = 4096;
            origin.handle(
                reply.raw(200, "application/json", `${"x".repeat(limit - into)}${apiKey}${"y".repeat(limit)}`),
            );
            const client = createAmityClient({
                region: "us",
                accessToken: apiKey,
                baseUrl: origin.url,
                retry: false,
                maxBodyBytes: limit,
            });
            const { error } = await client.joinCommunity({ communityId: "c" });
            expect(error).toMatchObject({ kind: "invalid-response", truncated: true });
            expectNoSecret(error, [apiKey]);
        },
    );

    it("no fragment survives the 200-character cut of the message", async () => {
        origin.handle(reply.json(403, { status: "error", code: 400300, message: `${"m".repeat(195)}${accessToken}` }));
        const { error } = await amity().joinCommunity({ communityId: "c" });
        expect(error).toMatchObject({ kind: "http", status: 403, code: 400300 });
        expect(error?.message.endsWith("…")).toBe(true);
        expectNoSecret(error, [accessToken]);
    });

    it("a secret used as a JSON key is redacted, and JSON-escaped or percent-encoded echoes too", async () => {
        const odd = 'se"cr/et\\ key';
        origin.handle((_req, res) =>
            res.writeHead(404, { "Content-Type": "application/json" }).end(
                JSON.stringify({
                    status: "error",
                    code: 400400,
                    message: encodeURIComponent(odd),
                    data: { [odd]: true, [accessToken]: 1 },
                }),
            )
        );
        const client = createAmityClient({ region: "us", accessToken: odd, baseUrl: origin.url, retry: false });
        const { error } = await client.joinCommunity({ communityId: "c" });
        expect(error).toMatchObject({
            kind: "http",
            status: 404,
            message: `HTTP 404: ${REDACTED}`,
            body: { data: { [REDACTED]: true } },
        });
        expectNoSecret(error, [odd]);
    });
});

describe("options are checked when the client is created", () => {
    it.each([
        [{ timeoutMs: -5 }, "options.timeoutMs"],
        [{ timeoutMs: Number.NaN }, "options.timeoutMs"],
        [{ timeoutMs: "5000" }, "options.timeoutMs"],
        [{ retry: { maxAttempts: Infinity } }, "options.retry.maxAttempts"],
        [{ retry: { maxAttempts: 1.5 } }, "options.retry.maxAttempts"],
        [{ retry: { baseDelayMs: -1 } }, "options.retry.baseDelayMs"],
        [{ retry: { maxDelayMs: Infinity } }, "options.retry.maxDelayMs"],
        [{ retry: { maxRetryAfterMs: Number.NaN } }, "options.retry.maxRetryAfterMs"],
        [{ retry: { attempts: 3 } }, "options.retry.attempts"],
        [{ retry: true }, "options.retry"],
        [{ maxBodyBytes: 0 }, "options.maxBodyBytes"],
        [{ maxRedirects: -1 }, "options.maxRedirects"],
        [{ rateLimit: "yes" }, "options.rateLimit"],
        [{ rateLimit: { limit: { requests: 0, perSeconds: 1 } } }, "options.rateLimit.limit.requests"],
        [{ rateLimit: { key: "" } }, "options.rateLimit.key"],
        [{ logger: "console" }, "options.logger"],
        [{ baseUrl: "/relative" }, "options.baseUrl"],
        [{ baseUrl: "https://user:pw@api.example.com" }, "options.baseUrl"],
        [{ timeout: 5 }, "options.timeout"],
        [{ headers: { "X-Tenant": "a\r\nX-Admin: 1" } }, "options.headers.X-Tenant"],
        [{ secrets: "k" }, "options.secrets"],
    ])("%j throws a TypeError naming %s", (options, name) => {
        expect(() => createApiClient({ baseUrl: origin.url, ...(options as ClientOptions) })).toThrow(TypeError);
        expect(() => createApiClient({ baseUrl: origin.url, ...(options as ClientOptions) })).toThrow(name);
    });

    it(
        "undefined means the default: retry { maxAttempts: undefined, baseDelayMs: undefined } makes 3 attempts with 250 ms+ backoff",
        async () => {
            origin.handle(reply.json(503, {}));
            const events: LogEvent[] = [];
            const before = origin.count();
            const client = amity({
                retry: { maxAttempts: undefined, baseDelayMs: undefined },
                timeoutMs: undefined,
                logger: (e: LogEvent) => events.push(e),
            });
            await client.myJoinRequest({ communityId: "c" }); // a GET: safe to retry
            expect(origin.count() - before).toBe(3);
            const delays = events.flatMap((e) => (e.type === "retry" ? [e.delayMs] : []));
            expect(delays).toHaveLength(2);
            expect(delays[0]).toBeGreaterThanOrEqual(250);
        },
        30_000,
    );

    it("a timeout past 2^31 ms does not fire at once", async () => {
        origin.handle(reply.json(200, ok));
        const { data, error } = await amity({ timeoutMs: 2 ** 31 + 1000 }).joinCommunity({ communityId: "c" });
        expect(error).toBeUndefined();
        expect(data?.body).toEqual(ok);
    });

    it("waits of any length fire when due, not after 1 ms (fake timers)", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
        let fired = false;
        setLongTimeout(() => (fired = true), 2 ** 32 + 5);
        await vi.advanceTimersByTimeAsync(2 ** 32 + 4);
        expect(fired).toBe(false);
        await vi.advanceTimersByTimeAsync(1);
        expect(fired).toBe(true);
    });
});

describe("rate limits", () => {
    it("run on a monotonic clock: setting the wall clock back an hour does not stall calls", async () => {
        vi.useFakeTimers({
            toFake: ["setTimeout", "clearTimeout", "Date", "performance"],
            now: new Date("2026-01-01T12:00:00Z"),
        });
        const limiter = new RateLimiter({ requests: 1, perSeconds: 1 });
        await limiter.acquire(undefined);
        vi.setSystemTime(new Date("2026-01-01T11:00:00Z"));
        const second = limiter.acquire(undefined);
        await vi.advanceTimersByTimeAsync(1000);
        expect((await second).waitedMs).toBe(1000);
    });

    it("key buckets by the full credential: clients differing in one secret never share", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
        origin.handle((_req, res) => res.writeHead(200).end());
        const a = cad({ rateLimit: true, apiKey: `${apiKey}-a` });
        const b = cad({ rateLimit: true, apiKey: `${apiKey}-b` });
        const before = origin.count();
        const results = Promise.all([a.joinCommunity({ accounts: "x" }), b.joinCommunity({ accounts: "x" })]);
        await origin.waitForRequest(before + 2);
        expect((await results).map((r) => r.error)).toEqual([undefined, undefined]);
    });

    it("a caller-chosen key, a burst and a cap on calls in flight: calls queue instead of bursting", async () => {
        let inFlight = 0;
        let maxSeen = 0;
        origin.handle((_req, res) => {
            inFlight++;
            maxSeen = Math.max(maxSeen, inFlight);
            setTimeout(() => {
                inFlight--;
                res.writeHead(200).end();
            }, 20);
        });
        const limit = { requests: 50, perSeconds: 1, burst: 2, maxInFlight: 1 };
        // Two clients with different credentials, one community: one bucket.
        const one = generic({ rateLimit: { key: "community c-1", limit }, secrets: ["key-one"] });
        const two = generic({ rateLimit: { key: "community c-1", limit }, secrets: ["key-two"] });
        const results = await Promise.all(
            [...Array(3)].flatMap(
                () => [callOperation(one, getItems, undefined), callOperation(two, getItems, undefined)],
            ),
        );
        expect(results.map((r) => r.response?.status)).toEqual(Array(6).fill(200));
        expect(maxSeen).toBe(1);
    });

    it("a burst goes out at once, the rest at the sustained rate (fake clock)", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
        const limiter = new RateLimiter({ requests: 1, perSeconds: 1, burst: 2 });
        const waits = await Promise.all([limiter.acquire(undefined), limiter.acquire(undefined)]);
        const third = limiter.acquire(undefined);
        await vi.advanceTimersByTimeAsync(1000);
        expect([...waits, await third].map((p) => p.waitedMs)).toEqual([0, 0, 1000]);
    });

    it("without a burst the rule is a ceiling: never more than `requests` calls in any window (fake clock)", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
        const limiter = new RateLimiter({ requests: 3, perSeconds: 60 });
        const sentAt: number[] = [];
        const call = async (delayMs: number) => {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            await limiter.acquire(undefined);
            sentAt.push(performance.now());
        };
        const origin = performance.now();
        // Three at once, one half a window later, three more: a bucket refilled in between would
        // have let 3 + 1.5 through in the first minute.
        const calls = [0, 0, 0, 30_000, 30_000, 30_000, 30_000].map(call);
        await vi.advanceTimersByTimeAsync(150_000);
        await Promise.all(calls);
        const times = sentAt.map((t) => t - origin);
        expect(times).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
        for (const start of times) {
            expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(3);
        }
        expect(limiter.isIdle()).toBe(false); // the last send is 30 s old
        await vi.advanceTimersByTimeAsync(30_000);
        expect(limiter.isIdle()).toBe(true);
    });

    it("a waiter for an in-flight slot leaves the queue when its signal aborts", async () => {
        const limiter = new RateLimiter({ requests: 100, perSeconds: 1, maxInFlight: 1 });
        const first = await limiter.acquire(undefined);
        const controller = new AbortController();
        const waiting = limiter.acquire(controller.signal);
        controller.abort();
        await expect(waiting).rejects.toBeDefined();
        first.release();
        const next = await limiter.acquire(undefined);
        next.release();
        expect(limiter.isIdle()).toBe(false); // the tokens spent have not refilled yet
    });

    it("idle buckets are released", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
        // A fresh registry on the fake clock: buckets and the last sweep that earlier tests
        // stamped with the real clock would otherwise lie in the fake clock's future.
        vi.resetModules();
        const { activeLimiterCount, limiterFor } = await import("../../src/runtime/rate-limit.js");
        await vi.advanceTimersByTimeAsync(5000);
        limiterFor("sweep", "GET /", { requests: 1, perSeconds: 1 }); // sweeps what went idle before
        const baseline = activeLimiterCount();
        for (let i = 0; i < 100; i++) {
            (await limiterFor(`tenant ${i}`, "GET /", { requests: 10, perSeconds: 1 }).acquire(undefined)).release();
        }
        expect(activeLimiterCount()).toBe(baseline + 100);
        await vi.advanceTimersByTimeAsync(2000);
        limiterFor("sweep", "GET /", { requests: 1, perSeconds: 1 });
        expect(activeLimiterCount()).toBeLessThanOrEqual(1);
    });
});

describe("signals", () => {
    it("any number of calls share one AbortSignal without MaxListenersExceededWarning, and leave no listener", async () => {
        const warnings: Error[] = [];
        const onWarning = (warning: Error) => warnings.push(warning);
        process.on("warning", onWarning);
        // Every call is held open until all of them are in flight at once.
        const held: (() => void)[] = [];
        origin.handle((req, res) => held.push(() => reply.json(200, ok)(req, res, 0)));
        const controller = new AbortController();
        const client = amity({ timeoutMs: 10_000 });
        const calls = Array.from(
            { length: 100 },
            () => client.joinCommunity({ communityId: "c" }, { signal: controller.signal }),
        );
        await vi.waitFor(() => expect(held).toHaveLength(100), { timeout: 10_000 });
        expect(getEventListeners(controller.signal, "abort").length).toBe(1);
        for (const release of held) release();
        const results = await Promise.all(calls);
        expect(results.every((r) => r.data !== undefined)).toBe(true);
        await new Promise((resolve) => setImmediate(resolve));
        process.off("warning", onWarning);
        expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
        expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });
});
