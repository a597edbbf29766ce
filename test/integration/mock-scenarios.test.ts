// The vendors' workflows, driven through the shipped clients against the simulator and its
// scenarios: what an integrator cannot try against the real services (a pending join needs a
// moderator; CAD's join needs an internal key; a CMS burst blocks the key for an hour).
import { createHmac, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
    amityScenario,
    amitySignature,
    createMockServer,
    type MockServer,
    sendAmityEvent,
    sendCmsPushEvent,
    sonoranCadScenario,
    sonoranCmsScenario,
} from "../../codegen/mock/index.js";
import { AmityErrorCode, createAmityClient, unauthorizedReason } from "../../src/amity.js";
import { createSonoranCadClient, SonoranCadError } from "../../src/sonoran-cad.js";
import { createSonoranCmsClient } from "../../src/sonoran-cms.js";
import { AMITY_SPEC, readSpec, ROOT, SONORAN_SPEC } from "../support/fixtures.js";
import { startRecordingServer } from "../support/recording-server.js";

const CMS_SPEC = path.join(ROOT, "specs/sonoran-cms.yaml");
const servers: MockServer[] = [];
const start = async (...args: Parameters<typeof createMockServer>) => {
    const server = await createMockServer(...args);
    servers.push(server);
    return server;
};
afterEach(async () => {
    for (const server of servers.splice(0)) {
        // Every answer a scenario built matched the spec.
        expect(server.errors).toEqual([]);
        await server.close();
    }
});

