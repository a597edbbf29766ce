import { describe, expect, it, vi } from "vitest";
import { AmityErrorCode, createAmityClient, unauthorizedReason, type AmityClientOptions } from "../../src/amity.js";
import { AMITY_SPEC, readSpec, renderings } from "../support/fixtures.js";
import { useSpecServer, type SpecServer } from "../support/spec-server.js";

const accessToken = "eyJhbGciOiJIUzI1NiJ9.SECRET-TOKEN.sig";
const spec = readSpec(AMITY_SPEC);
const joinPath = spec.paths["/api/v4/communities/{communityId}/join"];
const joinedExample = joinPath.post.responses["200"].content["application/json"].examples.joined.value;
const pendingExample = joinPath.post.responses["200"].content["application/json"].examples.pending.value;
const pageExample = joinPath.get.responses["200"].content["application/json"].example;
const leaveExample =
    spec.paths["/api/v3/communities/{communityId}/leave"].delete.responses["200"].content["application/json"].example;
const codeSchema = spec.components.schemas.AmityErrorCode;

let server: SpecServer;
useSpecServer(AMITY_SPEC, (started) => (server = started));

const client = (options: Partial<AmityClientOptions> = {}) =>
    createAmityClient({ region: "eu", accessToken, baseUrl: server.url, retry: false, ...options });
const json = (status: number, body: unknown) => ({
    status,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
});
/** The URLs a client asked for (the spec server checks them; this keeps their query strings). */
const recordingFetch = (urls: string[]) => (request: Request) => {
    urls.push(request.url);
    return globalThis.fetch(request);
};

describe("Amity joinCommunity against a spec-checking server", () => {
    it("says the user joined when the request comes back approved, posting no body with the bearer token", async () => {
        server.respondWith(() => json(200, joinedExample));
        const result = await client().joinCommunity({ communityId: "6565e7c7a7e5fd2bf9d5c3ad" });

        expect(result.error).toBeUndefined();
        expect(result.data).toEqual({ status: "joined", request: joinedExample.joinRequests[0], body: joinedExample });
        const [request] = server.received;
        expect(request).toMatchObject({
            method: "POST",
            rawPath: "/api/v4/communities/6565e7c7a7e5fd2bf9d5c3ad/join",
            body: undefined,
        });
        expect(request!.headers.authorization).toBe(`Bearer ${accessToken}`);
    });

    it("says the user is pending and hands back the request, with its responder fields null", async () => {
        server.respondWith(() => json(200, pendingExample));
        const { data, error } = await client().joinCommunity({ communityId: "6565e7c7a7e5fd2bf9d5c3ad" });

        expect(error).toBeUndefined();
        expect(data?.status).toBe("pending");
        expect(data?.request).toEqual(pendingExample.joinRequests[0]);
        expect(data?.request).toMatchObject({
            status: "pending",
            respondedAt: null,
            responderId: null,
            responderInternalId: null,
        });
        expect(data?.body).toEqual(pendingExample);
    });

    it("refuses to guess when a 200 carries no join request: invalid-response with the body", async () => {
        server.respondWith(() => json(200, { joinRequests: [], users: [], files: [] }));
        const { data, error } = await client().joinCommunity({ communityId: "c1" });
        expect(data).toBeUndefined();
        expect(error).toMatchObject({
            kind: "invalid-response",
            status: 200,
            body: '{"joinRequests":[],"users":[],"files":[]}',
        });
        expect(error?.message).toMatch(/no join request/);
    });

    it("percent-encodes a communityId with a slash, a space and unicode, so it stays one path segment", async () => {
        server.respondWith(() => json(200, joinedExample));
        const communityId = "a/b c-ü-🚀";
        const result = await client().joinCommunity({ communityId });

        expect(result.error).toBeUndefined();
        const [request] = server.received;
        expect(request!.rawPath).toBe(`/api/v4/communities/${encodeURIComponent(communityId)}/join`);
        expect(request!.pathParams.communityId).toBe(communityId);
    });
});

