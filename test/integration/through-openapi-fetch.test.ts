// Every call travels through the client's openapi-fetch client (issue 21): a probe
// registered on that client itself sees one openapi-fetch request per request a
// spec-checking server receives, for every generated wrapper of the repo's specs and every
// shipped client method; and the user's middleware behaves as openapi-fetch documents it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Middleware } from "openapi-fetch";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as amityApi from "../../generated/amity-social-cloud/index.js";
import * as cadApi from "../../generated/sonoran-cad/index.js";
import * as cmsApi from "../../generated/sonoran-cms/index.js";
import { createAmityClient } from "../../src/amity.js";
import { callOperation, createApiClient, type OperationSpec } from "../../src/runtime/index.js";
import { createSonoranCadClient } from "../../src/sonoran-cad.js";
import { createSonoranCmsClient } from "../../src/sonoran-cms.js";
import { AMITY_SPEC, readSpec, ROOT, SONORAN_SPEC } from "../support/fixtures.js";
import { PROBE_HEADER, probeOpenapiFetch, type ProbedRequest } from "../support/openapi-fetch-probe.js";
import { startRecordingServer } from "../support/recording-server.js";
import { startSpecServer, type Reply, type SpecServer } from "../support/spec-server.js";

const CMS_SPEC = `${ROOT}/specs/sonoran-cms.yaml`;
type Json = Record<string, any>;

const servers = {} as Record<"amity" | "cad" | "cms", SpecServer>;
beforeAll(async () => {
    const [amity, cad, cms] = await Promise.all([AMITY_SPEC, SONORAN_SPEC, CMS_SPEC].map(startSpecServer));
    Object.assign(servers, { amity, cad, cms });
});
afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));
afterEach(() => {
    for (const server of Object.values(servers)) {
        expect(server.violations).toEqual([]);
        server.received.length = 0;
    }
});

/** Each request the server received was one openapi-fetch made (its id arrived), one for one, in order. */
function expectCarried(server: SpecServer, seen: readonly ProbedRequest[]): void {
    expect(seen.length).toBeGreaterThan(0);
    expect(server.received.map((r) => r.headers[PROBE_HEADER])).toEqual(seen.map((s) => s.id));
}

// ---- Examples from the documents, to call every operation with what its spec allows ----

const documents = { amity: readSpec(AMITY_SPEC), cad: readSpec(SONORAN_SPEC), cms: readSpec(CMS_SPEC) };

function resolve(document: Json, value: any): any {
    return typeof value?.$ref === "string"
        ? resolve(document, value.$ref.slice(2).split("/").reduce((node: Json, key: string) => node[key], document))
        : value;
}

function exampleOf(document: Json, holder: Json | undefined): unknown {
    if (holder === undefined) return undefined;
    if (holder.example !== undefined) return holder.example;
    const named = holder.examples && Object.values(holder.examples)[0];
    if (named !== undefined) return resolve(document, named).value;
    const schema = resolve(document, holder.schema);
    if (schema?.example !== undefined) return schema.example;
    if (schema?.enum) return schema.enum[0];
    if (schema?.format === "uuid") return "00000000-0000-0000-0000-000000000000";
    if (schema?.type === "integer" || schema?.type === "number") return 1;
    if (schema?.type === "boolean") return true;
    return "x";
}

/** The init for an operation: every path and required parameter, and the body, from the spec's examples. */
function exampleInit(document: Json, spec: OperationSpec): Json {
    const item = document.paths[spec.path];
    const operation = item[spec.method];
    const params: Json = {};
    for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
        const param = resolve(document, raw);
        if (param.in !== "path" && !param.required) continue;
        (params[param.in] ??= {})[param.name] = exampleOf(document, param);
    }
    const content = resolve(document, operation.requestBody)?.content?.["application/json"];
    return { params, ...(content ? { body: exampleOf(document, content) } : {}) };
}

/** The operation's first documented success, as the server sends it. */
function documentedSuccess(document: Json, operationId: string): Reply {
    for (const item of Object.values(document.paths as Json)) {
        for (const operation of Object.values(item as Json)) {
            if (operation?.operationId !== operationId) continue;
            const [status, response] = Object.entries(operation.responses as Json).find(([s]) => s.startsWith("2"))!;
            const content = resolve(document, response).content?.["application/json"];
            const example = exampleOf(document, content);
            return content
                ? {
                    status: Number(status),
                    headers: { "Content-Type": "application/json" },
                    body: JSON.stringify(example),
                }
                : { status: Number(status) };
        }
    }
    throw new Error(`no operation ${operationId}`);
}