describe("Amity: join, pending, and the request's lifecycle", () => {
    const setup = async (options: Parameters<typeof amityScenario>[0] = {}) => {
        const scenario = amityScenario({
            communities: { open: {}, club: { needsApproval: true, moderators: ["mod"] } },
            users: { "token-ada": "ada", "token-bob": "bob", "token-mod": "mod" },
            ...options,
        });
        const mock = await start(AMITY_SPEC, { scenario });
        const as = (accessToken: string) => createAmityClient({ region: "eu", accessToken, baseUrl: mock.url });
        return { scenario, mock, ada: as("token-ada"), bob: as("token-bob"), mod: as("token-mod") };
    };

    it("joins an open community at once", async () => {
        const { ada, scenario } = await setup();
        const { data, error } = await ada.joinCommunity({ communityId: "open" });
        expect(error).toBeUndefined();
        expect(data).toMatchObject({
            status: "joined",
            request: { status: "approved", userId: "ada", targetId: "open" },
        });
        expect(scenario.members("open")).toEqual(["ada"]);
    });

    it("files a pending request that myJoinRequest reports and a moderator approves, rejects, or its user cancels", async () => {
        const { ada, bob, mod, scenario } = await setup();
        const joined = await ada.joinCommunity({ communityId: "club" });
        expect(joined.data).toMatchObject({
            status: "pending",
            request: { status: "pending", respondedAt: null, responderId: null },
        });
        expect((await ada.myJoinRequest({ communityId: "club" })).data?.request?.status).toBe("pending");

        // Someone who is not a moderator may not decide.
        const refused = await bob.approveJoinRequests({ communityId: "club", users: joined.data!.request });
        expect(refused.error).toMatchObject({ kind: "http", status: 403, code: AmityErrorCode.PermissionDenied });

        const pending = [];
        for await (const page of mod.joinRequests({ communityId: "club", status: "pending" })) {
            pending.push(...page.data!.joinRequests);
        }
        expect(pending.map((r) => r.userId)).toEqual(["ada"]);
        expect((await mod.approveJoinRequests({ communityId: "club", users: pending })).data).toEqual({
            results: [{ userId: pending[0]!.requestorInternalId, success: true }],
        });
        expect((await ada.myJoinRequest({ communityId: "club" })).data?.request).toMatchObject({
            status: "approved",
            responderId: "mod",
        });
        expect(scenario.members("club")).toEqual(["ada"]);

        await bob.joinCommunity({ communityId: "club" });
        expect((await bob.cancelJoinRequest({ communityId: "club" })).data).toEqual({ success: true });
        expect((await bob.myJoinRequest({ communityId: "club" })).data?.request?.status).toBe("cancelled");
        await bob.joinCommunity({ communityId: "club" });
        await mod.rejectJoinRequests({
            communityId: "club",
            users: (await bob.myJoinRequest({ communityId: "club" })).data!.request!,
        });
        expect((await bob.myJoinRequest({ communityId: "club" })).data?.request?.status).toBe("rejected");
        expect((await bob.leave({ communityId: "club" })).error).toMatchObject({
            status: 404,
            code: AmityErrorCode.ItemNotFound,
        });
        expect((await ada.leave({ communityId: "club" })).data?.communityUsers[0]?.communityMembership).toBe("none");
    });

    it("pages the join requests by token (options[limit], then options[token])", async () => {
        const users = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`t${i}`, `u${i}`]));
        const { mock } = await setup({ users: { ...users, "token-mod": "mod" } });
        for (const token of Object.keys(users)) {
            await createAmityClient({ region: "eu", accessToken: token, baseUrl: mock.url }).joinCommunity({
                communityId: "club",
            });
        }
        const mod = createAmityClient({ region: "eu", accessToken: "token-mod", baseUrl: mock.url });
        const pages = [];
        for await (const page of mod.joinRequests({ communityId: "club", limit: 2 })) {
            pages.push(page.data!.joinRequests.map((r) => r.userId));
        }
        expect(pages).toEqual([["u0", "u1"], ["u2", "u3"], ["u4"]]);
        expect(mock.requests.filter((r) => r.operation === "getJoinRequests").map((r) => r.params.query)).toEqual([
            { options: { limit: 2 } },
            { options: { token: expect.any(String) } },
            { options: { token: expect.any(String) } },
        ]);
    });

    it("answers a repeated join with 409 400900, and the same request repeated too often with 429 400311, which the client does not retry", async () => {
        const { ada, mock } = await setup();
        await ada.joinCommunity({ communityId: "club" });
        const conflict = await ada.joinCommunity({ communityId: "club" });
        expect(conflict.error).toMatchObject({ kind: "http", status: 409, code: AmityErrorCode.Conflict });
        await ada.joinCommunity({ communityId: "club" });
        const limited = await ada.joinCommunity({ communityId: "club" });
        expect(limited.error).toMatchObject({
            kind: "rate-limited",
            status: 429,
            code: AmityErrorCode.RateLimitExceeded,
        });
        expect(mock.requests.filter((r) => r.operation === "joinCommunity")).toHaveLength(4);
    });

    it("refuses an expired token with 401 400100 until the client renews it through onUnauthorized; a system ban is not renewed", async () => {
        const { scenario, mock } = await setup({ users: { "token-1": "ada", "token-2": "ada" } });
        scenario.expireToken("token-1");
        const renewals: string[] = [];
        const ada = createAmityClient({
            region: "eu",
            accessToken: "token-1",
            baseUrl: mock.url,
            onUnauthorized: ({ reason }) => (renewals.push(reason), "token-2"),
        });
        expect((await ada.joinCommunity({ communityId: "open" })).data?.status).toBe("joined");
        expect(renewals).toEqual(["token"]);
        expect(mock.requests.map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);

        scenario.banFromSystem("ada");
        const banned = await ada.myJoinRequest({ communityId: "open" });
        expect(unauthorizedReason(banned.error)).toBe("system-ban");
        expect(renewals).toEqual(["token"]);
    });

    it("sends user.didJoinCommunity to the integrator's webhook, signed with x-amity-signature", async () => {
        const receiver = await startRecordingServer();
        receiver.answer((_request, response) =>
            response.writeHead(200, { "Content-Type": "application/json" }).end("{}")
        );
        try {
            const secret = "whsec-amity";
            const { ada, scenario } = await setup({ webhook: { url: `${receiver.url}/amity`, secret } });
            await ada.joinCommunity({ communityId: "open" });
            await scenario.delivered();
            const [delivery] = receiver.requests;
            // What the integrator's receiver does: HMAC-SHA256 of the raw body, base64, compared in constant time.
            const expected = createHmac("sha256", secret).update(delivery!.body).digest();
            const given = Buffer.from(String(delivery!.headers["x-amity-signature"]), "base64");
            expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
            expect(JSON.parse(delivery!.body.toString())).toEqual({
                event: "user.didJoinCommunity",
                data: { communityId: "open", userId: "ada" },
            });
            expect(scenario.deliveries).toMatchObject([{ status: 200 }]);
        } finally {
            await receiver.close();
        }
    });
});