describe("a join is never sent twice", () => {
    it("does not retry a join that timed out, whatever the retry settings", async () => {
        server.respondWith(() => new Promise(() => {})); // never answers
        const { error } = await client({ retry: { maxAttempts: 5, baseDelayMs: 1 }, timeoutMs: 200 }).joinCommunity({
            communityId: "c1",
        });
        expect(error).toMatchObject({ kind: "timeout", timeoutMs: 200 });
        expect(server.received).toHaveLength(1);
    });

    it.each([
        ["a 503 from a gateway", 503, { message: "busy" }],
        ["a 500", 500, { status: "error", code: 500000, message: "Unexpected error." }],
        ["a 429 with 400311, the repetition limiter", 429, {
            status: "error",
            code: 400311,
            message: "Too many repeated requests.",
        }],
    ])("does not retry a join after %s", async (_name, status, body) => {
        server.respondWith(() => json(status, body));
        const { error } = await client({ retry: { maxAttempts: 5, baseDelayMs: 1 } }).joinCommunity({
            communityId: "c1",
        });
        expect(error).toMatchObject({ status, body });
        expect(server.received).toHaveLength(1);
    });
});

describe("the join-request lifecycle", () => {
    it("myJoinRequest gets …/join/me and returns the request, or null when there is none", async () => {
        server.respondWith(() => json(200, pendingExample));
        const mine = await client().myJoinRequest({ communityId: "c1" });
        expect(server.received[0]).toMatchObject({
            method: "GET",
            rawPath: "/api/v4/communities/c1/join/me",
            body: undefined,
        });
        expect(mine.data?.request).toEqual(pendingExample.joinRequests[0]);

        server.respondWith(() => json(200, { joinRequests: [], users: [], files: [] }));
        expect((await client().myJoinRequest({ communityId: "c1" })).data?.request).toBeNull();
    });

    it("cancelJoinRequest deletes …/join with no body", async () => {
        server.respondWith(() => json(200, { success: true }));
        const { data, error } = await client().cancelJoinRequest({ communityId: "c1" });
        expect(error).toBeUndefined();
        expect(data).toEqual({ success: true });
        expect(server.received).toMatchObject([{
            method: "DELETE",
            rawPath: "/api/v4/communities/c1/join",
            body: undefined,
        }]);
    });

    it.each(
        [
            ["approveJoinRequests", "approve"],
            ["rejectJoinRequests", "reject"],
        ] as const,
    )("%s posts { userId } to …/join/%s once per user, in order, from IDs or requests", async (method, action) => {
        server.respondWith(() => json(200, { success: true }));
        const { data, error } = await client()[method]({
            communityId: "c1",
            users: ["internal-1", pendingExample.joinRequests[0]],
        });
        expect(error).toBeUndefined();
        expect(data?.results).toEqual([
            { userId: "internal-1", success: true },
            { userId: pendingExample.joinRequests[0].requestorInternalId, success: true },
        ]);
        expect(server.received.map((r) => [r.method, r.rawPath, r.body])).toEqual([
            ["POST", `/api/v4/communities/c1/join/${action}`, { userId: "internal-1" }],
            ["POST", `/api/v4/communities/c1/join/${action}`, {
                userId: pendingExample.joinRequests[0].requestorInternalId,
            }],
        ]);
    });

    it("stops a batch of approvals at the first failure and says which users were done", async () => {
        server.respondWith((request) =>
            (request.body as { userId: string }).userId === "u2"
                ? json(403, { status: "error", code: 400301, message: "Permission denied" })
                : json(200, { success: true })
        );
        const result = await client().approveJoinRequests({ communityId: "c1", users: ["u1", "u2", "u3"] });
        expect(result).toMatchObject({
            error: { kind: "http", code: AmityErrorCode.PermissionDenied },
            done: [{ userId: "u1", success: true }],
            failedUserId: "u2",
        });
        expect(server.received).toHaveLength(2);
    });

    it("joinRequests iterates every page, filtering by status, with the limit first and the token after", async () => {
        const urls: string[] = [];
        const pages = [
            { ...pageExample, paging: { next: "page-2" } },
            { ...pageExample, paging: { next: "page-3", previous: "page-1" } },
            { ...pageExample, paging: { previous: "page-2" } },
        ];
        server.respondWith(() => json(200, pages[server.received.length - 1]));
        const seen: unknown[] = [];
        for await (
            const page of client({ fetch: recordingFetch(urls) }).joinRequests({
                communityId: "c1",
                status: "pending",
                limit: 2,
            })
        ) {
            expect(page.error).toBeUndefined();
            seen.push(page.data);
        }
        expect(seen).toEqual(pages);
        const queries = urls.map((url) => [new URL(url).pathname, [...new URL(url).searchParams]]);
        expect(queries).toEqual([
            ["/api/v4/communities/c1/join", [["status", "pending"], ["options[limit]", "2"]]],
            ["/api/v4/communities/c1/join", [["status", "pending"], ["options[token]", "page-2"]]],
            ["/api/v4/communities/c1/join", [["status", "pending"], ["options[token]", "page-3"]]],
        ]);
    });

    it("joinRequests yields the error and stops, and stops on a token it has already seen", async () => {
        server.respondWith(() => json(404, { status: "error", code: 400400, message: "Community not found." }));
        const results = [];
        for await (const page of client().joinRequests({ communityId: "gone" })) results.push(page);
        expect(results).toHaveLength(1);
        expect(results[0]!.error).toMatchObject({ kind: "http", code: AmityErrorCode.ItemNotFound });

        server.received.length = 0;
        server.respondWith(() => json(200, { ...pageExample, paging: { next: "same" } }));
        let pages = 0;
        for await (const page of client().joinRequests({ communityId: "c1" })) if (page.data) pages++;
        expect(pages).toBe(2); // the first page, then the page the token led to; its repeat is not followed
    });

    it("refuses arguments that are not the request (untyped callers) before sending anything", async () => {
        const amity = client() as any;
        expect((await amity.cancelJoinRequest({ communityId: "c1", signal: new AbortController().signal })).error)
            .toMatchObject({
                kind: "invalid-request",
                field: "request.signal",
            });
        expect((await amity.leave(undefined)).error).toMatchObject({ kind: "invalid-request", field: "request" });
        expect(await amity.approveJoinRequests({ communityId: "c1", users: [] })).toMatchObject({
            error: { kind: "invalid-request", field: "request.users" },
            done: [],
        });
        const pages = [];
        for await (const page of amity.joinRequests({ communityId: "c1", page: 2 })) pages.push(page);
        expect(pages).toMatchObject([{ error: { kind: "invalid-request", field: "request.page" } }]);
        expect(server.received).toHaveLength(0);
    });

    it("leave deletes the v3 leave route", async () => {
        server.respondWith(() => json(200, leaveExample));
        const { data } = await client().leave({ communityId: "c1" });
        expect(data).toEqual(leaveExample);
        expect(server.received).toMatchObject([{
            method: "DELETE",
            rawPath: "/api/v3/communities/c1/leave",
            body: undefined,
        }]);
    });
});

