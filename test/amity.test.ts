import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AmityErrorCode, createAmityClient } from "../src/amity.js";
import { AMITY_SPEC, readSpec, renderings } from "./support/fixtures.js";
import { startSpecServer, type SpecServer } from "./support/spec-server.js";

const accessToken = "eyJhbGciOiJIUzI1NiJ9.SECRET-TOKEN.sig";
const spec = readSpec(AMITY_SPEC);
const joinOperation = spec.paths["/api/v4/communities/{communityId}/join"].post;
const successExample = joinOperation.responses["200"].content["application/json"].example;
const codeSchema = spec.components.schemas.AmityErrorCode;

let server: SpecServer;
beforeAll(async () => {
    server = await startSpecServer(AMITY_SPEC);
});
afterAll(() => server.close());
afterEach(() => {
    expect(server.violations).toEqual([]);
    server.received.length = 0;
});

const client = () => createAmityClient({ region: "eu", accessToken, baseUrl: server.url, retry: false });
const json = (status: number, body: unknown) => ({
    status,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
});

describe("Amity joinCommunity against a spec-checking server", () => {
    it("posts to the community's join path with the bearer token and no body, and types the 200 body", async () => {
        server.respondWith(() => json(200, successExample));
        const result = await client().joinCommunity({ communityId: "6565e7c7a7e5fd2bf9d5c3ad" });

        expect(result.error).toBeUndefined();
        expect(result.data).toEqual(successExample);
        expect(result.data?.joinRequests?.[0]?.status).toBe("approved");
        const [request] = server.received;
        expect(request).toMatchObject({
            method: "POST",
            rawPath: "/api/v4/communities/6565e7c7a7e5fd2bf9d5c3ad/join",
            body: undefined,
        });
        expect(request!.headers.authorization).toBe(`Bearer ${accessToken}`);
    });

    it("percent-encodes a communityId with a slash, a space and unicode, so it stays one path segment", async () => {
        server.respondWith(() => json(200, { joinRequests: [] }));
        const communityId = "a/b c-ü-🚀";
        const result = await client().joinCommunity({ communityId });

        expect(result.error).toBeUndefined();
        const [request] = server.received;
        expect(request!.rawPath).toBe(`/api/v4/communities/${encodeURIComponent(communityId)}/join`);
        expect(request!.rawPath).toContain("a%2Fb%20c");
        expect(request!.pathParams.communityId).toBe(communityId);
    });

    const documentedResponses = Object.entries(spec.components.responses as Record<string, any>).map(
        ([name, response]) => [name, response.content["application/json"].example] as const,
    );
    const statusOf: Record<string, number> = { Unauthorized: 401, Forbidden: 403, NotFound: 404, RateLimited: 429, UnexpectedError: 500 };

    it.each(documentedResponses)("maps the documented %s error to its AmityErrorCode member", async (name, example) => {
        const status = statusOf[name]!;
        server.respondWith(() => json(status, example));
        const { data, error } = await client().joinCommunity({ communityId: "c1" });

        expect(data).toBeUndefined();
        const kind = status === 429 ? "rate-limited" : "http";
        expect(error).toMatchObject({ kind, status, code: example.code, body: example, message: `HTTP ${status}: ${example.message}` });
    });

    const codes: [string, number][] = codeSchema.enum.map((value: number, i: number) => [codeSchema["x-enum-varnames"][i], value]);
    it.each(codes)(
        "AmityErrorCode.%s is %d and decodes from a 403 envelope",
        async (name, value) => {
            expect(AmityErrorCode[name as keyof typeof AmityErrorCode]).toBe(value);
            server.respondWith(() => json(403, { status: "error", code: value, message: "m" }));
            const { error } = await client().joinCommunity({ communityId: "c1" });
            expect(error?.kind === "http" ? error.code : `no http error: ${error?.kind}`).toBe(value);
        },
    );

    it("returns an error envelope with a code the spec does not know whole, with code undefined", async () => {
        const body = { status: "error", code: 400999, message: "Something new", data: { detail: { why: ["x"] } } };
        server.respondWith(() => json(403, body));
        const { error } = await client().joinCommunity({ communityId: "c1" });
        expect(error).toMatchObject({ kind: "http", status: 403, code: undefined, body });
    });

    it("keeps a non-JSON error body (an HTML page from a proxy) as text", async () => {
        const html = "<html><body>502 Bad Gateway</body></html>";
        server.respondWith(() => ({ status: 502, headers: { "Content-Type": "text/html" }, body: html }));
        const { error } = await client().joinCommunity({ communityId: "c1" });
        expect(error).toMatchObject({ kind: "http", status: 502, code: undefined, body: html });
    });

    it("turns a 200 with broken JSON into an invalid-response error carrying the raw text", async () => {
        server.respondWith(() => ({ status: 200, headers: { "Content-Type": "application/json" }, body: '{"joinRequests": [' }));
        const { data, error } = await client().joinCommunity({ communityId: "c1" });
        expect(data).toBeUndefined();
        expect(error).toMatchObject({ kind: "invalid-response", status: 200, body: '{"joinRequests": [' });
    });

    it("keeps the bearer token out of every rendering of an error, even when the server echoes the header", async () => {
        server.respondWith((request) => json(401, { status: "error", code: 400100, message: `bad token: ${request.headers.authorization}` }));
        const result = await client().joinCommunity({ communityId: "c1" });
        expect(result.error).toMatchObject({ kind: "http", code: AmityErrorCode.Unauthorized });
        for (const text of [...renderings(result.error), ...renderings(client())]) expect(text).not.toContain("SECRET-TOKEN");
    });

    it("lets the raw openapi-fetch client call the API with auth applied", async () => {
        server.respondWith(() => json(200, { users: [] }));
        const { data, response } = await client().raw.POST("/api/v4/communities/{communityId}/join", {
            params: { path: { communityId: "c2" } },
        });
        expect(response.status).toBe(200);
        expect(data).toEqual({ users: [] });
        expect(server.received[0]!.headers.authorization).toBe(`Bearer ${accessToken}`);
    });
});

describe("Amity regions", () => {
    it.each([
        ["us", "https://apix.us.amity.co"],
        ["eu", "https://apix.eu.amity.co"],
        ["sg", "https://apix.sg.amity.co"],
    ] as const)("region %s sends requests to %s", async (region, origin) => {
        const seen: string[] = [];
        const amity = createAmityClient({
            region,
            accessToken,
            // Captures where the request would go; nothing leaves the machine.
            fetch: async (request) => {
                seen.push(new URL(request.url).origin);
                return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
            },
        });
        await amity.joinCommunity({ communityId: "c1" });
        expect(seen).toEqual([origin]);
    });

    it("refuses a region the spec does not list", () => {
        expect(() => createAmityClient({ region: "mars" as "us", accessToken })).toThrow(/"mars" is not a valid region/);
    });
});

describe("the spec-checking server", () => {
    it("refuses and records a request the spec does not allow", async () => {
        const response = await fetch(`${server.url}/api/v4/communities/c1/join`, { method: "POST" });
        expect(response.status).toBe(422);
        expect(server.violations).toEqual(["joinCommunity: no credentials the operation's security accepts"]);
        server.violations.length = 0;
    });

    it("refuses a path parameter longer than the spec's maxLength", async () => {
        const response = await fetch(`${server.url}/api/v4/communities/${"x".repeat(901)}/join`, {
            method: "POST",
            headers: { Authorization: "Bearer t" },
        });
        expect(response.status).toBe(422);
        expect(server.violations[0]).toMatch(/path communityId: .*must NOT have more than 900 characters/);
        server.violations.length = 0;
    });
});
