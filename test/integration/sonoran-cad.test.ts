import { describe, expect, it } from "vitest";
import { createSonoranCadClient, SonoranCadError, toAccountList } from "../../src/sonoran-cad.js";
import { readSpec, renderings, SONORAN_SPEC } from "../support/fixtures.js";
import { useSpecServer, type SpecServer } from "../support/spec-server.js";

const credentials = {
    communityId: "community-42",
    apiKey: "sk-live-API-KEY-9f8e7d",
    internalKey: "ik-INTERNAL-5c4b3a",
};
const spec = readSpec(SONORAN_SPEC);
const documentedErrors: string[] = spec.components.schemas.SonoranCadError.enum;

let server: SpecServer;
useSpecServer(SONORAN_SPEC, (started) => (server = started));

// The spec's one-call-per-second limit and retries have their own tests (faults.test.ts).
const client = () => createSonoranCadClient({ ...credentials, baseUrl: server.url, rateLimit: false, retry: false });

describe("Sonoran CAD joinCommunity against a spec-checking server", () => {
    it("sends the credentials, the type and one { account } per account in the JSON body", async () => {
        server.respondWith(() => ({ status: 200 }));
        const result = await client().joinCommunity({ accounts: ["000-000-000-000", { account: "111-111-111-111" }] });

        expect(result.error).toBeUndefined();
        expect(result.data).toBeUndefined();
        expect(result.response?.status).toBe(200);
        expect(server.received).toHaveLength(1);
        const [request] = server.received;
        expect(request!.method).toBe("POST");
        expect(request!.rawPath).toBe("/sso/community");
        expect(request!.headers["content-type"]).toBe("application/json");
        expect(request!.body).toEqual({
            id: "community-42",
            key: credentials.apiKey,
            internalKey: credentials.internalKey,
            type: "JOIN_COMMUNITY",
            data: [{ account: "000-000-000-000" }, { account: "111-111-111-111" }],
        });
    });

    it("leaves with the same endpoint and type LEAVE_COMMUNITY", async () => {
        server.respondWith(() => ({ status: 200 }));
        const result = await client().leaveCommunity({ accounts: "000-000-000-000" });
        expect(result.error).toBeUndefined();
        expect(server.received[0]!.body).toMatchObject({
            type: "LEAVE_COMMUNITY",
            data: [{ account: "000-000-000-000" }],
        });
    });

    it("returns a 200 body the server does send, read as text (its documented body is empty)", async () => {
        server.respondWith(() => ({ status: 200, headers: { "Content-Type": "text/plain" }, body: "OK" }));
        const result = await client().joinCommunity({ accounts: "000-000-000-000" });
        expect(result).toMatchObject({ data: "OK", error: undefined });
    });

    it.each(documentedErrors)("maps the 400 text %j to its SonoranCadError member", async (text) => {
        server.respondWith(() => ({ status: 400, headers: { "Content-Type": "text/plain" }, body: text }));
        const { data, error } = await client().joinCommunity({ accounts: "000-000-000-000" });

        expect(data).toBeUndefined();
        expect(error).toMatchObject({ kind: "http", status: 400, body: text, message: `HTTP 400: ${text}` });
        expect(error?.kind === "http" && error.code).toBe(text);
        expect(Object.values(SonoranCadError)).toContain(error?.kind === "http" ? error.code : undefined);
    });

    it("names each member after the spec's x-enum-varnames", () => {
        expect(SonoranCadError.InvalidApiKey).toBe("INVALID API KEY");
        expect(SonoranCadError.ApiNotEnabled).toBe("API IS NOT ENABLED FOR THIS COMMUNITY");
        expect(Object.keys(SonoranCadError)).toEqual(spec.components.schemas.SonoranCadError["x-enum-varnames"]);
    });

    it("returns an unknown error text whole, with code undefined", async () => {
        const text = "SERVER IS ON FIRE\nline two";
        server.respondWith(() => ({ status: 400, headers: { "Content-Type": "text/plain" }, body: text }));
        const { error } = await client().joinCommunity({ accounts: "000-000-000-000" });
        expect(error).toMatchObject({ kind: "http", status: 400, code: undefined, body: text });
    });

    it("does not decode a documented text under a status the spec does not give it", async () => {
        server.respondWith(() => ({ status: 429, headers: { "Content-Type": "text/plain" }, body: "INVALID API KEY" }));
        const { error } = await client().joinCommunity({ accounts: "000-000-000-000" });
        expect(error).toMatchObject({ kind: "rate-limited", status: 429, code: undefined, body: "INVALID API KEY" });
    });

    it("keeps the API key and internal key out of every rendering of an error, even when the server echoes them", async () => {
        server.respondWith((request) => ({
            status: 400,
            headers: { "Content-Type": "text/plain" },
            body: `INVALID API KEY ${JSON.stringify(request.body)}`,
        }));
        const result = await client().joinCommunity({ accounts: "000-000-000-000" });
        expect(result.error?.kind).toBe("http");
        for (const text of renderings(result.error)) {
            expect(text).not.toContain(credentials.apiKey);
            expect(text).not.toContain(credentials.internalKey);
        }
        expect(JSON.stringify(result.error)).toContain("[REDACTED]");
    });

    it("keeps secrets out of the client object itself", () => {
        for (const text of renderings(client())) {
            expect(text).not.toContain(credentials.apiKey);
            expect(text).not.toContain(credentials.internalKey);
        }
    });

    it("resolves a refused connection to a network error instead of rejecting", async () => {
        const offline = createSonoranCadClient({ ...credentials, baseUrl: "http://127.0.0.1:9", retry: false });
        const result = await offline.joinCommunity({ accounts: "000-000-000-000" });
        expect(result.data).toBeUndefined();
        expect(result.error?.kind).toBe("network");
    });
});