type Wrapper = (client: unknown, init: unknown, options?: unknown) => Promise<{ error?: unknown }>;

/** Every generated wrapper of a generated module (`name`, beside its `nameOperation`), with its OperationSpec. */
function wrappersOf(module: Json): [name: string, wrapper: Wrapper, spec: OperationSpec][] {
    return Object.keys(module)
        .map((key) => key.slice(0, -"Operation".length))
        .filter((name) => module[`${name}Operation`] !== undefined && typeof module[name] === "function")
        .map((name) => [name, module[name], module[`${name}Operation`]]);
}

const GENERATED = [
    {
        name: "amity-social-cloud",
        module: amityApi as Json,
        server: "amity",
        operations: 7,
        client: (baseUrl: string) => amityApi.createClient({ baseUrl, credentials: { BearerAuth: "amity-token" } }),
    },
    {
        name: "sonoran-cad",
        module: cadApi as Json,
        server: "cad",
        operations: 1,
        client: (baseUrl: string) => cadApi.createClient({ baseUrl }),
    },
    {
        name: "sonoran-cms",
        module: cmsApi as Json,
        server: "cms",
        operations: 57,
        client: (baseUrl: string) => cmsApi.createClient({ baseUrl, credentials: { ApiKey: "cms-key" } }),
    },
] as const;

describe("every generated wrapper sends through the client's openapi-fetch client", () => {
    for (const api of GENERATED) {
        it(`${api.name}: each of its ${api.operations} wrappers makes one openapi-fetch request, the one the server receives`, async () => {
            const server = servers[api.server];
            const document = documents[api.server];
            const wrappers = wrappersOf(api.module);
            expect(wrappers).toHaveLength(api.operations);
            for (const [name, wrapper, spec] of wrappers) {
                const client = api.client(server.url);
                const seen = probeOpenapiFetch(client.raw);
                const operationId: string = document.paths[spec.path][spec.method].operationId;
                server.respondWith(() => documentedSuccess(document, operationId));
                const init = exampleInit(document, spec);
                const result = await wrapper(client, init, { retry: false });

                expect(result.error, `${name}: ${JSON.stringify(result.error)}`).toBeUndefined();
                expect(server.received).toHaveLength(1);
                expectCarried(server, seen);
                expect(seen[0]).toMatchObject({ method: spec.method.toUpperCase(), schemaPath: spec.path });
                expect(seen[0]!.params).toMatchObject(init.params);
                server.received.length = 0;
            }
        });
    }
});

describe("every shipped client method sends through its openapi-fetch client", () => {
    it("Amity: every method, each page and each decision one openapi-fetch request", async () => {
        const server = servers.amity;
        server.respondWith((request) => documentedSuccess(documents.amity, request.operationId));
        const amity = createAmityClient({
            region: "eu",
            accessToken: "amity-token",
            baseUrl: server.url,
            retry: false,
        });
        const seen = probeOpenapiFetch(amity.raw);
        const communityId = "6565e7c7a7e5fd2bf9d5c3ad";
        const calls: [string, () => Promise<unknown>][] = [
            ["joinCommunity", () => amity.joinCommunity({ communityId })],
            ["myJoinRequest", () => amity.myJoinRequest({ communityId })],
            ["cancelJoinRequest", () => amity.cancelJoinRequest({ communityId })],
            ["joinRequests", async () => {
                for await (const page of amity.joinRequests({ communityId })) if (page.error) return page;
            }],
            ["approveJoinRequests", () => amity.approveJoinRequests({ communityId, users: ["u1", "u2"] })],
            ["rejectJoinRequests", () => amity.rejectJoinRequests({ communityId, users: "u3" })],
            ["leave", () => amity.leave({ communityId })],
        ];
        const methods = Object.keys(amity).filter((key) => typeof (amity as Json)[key] === "function");
        expect(calls.map(([name]) => name).sort()).toEqual(methods.sort());
        for (const [name, call] of calls) {
            const before = seen.length;
            const result = (await call()) as { error?: unknown } | undefined;
            expect(result?.error, name).toBeUndefined();
            expect(seen.length, name).toBeGreaterThan(before);
        }
        // Each page and each user's decision is a request of its own.
        expectCarried(server, seen);
    });

    it("Sonoran CAD: joinCommunity and leaveCommunity", async () => {
        const server = servers.cad;
        server.respondWith(() => ({ status: 200 }));
        const cad = createSonoranCadClient({
            communityId: "community-42",
            apiKey: "cad-key",
            internalKey: "cad-internal",
            baseUrl: server.url,
            rateLimit: false,
        });
        const seen = probeOpenapiFetch(cad.raw);
        expect((await cad.joinCommunity({ accounts: "000-000-000-000" })).error).toBeUndefined();
        expect((await cad.leaveCommunity({ accounts: ["000-000-000-000"] })).error).toBeUndefined();
        expectCarried(server, seen);
        expect(seen.map((s) => s.schemaPath)).toEqual(["/sso/community", "/sso/community"]);
    });

    // Sonoran CMS: its 57 methods, one per operation, each checked in sonoran-cms.test.ts
    // (the table of every method; `expectCarried` there).
});