describe("Amity errors", () => {
    const statusOf: Record<string, number> = {
        BadRequest: 400,
        Unauthorized: 401,
        Forbidden: 403,
        NotFound: 404,
        PayloadTooLarge: 413,
        ValidationFailed: 422,
        RateLimited: 429,
        OtherClientError: 409, // the spec's 4XX: 400900 comes without a documented status
        UnexpectedError: 500,
    };
    const documented = Object.entries(spec.components.responses as Record<string, any>)
        .filter(([name]) => name in statusOf)
        .flatMap(([name, response]) => {
            const media = response.content["application/json"];
            const examples = media.examples ? Object.values(media.examples).map((e: any) => e.value) : [media.example];
            return examples.map((example) => [name, statusOf[name]!, example] as const);
        });

    it("documents an example for every error status the issue names", () => {
        expect(new Set(documented.map(([, status]) => status))).toEqual(new Set(Object.values(statusOf)));
    });

    it.each(documented)(
        "maps the documented %s (HTTP %i) example %j to its AmityErrorCode member",
        async (_name, status, example) => {
            server.respondWith(() => json(status, example));
            const { data, error } = await client().cancelJoinRequest({ communityId: "c1" });

            expect(data).toBeUndefined();
            expect(error).toMatchObject({
                kind: status === 429 ? "rate-limited" : "http",
                status,
                code: example.code,
                body: example,
            });
        },
    );

    const codes: [string, number][] = codeSchema.enum.map((
        value: number,
        i: number,
    ) => [codeSchema["x-enum-varnames"][i], value]);
    it.each(codes)("AmityErrorCode.%s is %d and decodes from a 403 envelope", async (name, value) => {
        expect(AmityErrorCode[name as keyof typeof AmityErrorCode]).toBe(value);
        server.respondWith(() => json(403, { status: "error", code: value, message: "m" }));
        const { error } = await client().joinCommunity({ communityId: "c1" });
        expect(error?.kind === "http" ? error.code : `no http error: ${error?.kind}`).toBe(value);
    });

    it("decodes 500000 at 422 and 413, and 400000 at 400", async () => {
        for (const [status, code] of [[422, 500000], [413, 500000], [400, 400000]] as const) {
            server.respondWith(() => json(status, { status: "error", code, message: "m" }));
            expect((await client().joinCommunity({ communityId: "c1" })).error).toMatchObject({
                kind: "http",
                status,
                code,
            });
        }
    });

    it('decodes the { status: "fail", code } envelope, which has no message', async () => {
        server.respondWith(() => json(401, { status: "fail", code: 400100 }));
        const { error } = await client().joinCommunity({ communityId: "c1" });
        expect(error).toMatchObject({
            kind: "http",
            status: 401,
            code: AmityErrorCode.Unauthorized,
            message: "HTTP 401: Unauthorized",
        });
        expect(unauthorizedReason(error)).toBe("unknown");
    });

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
        server.respondWith(() => ({
            status: 200,
            headers: { "Content-Type": "application/json" },
            body: '{"joinRequests": [',
        }));
        const { data, error } = await client().joinCommunity({ communityId: "c1" });
        expect(data).toBeUndefined();
        expect(error).toMatchObject({ kind: "invalid-response", status: 200, body: '{"joinRequests": [' });
    });

    it("keeps the bearer token out of every rendering of an error, even when the server echoes the header", async () => {
        server.respondWith((request) =>
            json(401, { status: "error", code: 400100, message: `bad token: ${request.headers.authorization}` })
        );
        const result = await client().joinCommunity({ communityId: "c1" });
        expect(result.error).toMatchObject({ kind: "http", code: AmityErrorCode.Unauthorized });
        for (const text of [...renderings(result.error), ...renderings(client())]) {
            expect(text).not.toContain("SECRET-TOKEN");
        }
    });

    it("lets the raw openapi-fetch client call the API with auth applied", async () => {
        server.respondWith(() => json(200, pageExample));
        const { data, response } = await client().raw.GET("/api/v4/communities/{communityId}/join/me", {
            params: { path: { communityId: "c2" } },
        });
        expect(response.status).toBe(200);
        expect(data).toEqual(pageExample);
        expect(server.received[0]!.headers.authorization).toBe(`Bearer ${accessToken}`);
    });
});