describe("Sonoran CAD: join and leave, and the vendor's error strings", () => {
    const setup = async () => {
        const scenario = sonoranCadScenario({
            communities: {
                paid: { apiKey: "key-paid", internalKey: "internal-1" },
                free: { apiKey: "key-free", apiEnabled: false },
            },
        });
        const mock = await start(SONORAN_SPEC, { scenario });
        const cad = (communityId: string, apiKey: string, internalKey = "internal-1") =>
            createSonoranCadClient({ communityId, apiKey, internalKey, baseUrl: mock.url, rateLimit: false });
        return { scenario, mock, cad };
    };

    it("adds and removes accounts", async () => {
        const { scenario, cad } = await setup();
        const client = cad("paid", "key-paid");
        expect((await client.joinCommunity({ accounts: ["acc-1", "acc-2"] })).error).toBeUndefined();
        await client.leaveCommunity({ accounts: "acc-1" });
        expect(scenario.members("paid")).toEqual(["acc-2"]);
    });

    it.each([
        ["an unknown community", "nope", "key-paid", undefined, SonoranCadError.InvalidCommunityId],
        ["a wrong API key", "paid", "key-wrong", undefined, SonoranCadError.InvalidApiKey],
        ["a wrong internal key", "paid", "key-paid", "internal-2", SonoranCadError.InvalidApiKey],
        ["a community without API access", "free", "key-free", undefined, SonoranCadError.ApiNotEnabled],
    ])("answers %s with its plain-text error", async (_name, id, key, internal, code) => {
        const { cad } = await setup();
        const { error } = await cad(id, key, internal).joinCommunity({ accounts: "acc-1" });
        expect(error).toMatchObject({ kind: "http", status: 400, code, body: code });
    });

    it("answers an unknown action with INVALID REQUEST TYPE, as text, where the spec alone would refuse the body", async () => {
        const { mock } = await setup();
        const response = await fetch(`${mock.url}/sso/community`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
                id: "paid",
                key: "key-paid",
                internalKey: "internal-1",
                type: "KICK",
                data: [{ account: "a" }],
            }),
        });
        expect([response.status, response.headers.get("content-type"), await response.text()]).toEqual([
            400,
            "text/plain",
            "INVALID REQUEST TYPE",
        ]);
    });
});

describe("vendor events, once a spec describes them under webhooks", () => {
    it("take the spec's example and schema: the CMS key replaces the example's placeholder, and a body that breaks the schema is refused", async () => {
        const document = readSpec(CMS_SPEC);
        document.webhooks = {
            ACCOUNT_KICKED: {
                post: {
                    requestBody: {
                        content: {
                            "application/json": {
                                schema: {
                                    type: "object",
                                    required: ["key", "type", "data"],
                                    properties: {
                                        key: { type: "string" },
                                        type: { const: "ACCOUNT_KICKED" },
                                        data: {
                                            type: "object",
                                            required: ["accountId"],
                                            properties: { accountId: { type: "string", format: "uuid" } },
                                        },
                                    },
                                },
                                example: {
                                    key: "YOUR_API_KEY",
                                    type: "ACCOUNT_KICKED",
                                    data: { accountId: "67ceebae-ee63-43c1-a6a6-5234b2210abf" },
                                },
                            },
                        },
                    },
                    responses: { "200": { description: "ok" } },
                },
            },
        };
        const receiver = await startRecordingServer();
        try {
            const mock = await start(document, { scenario: sonoranCmsScenario() });
            await sendCmsPushEvent(mock, receiver.url, "ACCOUNT_KICKED", { apiKey: "real-key" });
            expect(JSON.parse(receiver.requests[0]!.body.toString())).toEqual({
                key: "real-key",
                type: "ACCOUNT_KICKED",
                data: { accountId: "67ceebae-ee63-43c1-a6a6-5234b2210abf" },
            });
            await expect(
                sendCmsPushEvent(mock, receiver.url, "ACCOUNT_KICKED", {
                    apiKey: "k",
                    data: { accountId: "not-a-uuid" },
                }),
            ).rejects.toThrow(
                /webhook ACCOUNT_KICKED: the payload does not match .*: \/data\/accountId must be a valid uuid/,
            );
            expect(receiver.requests).toHaveLength(1);
        } finally {
            await receiver.close();
        }
    });

    it("signs an Amity event the spec describes with the body its schema gives", async () => {
        const document = readSpec(AMITY_SPEC);
        document.webhooks = {
            "user.didJoinCommunity": {
                post: {
                    requestBody: {
                        content: {
                            "application/json": {
                                schema: {
                                    type: "object",
                                    required: ["event", "data"],
                                    properties: {
                                        event: { const: "user.didJoinCommunity" },
                                        data: { type: "object", required: ["userId"] },
                                    },
                                },
                            },
                        },
                    },
                    responses: { "200": { description: "ok" } },
                },
            },
        };
        const receiver = await startRecordingServer();
        try {
            const mock = await start(document);
            const sent = await sendAmityEvent(mock, receiver.url, "user.didJoinCommunity", {
                secret: "s",
                data: { userId: "ada" },
            });
            expect(sent.error).toBeUndefined();
            const [delivery] = receiver.requests;
            expect(delivery!.headers["x-amity-signature"]).toBe(amitySignature("s", delivery!.body));
            await expect(sendAmityEvent(mock, receiver.url, "user.didJoinCommunity", { secret: "s", data: {} })).rejects
                .toThrow(
                    /\/data\/userId is required/,
                );
        } finally {
            await receiver.close();
        }
    });
});