// ---- The user's middleware, as openapi-fetch documents it ----

/** A port nothing listens on: a request there fails with ECONNREFUSED, before anything is sent. */
async function closedPort(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
}

const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const communityId = "6565e7c7a7e5fd2bf9d5c3ad";
const joined = JSON.parse(documentedSuccess(documents.amity, "joinCommunity").body!);

/** The generated Amity client and the shipped ones, each with the given middleware, calling one operation. */
const CLIENTS = {
    "a generated client": (baseUrl: string, middleware: Middleware[]) => {
        const client = amityApi.createClient({
            baseUrl,
            credentials: { BearerAuth: "amity-token" },
            middleware,
            retry: false,
        });
        return () => amityApi.joinCommunity(client, { params: { path: { communityId } } });
    },
    "the Amity client": (baseUrl: string, middleware: Middleware[]) => {
        const amity = createAmityClient({
            region: "eu",
            accessToken: "amity-token",
            baseUrl,
            middleware,
            retry: false,
        });
        return () => amity.joinCommunity({ communityId });
    },
    "the Sonoran CAD client": (baseUrl: string, middleware: Middleware[]) => {
        const cad = createSonoranCadClient({
            communityId: "c",
            apiKey: "cad-key",
            internalKey: "cad-internal",
            baseUrl,
            middleware,
            rateLimit: false,
            retry: false,
        });
        return () => cad.joinCommunity({ accounts: "000-000-000-000" });
    },
    "the Sonoran CMS client": (baseUrl: string, middleware: Middleware[]) => {
        const cms = createSonoranCmsClient({ apiKey: "cms-key-middleware", baseUrl, middleware, retry: false });
        return () => cms.community.get();
    },
} as const;
const SERVER_OF = {
    "a generated client": "amity",
    "the Amity client": "amity",
    "the Sonoran CAD client": "cad",
    "the Sonoran CMS client": "cms",
} as const;
/** The `params` openapi-fetch hands middleware for each client's call: the call's own. */
const PARAMS_OF = {
    "a generated client": { path: { communityId } },
    "the Amity client": { path: { communityId } },
    "the Sonoran CAD client": {},
    "the Sonoran CMS client": {},
} as const;
const SUCCESS_OF = {
    amity: () => documentedSuccess(documents.amity, "joinCommunity"),
    cad: () => ({ status: 200 }),
    cms: () => documentedSuccess(documents.cms, "getCommunity"),
};