describe("access tokens that expire", () => {
    const expired = () => json(401, { status: "error", code: 400100, message: "Access token expired" });

    it("asks a token function before every request", async () => {
        let n = 0;
        server.respondWith(() => json(200, { success: true }));
        const amity = client({ accessToken: async () => `token-${++n}` });
        await amity.cancelJoinRequest({ communityId: "c1" });
        await amity.cancelJoinRequest({ communityId: "c1" });
        expect(server.received.map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
    });

    it("after a 401 calls onUnauthorized once and retries once with the token it returns, then keeps using it", async () => {
        server.respondWith((
            request,
        ) => (request.headers.authorization === "Bearer renewed-TOKEN-2" ? json(200, joinedExample) : expired()));
        const calls: unknown[] = [];
        const amity = client({
            accessToken: "old-TOKEN-1",
            onUnauthorized: async ({ reason, error }) => {
                calls.push([reason, error.code]);
                return "renewed-TOKEN-2";
            },
        });
        const { data, error } = await amity.joinCommunity({ communityId: "c1" });
        expect(error).toBeUndefined();
        expect(data?.status).toBe("joined");
        expect(calls).toEqual([["token", AmityErrorCode.Unauthorized]]);
        expect(server.received.map((r) => r.headers.authorization)).toEqual([
            "Bearer old-TOKEN-1",
            "Bearer renewed-TOKEN-2",
        ]);

        await amity.myJoinRequest({ communityId: "c1" });
        expect(server.received[2]!.headers.authorization).toBe("Bearer renewed-TOKEN-2");
        expect(calls).toHaveLength(1);
    });

    it("returns the 401 after one retry when the new token is rejected too (no loop)", async () => {
        server.respondWith(expired);
        let renewals = 0;
        const { error } = await client({ onUnauthorized: () => `renewed-${++renewals}` }).joinCommunity({
            communityId: "c1",
        });
        expect(error).toMatchObject({ kind: "http", status: 401 });
        expect(renewals).toBe(1);
        expect(server.received).toHaveLength(2);
    });

    it("does not retry when onUnauthorized returns nothing or throws", async () => {
        server.respondWith(expired);
        for (const onUnauthorized of [() => undefined, () => Promise.reject(new Error("identity provider down"))]) {
            server.received.length = 0;
            const { error } = await client({ onUnauthorized }).joinCommunity({ communityId: "c1" });
            expect(error).toMatchObject({ kind: "http", status: 401, code: AmityErrorCode.Unauthorized });
            expect(server.received).toHaveLength(1);
        }
    });

    it("tells a system ban apart from an expired token and does not renew for a ban", async () => {
        server.respondWith(() =>
            json(401, { status: "error", code: 400100, message: "User is banned from the system" })
        );
        let renewals = 0;
        const { error } = await client({ onUnauthorized: () => `renewed-${++renewals}` }).joinCommunity({
            communityId: "c1",
        });
        expect(unauthorizedReason(error)).toBe("system-ban");
        expect(renewals).toBe(0);
        expect(server.received).toHaveLength(1);
    });

    it("shares one renewal among calls that fail together", async () => {
        server.respondWith((
            request,
        ) => (request.headers.authorization === "Bearer fresh-TOKEN" ? json(200, { success: true }) : expired()));
        let renewals = 0;
        const amity = client({
            accessToken: "stale-TOKEN",
            onUnauthorized: async () => {
                renewals++;
                await new Promise((resolve) => setTimeout(resolve, 50));
                return "fresh-TOKEN";
            },
        });
        const results = await Promise.all([1, 2, 3].map(() => amity.cancelJoinRequest({ communityId: "c1" })));
        for (const result of results) expect(result.error).toBeUndefined();
        expect(renewals).toBe(1);
    });

    it("resolves to an error and sends nothing when the token function fails", async () => {
        const { data, error } = await client({ accessToken: () => Promise.reject(new Error("vault sealed")) })
            .joinCommunity({ communityId: "c1" });
        expect(data).toBeUndefined();
        expect(error?.message).toContain("vault sealed");
        expect(server.received).toHaveLength(0);
    });

    it("does not renew again for a call that was sent with the old token while another call's renewal finished", async () => {
        let releaseSlow: () => void = () => {};
        server.respondWith((request) => {
            if (request.headers.authorization === "Bearer fresh-TOKEN") {
                return json(200, request.rawPath.endsWith("/leave") ? leaveExample : { success: true });
            }
            // The leave is held until the cancel has been renewed and retried.
            if (request.rawPath.endsWith("/leave")) {
                return new Promise((resolve) => (releaseSlow = () => resolve(expired())));
            }
            return expired();
        });
        let renewals = 0;
        const amity = client({ accessToken: "stale-TOKEN", onUnauthorized: () => (renewals++, "fresh-TOKEN") });
        const slow = amity.leave({ communityId: "c1" });
        await vi.waitFor(() => expect(server.received).toHaveLength(1));
        expect((await amity.cancelJoinRequest({ communityId: "c1" })).error).toBeUndefined();
        releaseSlow();
        const { error } = await slow;
        expect(error).toBeUndefined();
        expect(renewals).toBe(1);
        expect(server.received.map((r) => r.headers.authorization)).toEqual([
            "Bearer stale-TOKEN",
            "Bearer stale-TOKEN",
            "Bearer fresh-TOKEN",
            "Bearer fresh-TOKEN",
        ]);
    });

    it("scrubs tokens from a token function out of errors", async () => {
        server.respondWith((request) =>
            json(403, { status: "error", code: 400300, message: `echo ${request.headers.authorization}` })
        );
        const { error } = await client({ accessToken: () => "fn-SECRET-TOKEN-9" }).joinCommunity({ communityId: "c1" });
        for (const text of renderings(error)) expect(text).not.toContain("fn-SECRET-TOKEN-9");
        expect(error?.message).toContain("[REDACTED]");
    });
});

describe("Amity regions", () => {
    it.each(
        [
            ["us", "https://apix.us.amity.co"],
            ["eu", "https://apix.eu.amity.co"],
            ["sg", "https://apix.sg.amity.co"],
        ] as const,
    )("region %s sends requests to %s", async (region, origin) => {
        const seen: string[] = [];
        const amity = createAmityClient({
            region,
            accessToken,
            // Captures where the request would go; nothing leaves the machine.
            fetch: async (request) => {
                seen.push(new URL(request.url).origin);
                return new Response(JSON.stringify(joinedExample), {
                    status: 200,
                    headers: { "Content-Type": "application/json" },
                });
            },
        });
        await amity.joinCommunity({ communityId: "c1" });
        expect(seen).toEqual([origin]);
    });

    it("refuses a region the spec does not list", () => {
        expect(() => createAmityClient({ region: "mars" as "us", accessToken })).toThrow(
            /"mars" is not a valid region/,
        );
    });

    it("refuses a missing token", () => {
        expect(() => createAmityClient({ region: "us", accessToken: "" })).toThrow(/accessToken is required/);
    });
});

describe("the spec-checking server (the simulator)", () => {
    it("refuses and records a request the spec does not allow", async () => {
        const response = await fetch(`${server.url}/api/v4/communities/c1/join`, { method: "POST" });
        expect(response.status).toBe(401);
        expect(server.violations).toEqual([
            expect.stringMatching(
                /^joinCommunity: security: carries no credentials the operation accepts; send Authorization: Bearer <token> \(BearerAuth\) \(.*amity-social-cloud\.yaml:\d+:\d+ #\/security\)$/,
            ),
        ]);
        server.violations.length = 0;
    });

    it("refuses a path parameter longer than the spec's maxLength", async () => {
        const response = await fetch(`${server.url}/api/v4/communities/${"x".repeat(901)}/join`, {
            method: "POST",
            headers: { Authorization: "Bearer t" },
        });
        expect(response.status).toBe(400);
        expect(server.violations[0]).toMatch(
            /path communityId: must be at most 900 characters long \(got 901\) \(.*:\d+:\d+ #\/components\/parameters\/CommunityId\/schema\/maxLength\)/,
        );
        server.violations.length = 0;
    });
});