describe("Sonoran joins and leaves are never sent twice", () => {
    const eager = () =>
        createSonoranCadClient({
            ...credentials,
            baseUrl: server.url,
            rateLimit: false,
            retry: { maxAttempts: 5, baseDelayMs: 1 },
        });

    it("does not retry a join that timed out", async () => {
        server.respondWith(() => new Promise(() => {})); // never answers
        const { error } = await eager().joinCommunity({ accounts: "000-000-000-000" }, { timeoutMs: 200 });
        expect(error).toMatchObject({ kind: "timeout" });
        expect(server.received).toHaveLength(1);
    });

    it.each([429, 503])("does not retry a leave after HTTP %i", async (status) => {
        server.respondWith(() => ({ status, headers: { "Retry-After": "0" } }));
        const { error } = await eager().leaveCommunity({ accounts: "000-000-000-000" });
        expect(error).toMatchObject({ status });
        expect(server.received).toHaveLength(1);
    });

    it("says in the spec that the endpoint is internal, claims no idempotency and invents no 429 body", () => {
        const operation = spec.paths["/sso/community"].post;
        expect(spec.info.description).toMatch(/Internal endpoint/);
        expect(operation.description).toMatch(/internal documentation only for the CMS program/);
        expect(operation["x-idempotent"]).toBe(false);
        expect(operation.responses["429"].content).toBeUndefined();
        expect(operation.responses["429"].description).not.toMatch(/blocks the request type/);
    });
});

describe("toAccountList", () => {
    it.each(
        [
            ["a single ID", "a", [{ account: "a" }]],
            ["a single object", { account: "a" }, [{ account: "a" }]],
            ["a mixed list", ["a", { account: "b" }], [{ account: "a" }, { account: "b" }]],
        ] as const,
    )("normalises %s to [{ account }]", (_name, input, expected) => {
        expect(toAccountList(input)).toEqual(expected);
    });

    it("refuses an empty list, which the spec's minItems forbids", () => {
        expect(() => toAccountList([])).toThrow(/at least one account/);
    });

    it("refuses to build a client without its credentials", () => {
        expect(() => createSonoranCadClient({ ...credentials, internalKey: "" })).toThrow(/internalKey is required/);
    });
});