describe.each(Object.keys(CLIENTS) as (keyof typeof CLIENTS)[])("middleware on %s", (kind) => {
    const server = () => servers[SERVER_OF[kind]];
    const make = CLIENTS[kind];

    it("onRequest sees the operation's schemaPath, params and openapi-fetch's id, and the Request it returns is what is sent", async () => {
        server().respondWith(SUCCESS_OF[SERVER_OF[kind]]);
        const seen: Json[] = [];
        const call = make(server().url, [{
            onRequest({ request, schemaPath, params, id, options }) {
                seen.push({ schemaPath, params, id, fetch: typeof options.fetch });
                const headers = new Headers(request.headers);
                headers.set("X-Trace", `trace-${id}`);
                return new Request(request, { headers });
            },
        }]);
        const result = (await call()) as { error?: unknown };
        expect(result.error).toBeUndefined();
        expect(seen).toHaveLength(1);
        expect(seen[0]!.schemaPath).toMatch(/^\/(api|sso|v2)\//);
        expect(seen[0]!.params).toEqual(PARAMS_OF[kind]);
        expect(seen[0]!.id).toMatch(/^[0-9a-z]+$/);
        expect(seen[0]!.fetch).toBe("function");
        expect(server().received).toHaveLength(1);
        expect(server().received[0]!.headers["x-trace"]).toBe(`trace-${seen[0]!.id}`);
    });

    it("a Response onRequest returns is the answer: nothing is sent and no onResponse runs", async () => {
        const order: string[] = [];
        const call = make(server().url, [
            { onResponse: () => void order.push("onResponse") },
            {
                onRequest: () => {
                    order.push("onRequest");
                    return json(503, { status: "error", code: 500000, message: "from the middleware" });
                },
            },
        ]);
        const result = (await call()) as { error?: Json; response?: Response };
        expect(server().received).toHaveLength(0);
        expect(order).toEqual(["onRequest"]);
        expect(result.error).toMatchObject({ kind: "http", status: 503 });
        expect(result.response?.status).toBe(503);
    });

    it("onResponse runs in reverse order on the response, and the Response it returns is the one decoded", async () => {
        server().respondWith(() => ({ status: 500, headers: { "Content-Type": "text/plain" }, body: "down" }));
        const order: string[] = [];
        const call = make(server().url, [
            {
                onResponse({ response }) {
                    order.push(`first saw ${response.status}`);
                    return SERVER_OF[kind] === "cad"
                        ? new Response(null, { status: 200 })
                        : json(200, replacement(kind));
                },
            },
            {
                async onResponse({ response, schemaPath }) {
                    order.push(`second saw ${response.status} ${await response.clone().text()} for ${schemaPath}`);
                },
            },
        ]);
        const result = (await call()) as { error?: unknown; data?: unknown };
        expect(result.error).toBeUndefined();
        expect(order).toEqual([expect.stringMatching(/^second saw 500 down for \//), "first saw 500"]);
        expect(server().received).toHaveLength(1);
    });

    it("onError runs when fetch throws; a Response it returns is the answer, and onResponse then runs", async () => {
        const errors: unknown[] = [];
        const order: string[] = [];
        const call = make(await closedPort(), [
            { onResponse: ({ response }) => void order.push(`onResponse ${response.status}`) },
            {
                onError({ error, request, schemaPath }) {
                    errors.push(error);
                    order.push(`onError ${request.method} ${schemaPath}`);
                    return SERVER_OF[kind] === "cad"
                        ? new Response(null, { status: 200 })
                        : json(200, replacement(kind));
                },
            },
        ]);
        const result = (await call()) as { error?: unknown; response?: Response };
        expect(result.error).toBeUndefined();
        expect(result.response?.status).toBe(200);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(Error);
        expect(order).toEqual([expect.stringMatching(/^onError (GET|POST) \//), "onResponse 200"]);
    });

    it("onError that returns nothing (or an Error) leaves the call a typed network error: it resolves, never rejects", async () => {
        const url = await closedPort();
        const silent = make(url, [{ onError: () => undefined }]);
        const wrapping = make(url, [{ onError: ({ error }) => new Error("wrapped by middleware", { cause: error }) }]);
        for (const call of [silent, wrapping]) {
            const result = (await call()) as { error?: Json };
            expect(result.error).toMatchObject({ kind: "network", cause: { code: "ECONNREFUSED" } });
        }
    });
});

/** A body each shipped client accepts as a success (the CMS client unwraps an envelope; Amity needs a join request). */
function replacement(kind: keyof typeof CLIENTS): unknown {
    if (kind === "the Sonoran CMS client") return JSON.parse(documentedSuccess(documents.cms, "getCommunity").body!);
    return joined;
}

describe("what joinkit keeps while middleware runs", () => {
    it("a Request middleware rebuilds with redirect: follow still has its redirects decided by joinkit", async () => {
        const origin = createServer((req, res) => {
            if (req.url?.startsWith("/api/")) res.writeHead(302, { Location: "http://elsewhere.invalid/x" }).end();
            else res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
        const baseUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
        try {
            const call = CLIENTS["a generated client"](baseUrl, [{
                onRequest: ({ request }) => new Request(request, { redirect: "follow" }),
            }]);
            const result = (await call()) as { error?: Json };
            expect(result.error).toMatchObject({ kind: "redirect", reason: "cross-origin", status: 302 });
        } finally {
            origin.closeAllConnections();
            await new Promise<void>((resolve) => origin.close(() => resolve()));
        }
    });

    it("a 307 re-sends the body middleware wrote, not the one joinkit encoded", async () => {
        const bodies: string[] = [];
        const origin = createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", () => {
                bodies.push(`${req.url} ${Buffer.concat(chunks).toString()}`);
                if (req.url?.endsWith("/approve")) res.writeHead(307, { Location: "/moved/approve2" }).end();
                else res.writeHead(200, { "Content-Type": "application/json" }).end('{"success":true}');
            });
        });
        await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
        const baseUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
        try {
            const client = amityApi.createClient({
                baseUrl,
                retry: false,
                middleware: [{ onRequest: ({ request }) => new Request(request, { body: '{"userId":"rewritten"}' }) }],
            });
            const { error } = await amityApi.approveJoinRequest(client, {
                params: { path: { communityId } },
                body: { userId: "u1" },
            });
            expect(error).toBeUndefined();
            expect(bodies).toEqual([
                `/api/v4/communities/${communityId}/join/approve {"userId":"rewritten"}`,
                '/moved/approve2 {"userId":"rewritten"}',
            ]);
        } finally {
            origin.closeAllConnections();
            await new Promise<void>((resolve) => origin.close(() => resolve()));
        }
    });

    it("the client's headers go with every call, and a call's null removes one (openapi-fetch lays them under the call's)", async () => {
        servers.amity.respondWith(() => documentedSuccess(documents.amity, "getMyJoinRequest"));
        const client = amityApi.createClient({
            baseUrl: servers.amity.url,
            credentials: { BearerAuth: "amity-token" },
            headers: [["X-Tenant", "t1"], ["X-Drop", "d"]],
            retry: false,
        });
        const { error } = await amityApi.getMyJoinRequest(client, {
            params: { path: { communityId } },
            headers: { "X-Drop": null, "X-Call": "c" },
        });
        expect(error).toBeUndefined();
        await client.raw.GET("/api/v4/communities/{communityId}/join/me", { params: { path: { communityId } } });
        const [viaWrapper, viaRaw] = servers.amity.received.map((r) => r.headers);
        expect(viaWrapper).toMatchObject({ "x-tenant": "t1", "x-call": "c" });
        expect(viaWrapper).not.toHaveProperty("x-drop");
        expect(viaRaw).toMatchObject({ "x-tenant": "t1", "x-drop": "d" });
    });

    it("a path key's #… tells operations apart in the document and is never sent, with or without path parameters", async () => {
        const recording = await startRecordingServer();
        try {
            const client = createApiClient<{}>({ baseUrl: recording.url, retry: false });
            const seen = probeOpenapiFetch(client.raw);
            const list: OperationSpec = {
                method: "get",
                path: "/pets#list",
                parameters: [{ name: "limit", in: "query", style: "form", explode: true, required: false }],
                responses: {},
                errors: [],
                idempotent: true,
            };
            const one: OperationSpec = {
                method: "get",
                path: "/pets/{id}#one",
                parameters: [{ name: "id", in: "path", style: "simple", explode: false, required: true }],
                responses: {},
                errors: [],
                idempotent: true,
            };
            await callOperation(client, list, { params: { query: { limit: 2 } } });
            await callOperation(client, list, undefined);
            await callOperation(client, one, { params: { path: { id: "p 1" } } } as never);
            expect(recording.requests.map((r) => r.url)).toEqual(["/pets?limit=2", "/pets", "/pets/p%201"]);
            expect(seen.map((s) => s.schemaPath)).toEqual(["/pets#list", "/pets#list", "/pets/{id}#one"]);
        } finally {
            await recording.close();
        }
    });

    it("a body onResponse substitutes is read with the byte cap", async () => {
        servers.amity.respondWith(SUCCESS_OF.amity);
        const client = amityApi.createClient({
            baseUrl: servers.amity.url,
            credentials: { BearerAuth: "amity-token" },
            maxBodyBytes: 64,
            retry: false,
            middleware: [{ onResponse: () => json(200, { joinRequests: [], padding: "x".repeat(1000) }) }],
        });
        const { error } = await amityApi.joinCommunity(client, { params: { path: { communityId } } });
        expect(error).toMatchObject({ kind: "invalid-response", truncated: true });
    });
});