describe("Sonoran CMS: per-key limits as the gateway answers them, paging over a seeded account list, push events", () => {
    it("pages over the seeded accounts with for await, and filters them", async () => {
        const scenario = sonoranCmsScenario({ accounts: 23 });
        const mock = await start(CMS_SPEC, { scenario, seed: 3 });
        const cms = createSonoranCmsClient({ apiKey: "k", baseUrl: mock.url, rateLimit: false });
        const seen: unknown[] = [];
        for await (const account of cms.accounts.list({ take: 10 })) seen.push(account.accId);
        expect(seen).toEqual(scenario.accounts.map((a) => a.accId));
        expect(mock.requests.map((r) => r.params.query)).toEqual([{ skip: 0, take: 10 }, { skip: 10, take: 10 }, {
            skip: 20,
            take: 10,
        }]);

        const banned = await cms.accounts.list({ banned: true });
        expect(banned.data?.items.every((a) => a.banned === true)).toBe(true);
        expect(banned.data?.total).toBe(scenario.accounts.filter((a) => a.banned === true).length);
        // The same seed, the same accounts.
        expect(sonoranCmsScenario({ accounts: 23 })).not.toBe(scenario);
        const again = await start(CMS_SPEC, { scenario: sonoranCmsScenario({ accounts: 23 }), seed: 3 });
        const first = await createSonoranCmsClient({ apiKey: "k", baseUrl: again.url, rateLimit: false }).accounts.list(
            { take: 23 },
        );
        expect(first.data?.items).toEqual(scenario.accounts);
    });

    it("finds an account, and answers an unknown one with problem details carrying a traceId", async () => {
        const scenario = sonoranCmsScenario({ accounts: 3 });
        const mock = await start(CMS_SPEC, { scenario });
        const cms = createSonoranCmsClient({ apiKey: "k", baseUrl: mock.url });
        const id = String(scenario.accounts[1]!.accId);
        expect((await cms.accounts.get(id)).data).toMatchObject({ accId: id, accName: scenario.accounts[1]!.accName });
        const missing = await cms.accounts.get("99999999-9999-4999-a999-999999999999");
        expect(missing.error).toMatchObject({
            kind: "http",
            status: 404,
            problem: { status: 404, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) },
        });
    });

    it("answers a call over the operation's limit with the gateway's 429 and Retry-After, and blocks the key for an hour", async () => {
        let now = Date.UTC(2026, 0, 1);
        const scenario = sonoranCmsScenario({ apiKey: "key-1", now: () => now });
        const mock = await start(CMS_SPEC, { scenario });
        // Without the client's own pacing, as a burst from several processes would arrive.
        const cms = createSonoranCmsClient({ apiKey: "key-1", baseUrl: mock.url, rateLimit: false, retry: false });
        for (let i = 0; i < 13; i++) expect((await cms.community.get()).error).toBeUndefined();
        const limited = await cms.community.get();
        expect(limited.error).toMatchObject({
            kind: "rate-limited",
            status: 429,
            retryAfterMs: 3_600_000,
            body: { message: "API rate limit exceeded", request_id: expect.any(String) },
        });
        // The block covers every operation of the key.
        expect((await cms.accounts.list()).error?.kind).toBe("rate-limited");
        now += 3_600_000;
        expect((await cms.community.get()).error).toBeUndefined();
        const wrongKey = await createSonoranCmsClient({ apiKey: "key-2", baseUrl: mock.url }).community.get();
        expect(wrongKey.error).toMatchObject({ kind: "http", status: 401, problem: { title: "Unauthorized" } });
    });

    it("sends push events to the community's server with its API key in the body", async () => {
        const receiver = await startRecordingServer();
        // The vendor's receiver (cms-core server.lua): compares the key case-insensitively, answers "ok".
        receiver.answer((request, response) => {
            const { key } = JSON.parse(request.body.toString());
            response.writeHead(200).end(String(key).toLowerCase() === "cms-api-key" ? "ok" : "Bad API Key");
        });
        try {
            const mock = await start(CMS_SPEC, { scenario: sonoranCmsScenario() });
            const kicked = await sendCmsPushEvent(mock, `${receiver.url}/sonorancms/events`, "ACCOUNT_KICKED", {
                apiKey: "CMS-API-KEY",
            });
            expect(kicked).toMatchObject({ status: 200, body: "ok" });
            expect(JSON.parse(receiver.requests[0]!.body.toString())).toEqual({
                key: "CMS-API-KEY",
                type: "ACCOUNT_KICKED",
                data: { discordId: "235947056630333440", accountId: "67ceebae-ee63-43c1-a6a6-5234b2210abf" },
            });
            const updated = await sendCmsPushEvent(mock, `${receiver.url}/sonorancms/events`, "ACCOUNT_UPDATED", {
                apiKey: "wrong",
                data: { accId: "a1", comStatus: false },
            });
            expect(updated).toMatchObject({ status: 200, body: "Bad API Key" });
            expect(receiver.requests[1]!.url).toBe("/sonorancms/events");
        } finally {
            await receiver.close();
        }
    });
});
