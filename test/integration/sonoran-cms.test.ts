import path from "node:path";
import { describe, expect, it } from "vitest";
import {
    createSonoranCmsClient,
    SonoranCmsPageError,
    type CmsResult,
    type SonoranCmsClient,
    type SonoranCmsClientOptions,
} from "../../src/sonoran-cms.js";
import type { LogEvent } from "../../src/runtime/index.js";
import { readSpec, renderings, ROOT } from "../support/fixtures.js";
import { PROBE_HEADER, probeOpenapiFetch } from "../support/openapi-fetch-probe.js";
import { useSpecServer, type Reply, type SpecServer } from "../support/spec-server.js";

const CMS_SPEC = path.join(ROOT, "specs/sonoran-cms.yaml");
const spec = readSpec(CMS_SPEC);
const METHODS = ["get", "put", "post", "patch", "delete"];
const operations = new Map<string, { method: string; path: string; op: Record<string, any> }>(
    Object.entries(spec.paths as Record<string, any>).flatMap(([route, item]) =>
        METHODS.filter((m) => item[m]).map((method) =>
            [item[method].operationId, { method, path: route, op: item[method] }] as const
        )
    ),
);

/** A component `$ref` followed to its target. */
const resolve = (
    value: any,
): any => (typeof value?.$ref === "string"
    ? resolve(value.$ref.slice(2).split("/").reduce((n: any, k: string) => n[k], spec))
    : value);
const requestExample = (id: string) => resolve(operations.get(id)!.op.requestBody)?.content["application/json"].example;
const successOf = (id: string) => {
    const [status, response] = Object.entries(operations.get(id)!.op.responses as Record<string, any>).find(([s]) =>
        s.startsWith("2")
    )!;
    return { status: Number(status), example: response.content?.["application/json"].example };
};
/** The operation's documented success, as the server sends it. */
const documented = (id: string): Reply => {
    const { status, example } = successOf(id);
    return example === undefined ? { status } : json(status, example);
};
const json = (status: number, body: unknown, type = "application/json"): Reply => ({
    status,
    headers: { "Content-Type": type },
    body: JSON.stringify(body),
});

let server: SpecServer;
useSpecServer(CMS_SPEC, (started) => (server = started));

// Limits are per API key across the process, so each test takes a key of its own.
let keys = 0;
const newKey = () => `cms-live-KEY-${++keys}-7f3a9c2e1b`;
const client = (options: Partial<SonoranCmsClientOptions> = {}) =>
    createSonoranCmsClient({ apiKey: newKey(), baseUrl: server.url, retry: false, ...options });

const ACCOUNT = "00000000-0000-0000-0000-000000000000";
const RECORD = "11111111-1111-1111-1111-111111111111";
const EVENT = "11111111-1111-1111-1111-111111111111";
const UNDO = "11111111-1111-1111-1111-111111111111";
const { accId: _accId, ...ranksWithoutAccount } = requestExample("setAccountRanks");
const { accId: _clockAccId, ...clockWithoutAccount } = requestExample("clockAccount");

type Case = [
    id: string,
    call: (cms: SonoranCmsClient, body: any) => PromiseLike<CmsResult<unknown, unknown>>,
    path: string,
    query?: Record<string, string>,
];

// One call per operation: what the client is asked, and the path and query it must send.
const CASES: Case[] = [
    ["getCommunity", (cms) => cms.community.get(), "/v2/community"],
    ["getSubVersion", (cms) => cms.community.subVersion(), "/v2/community/sub-version"],
    ["lookupCommunity", (cms) => cms.community.lookup({ id: "CMS-1000" }), "/v2/community/lookup", { id: "CMS-1000" }],
    ["getDepartments", (cms) => cms.community.departments(), "/v2/community/departments"],
    ["getProfileFields", (cms) => cms.community.profileFields(), "/v2/community/profile-fields"],
    ["getClockInTypes", (cms) => cms.community.clockInTypes(), "/v2/community/clockin-types"],
    ["getCustomLogTypes", (cms) => cms.community.customLogTypes(), "/v2/community/custom-log-types"],
    ["getPromotionFlows", (cms) => cms.promotionFlows.list(), "/v2/community/promotion-flows"],
    ["triggerPromotionFlows", (cms, body) => cms.promotionFlows.trigger(body), "/v2/community/promotion-flows/trigger"],
    ["undoRankChange", (cms, body) => cms.rankChanges.undo(UNDO, body), `/v2/community/rank-changes/${UNDO}/undo`],
    ["createShortUrl", (cms, body) => cms.shortUrls.create(body), "/v2/community/short-urls"],
    ["getAccounts", (cms) => cms.accounts.list({ take: 25, comStatus: true }), "/v2/community/accounts", {
        take: "25",
        comStatus: "true",
        skip: "0",
    }],
    ["searchAccounts", (cms) => cms.accounts.search({ username: "ExampleUser" }), "/v2/community/accounts/search", {
        username: "ExampleUser",
    }],
    ["getAccount", (cms) => cms.accounts.get(ACCOUNT), `/v2/community/accounts/${ACCOUNT}`],
    ["getAccountRanks", (cms) => cms.accounts.ranks.get(ACCOUNT), `/v2/community/accounts/${ACCOUNT}/ranks`],
    [
        "setAccountRanks",
        (cms) => cms.accounts.ranks.set(ACCOUNT, ranksWithoutAccount),
        `/v2/community/accounts/${ACCOUNT}/ranks`,
    ],
    [
        "getAccountIdentifiers",
        (cms) => cms.accounts.identifiers.list(ACCOUNT),
        `/v2/community/accounts/${ACCOUNT}/identifiers`,
    ],
    [
        "registerIdentifiers",
        (cms, body) => cms.accounts.identifiers.register(ACCOUNT, body),
        `/v2/community/accounts/${ACCOUNT}/identifiers`,
    ],
    ["setAccountName", (cms, body) => cms.accounts.setName(ACCOUNT, body), `/v2/community/accounts/${ACCOUNT}/name`],
    [
        "editProfileFields",
        (cms, body) => cms.accounts.profileFields.set(ACCOUNT, body),
        `/v2/community/accounts/${ACCOUNT}/profile-fields`,
    ],
    [
        "clockAccount",
        (cms) => cms.accounts.clock.record(ACCOUNT, clockWithoutAccount),
        `/v2/community/accounts/${ACCOUNT}/clock`,
    ],
    [
        "getCurrentClockIn",
        (cms) => cms.accounts.clock.current(ACCOUNT, { accId: ACCOUNT }),
        `/v2/community/accounts/${ACCOUNT}/clock/current`,
        { accId: ACCOUNT },
    ],
    [
        "getLatestActivity",
        (cms) => cms.accounts.activity.latest(ACCOUNT, { type: "clockin" }),
        `/v2/community/accounts/${ACCOUNT}/activity/latest`,
        { type: "clockin" },
    ],
    ["forceSync", (cms) => cms.accounts.sync(ACCOUNT), `/v2/community/accounts/${ACCOUNT}/sync`],
    ["getServers", (cms) => cms.servers.list(), "/v2/community/servers"],
    ["setServers", (cms, body) => cms.servers.replace(body), "/v2/community/servers"],
    ["addServers", (cms, body) => cms.servers.add(body), "/v2/community/servers"],
    ["getAceConfig", (cms) => cms.servers.aceConfig.get(1), "/v2/community/servers/1/ace-config"],
    ["setAceConfig", (cms, body) => cms.servers.aceConfig.set(1, body), "/v2/community/servers/1/ace-config"],
    ["setServerType", (cms, body) => cms.servers.setType(1, body), "/v2/community/servers/1/type"],
    ["verifyWhitelist", (cms, body) => cms.servers.whitelist.check(1, body), "/v2/community/servers/1/whitelist/check"],
    ["getFullWhitelist", (cms) => cms.servers.whitelist.get(1), "/v2/community/servers/1/whitelist"],
    ["activityTracker", (cms, body) => cms.servers.activity.record(1, body), "/v2/community/servers/1/activity"],
    ["activityTrackerServerStart", (cms) => cms.servers.activity.start(1), "/v2/community/servers/1/activity/start"],
    ["createRsvp", (cms, body) => cms.events.toggleRsvp(EVENT, body), `/v2/community/events/${EVENT}/rsvps`],
    ["changeFormStage", (cms, body) => cms.forms.changeStage(1, body), "/v2/community/forms/1/stage"],
    [
        "getTemplateSubmissions",
        (cms) => cms.forms.submissions.list(1, { take: 25 }),
        "/v2/community/forms/1/submissions",
        { take: "25", skip: "0" },
    ],
    ["getFormLockStatus", (cms) => cms.forms.lock.get(1), "/v2/community/forms/1/lock"],
    ["setFormLockStatus", (cms, body) => cms.forms.lock.set(1, body), "/v2/community/forms/1/lock"],
    ["getFormSubmission", (cms) => cms.forms.submissions.get(1), "/v2/community/forms/submissions/1"],
    ["getRosterContents", (cms) => cms.rosters.get(1, { limit: 25 }), "/v2/community/rosters/1", {
        limit: "25",
        skip: "0",
    }],
    [
        "getMemberPoints",
        (cms) => cms.disciplinary.points(ACCOUNT, { accId: ACCOUNT }),
        `/v2/community/disciplinary/accounts/${ACCOUNT}/points`,
        { accId: ACCOUNT },
    ],
    [
        "getMemberRecords",
        (cms) => cms.disciplinary.records.list(ACCOUNT, { discordId: "1234567890" }),
        `/v2/community/disciplinary/accounts/${ACCOUNT}/records`,
        {
            discordId: "1234567890",
        },
    ],
    [
        "addMemberRecord",
        (cms, body) => cms.disciplinary.records.add(ACCOUNT, body),
        `/v2/community/disciplinary/accounts/${ACCOUNT}/records`,
    ],
    [
        "updateMemberRecordPoints",
        (cms, body) => cms.disciplinary.records.setPoints(RECORD, body),
        `/v2/community/disciplinary/records/${RECORD}/points`,
    ],
    [
        "updateMemberRecordReason",
        (cms, body) => cms.disciplinary.records.setReason(RECORD, body),
        `/v2/community/disciplinary/records/${RECORD}/reason`,
    ],
    [
        "updateMemberRecordStatus",
        (cms, body) => cms.disciplinary.records.setStatus(RECORD, body),
        `/v2/community/disciplinary/records/${RECORD}/status`,
    ],
    [
        "getOnlinePlayers",
        (cms) => cms.erlc.players.online({ robloxJoinCode: "ABC123" }),
        "/v2/community/erlc/players/online",
        { robloxJoinCode: "ABC123" },
    ],
    [
        "getPlayerQueue",
        (cms) => cms.erlc.players.queue({ robloxJoinCode: "ABC123" }),
        "/v2/community/erlc/players/queue",
        { robloxJoinCode: "ABC123" },
    ],
    ["addErlcRecord", (cms, body) => cms.erlc.records.add(body), "/v2/community/erlc/records"],
    ["executeErlcCommand", (cms, body) => cms.erlc.commands.execute(body), "/v2/community/erlc/commands"],
    ["lockTeam", (cms, body) => cms.erlc.teams.lock(body), "/v2/community/erlc/teams/lock"],
    ["unlockTeam", (cms, body) => cms.erlc.teams.unlock(body), "/v2/community/erlc/teams/unlock"],
    ["getCurrentSession", (cms) => cms.sessions.current({ serverId: 1 }), "/v2/community/sessions/current", {
        serverId: "1",
    }],
    ["startSession", (cms, body) => cms.sessions.start(body), "/v2/community/sessions"],
    ["stopSession", (cms, body) => cms.sessions.stop(body), "/v2/community/sessions"],
    ["cancelSession", (cms, body) => cms.sessions.cancel(body), "/v2/community/sessions"],
];

describe("the Sonoran CMS client against a server that checks every request against the spec", () => {
    it("has one method for each of the spec's 57 operations", () => {
        expect(CASES.map(([id]) => id).sort()).toEqual([...operations.keys()].sort());
    });

    it.each(CASES)(
        "%s: sends the method, path, query, API key and body the spec describes through openapi-fetch, and unwraps the envelope",
        async (id, call, expectedPath, query = {}) => {
            const { method } = operations.get(id)!;
            server.respondWith(() => documented(id));
            const apiKey = newKey();
            const cms = createSonoranCmsClient({ apiKey, baseUrl: server.url, retry: false });
            const seen = probeOpenapiFetch(cms.raw);
            const result = await call(cms, requestExample(id));

            expect(result.error).toBeUndefined();
            expect(server.received).toHaveLength(1);
            const [request] = server.received;
            // The request openapi-fetch made (its middleware saw it) is the one that arrived.
            expect(seen.map((s) => s.id)).toEqual([request!.headers[PROBE_HEADER]]);
            expect(request).toMatchObject({
                operationId: id,
                method: method.toUpperCase(),
                rawPath: expectedPath,
                query,
            });
            expect(request!.headers.authorization).toBe(`Bearer ${apiKey}`);
            // A body that repeats the path's account gets it filled in by the client.
            expect(request!.body).toEqual(requestExample(id));
            const { example } = successOf(id);
            expect(result.data).toEqual(example?.data);
            expect(result.meta).toEqual(example?.meta);
        },
    );

    it("talks to production by default and to staging when asked", () => {
        const seen: string[] = [];
        const fetch = async (request: Request) => {
            seen.push(request.url);
            return new Response(JSON.stringify(successOf("getCommunity").example), {
                headers: { "Content-Type": "application/json" },
            });
        };
        return Promise.all([
            createSonoranCmsClient({ apiKey: newKey(), fetch }).community.get(),
            createSonoranCmsClient({ apiKey: newKey(), environment: "staging", fetch }).community.get(),
        ]).then(() =>
            expect(seen.sort()).toEqual([
                "https://api.sonorancms.com/v2/community",
                "https://staging-api.dev.sonorancms.com/v2/community",
            ])
        );
    });

    it("refuses to start without an API key or with an unknown environment", () => {
        expect(() => createSonoranCmsClient({ apiKey: "" })).toThrow(/apiKey is required/);
        expect(() => createSonoranCmsClient({ apiKey: "k", environment: "prod" as never })).toThrow(
            /"production" or "staging"/,
        );
    });

    it("turns a 2xx body that is not the envelope into an invalid-response error", async () => {
        server.respondWith(() => json(200, { id: "CMS-1000" }));
        const { data, meta, error } = await client().community.get();
        expect(data).toBeUndefined();
        expect(meta).toBeUndefined();
        expect(error).toMatchObject({ kind: "invalid-response", status: 200, body: '{"id":"CMS-1000"}' });
    });
});

describe("per-endpoint rate limits", () => {
    // The roster endpoint's published limit is 9 requests a minute.
    const rosterLimit = operations.get("getRosterContents")!.op["x-rate-limit"].requests as number;

    it(
        "queues a burst beyond the limit instead of sending it, per API key across every client in the process",
        async () => {
            server.respondWith(() => documented("getRosterContents"));
            const apiKey = newKey();
            const first = createSonoranCmsClient({ apiKey, baseUrl: server.url, retry: false });
            const second = createSonoranCmsClient({ apiKey, baseUrl: server.url, retry: false });
            const otherKey = createSonoranCmsClient({ apiKey: newKey(), baseUrl: server.url, retry: false });
            const cancel = new AbortController();
            const burst = Array.from(
                { length: rosterLimit + 3 },
                (_, i) => (i % 2 === 0 ? first : second).rosters.get(1, {}, { signal: cancel.signal }),
            );

            await expect.poll(() => server.received.length, { timeout: 15_000 }).toBe(rosterLimit);
            // Another key has a limit of its own: its call goes out while the burst waits.
            const elsewhere = await otherKey.rosters.get(1);
            expect(elsewhere.error).toBeUndefined();
            expect(server.received).toHaveLength(rosterLimit + 1);

            cancel.abort();
            const results = await Promise.all(burst);
            expect(results.filter((r) => r.error === undefined)).toHaveLength(rosterLimit);
            // The queued calls end as aborted, and none of them reached the server.
            expect(results.filter((r) => r.error?.kind === "aborted")).toHaveLength(3);
            expect(server.received).toHaveLength(rosterLimit + 1);
        },
        60_000,
    );

    it("waits out a 429's Retry-After within the cap, for any operation, and sends the call again", async () => {
        let calls = 0;
        server.respondWith(() =>
            ++calls === 1
                ? {
                    ...json(429, { message: "API rate limit exceeded", request_id: "r-1" }),
                    headers: { "Content-Type": "application/json", "Retry-After": "1" },
                }
                : documented("addMemberRecord")
        );
        const events: LogEvent[] = [];
        const cms = client({ retry: { maxAttempts: 3 }, logger: (event) => events.push(event) });
        const result = await cms.disciplinary.records.add(ACCOUNT, requestExample("addMemberRecord"));

        expect(result.error).toBeUndefined();
        expect(server.received).toHaveLength(2);
        expect(events.filter((e) => e.type === "retry")).toMatchObject([{ delayMs: 1000, reason: "HTTP 429" }]);
    }, 30_000);

    it("does not wait out a Retry-After beyond the cap: the call ends rate-limited, with the gateway's body", async () => {
        server.respondWith(() => ({
            ...json(429, { message: "API rate limit exceeded", request_id: "r-2" }),
            headers: { "Content-Type": "application/json", "Retry-After": "3600" },
        }));
        const { error } = await client({ retry: { maxAttempts: 3, maxRetryAfterMs: 60_000 } }).community.get();
        expect(error).toMatchObject({
            kind: "rate-limited",
            status: 429,
            retryAfterMs: 3_600_000,
            body: { message: "API rate limit exceeded", request_id: "r-2" },
        });
        expect(server.received).toHaveLength(1);
    });
});

describe("errors", () => {
    it("decodes an application/problem+json error into error.problem, traceId and other members included", async () => {
        const problem = {
            type: "https://api.sonorancms.com/problems/not-whitelisted",
            title: "Forbidden",
            status: 403,
            detail: `Account ${ACCOUNT} is not whitelisted on server 1.`,
            instance: "/v2/community/servers/1/whitelist/check",
            traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
            serverId: 1,
        };
        server.respondWith(() => json(403, problem, "application/problem+json"));
        const { data, error } = await client().servers.whitelist.check(1, { accId: ACCOUNT });

        expect(data).toBeUndefined();
        expect(error).toMatchObject({ kind: "http", status: 403, code: undefined, body: problem, problem });
        expect(error?.message).toBe(`HTTP 403: Forbidden: Account ${ACCOUNT} is not whitelisted on server 1.`);
        if (error?.kind === "http") expect(error.problem?.traceId).toBe(problem.traceId);
    });
});

describe("paging over skip and take", () => {
    const accounts = Array.from(
        { length: 5 },
        (_, i) => ({
            ...successOf("getAccounts").example.data.items[0],
            accId: `00000000-0000-0000-0000-00000000000${i}`,
            uniqueId: 1000 + i,
        }),
    );
    const meta = { timestamp: "2026-04-15T00:00:00.000Z", path: "/v2/community/accounts" };
    /** Answers like the CMS: the slice of `items` at `skip`, `take` long (2 when not given). */
    const pagesOf = (items: typeof accounts, total = items.length) => (request: { query: Record<string, string> }) => {
        const skip = Number(request.query.skip ?? 0);
        const take = Number(request.query.take ?? 2);
        return json(200, { success: true, data: { items: items.slice(skip, skip + take), total, skip, take }, meta });
    };

    it("walks every page with for await and stops once skip reaches the total", async () => {
        server.respondWith(pagesOf(accounts));
        const seen: string[] = [];
        for await (const account of client().accounts.list({ take: 2, banned: false })) seen.push(account.accId);

        expect(seen).toEqual(accounts.map((a) => a.accId));
        expect(server.received.map((r) => r.query)).toEqual([
            { take: "2", banned: "false", skip: "0" },
            { take: "2", banned: "false", skip: "2" },
            { take: "2", banned: "false", skip: "4" },
        ]);
    });

    it("advances by what each page held, so a server that pages by its own default still gets walked", async () => {
        server.respondWith(pagesOf(accounts));
        const seen = [];
        for await (const account of client().accounts.list()) seen.push(account);
        expect(seen).toHaveLength(5);
        expect(server.received.map((r) => r.query.skip)).toEqual(["0", "2", "4"]);
    });

    it("stops at an empty page even when the total promises more", async () => {
        server.respondWith(pagesOf(accounts, 1_000));
        const seen = [];
        for await (const account of client().accounts.list({ take: 2 })) seen.push(account);
        expect(seen).toHaveLength(5);
        expect(server.received.map((r) => r.query.skip)).toEqual(["0", "2", "4", "5"]);
    });

    it("fetches one page when awaited", async () => {
        server.respondWith(pagesOf(accounts));
        const page = await client().accounts.list({ take: 2, skip: 2 });
        expect(page.data).toMatchObject({ total: 5, skip: 2, take: 2, items: accounts.slice(2, 4) });
        expect(server.received).toHaveLength(1);
    });

    it("ends the walk on a failed page: for await throws SonoranCmsPageError, pages() yields the failure last", async () => {
        server.respondWith((request) =>
            request.query.skip === "2"
                ? json(500, { title: "Internal Server Error", status: 500, traceId: "t-9" }, "application/problem+json")
                : pagesOf(accounts)(request)
        );
        const cms = client();
        const seen: string[] = [];
        const walk = async () => {
            for await (const account of cms.accounts.list({ take: 2 })) seen.push(account.accId);
        };
        const thrown = await walk().catch((error: unknown) => error);
        expect(thrown).toBeInstanceOf(SonoranCmsPageError);
        expect((thrown as SonoranCmsPageError).error).toMatchObject({
            kind: "http",
            status: 500,
            problem: { traceId: "t-9" },
        });
        expect(seen).toHaveLength(2);

        const statuses = [];
        for await (const page of cms.accounts.list({ take: 2 }).pages()) statuses.push(page.response?.status);
        expect(statuses).toEqual([200, 500]);
    });

    it("walks a template's submissions by count and a roster's rows by total and limit", async () => {
        const form = successOf("getTemplateSubmissions").example.data.forms[0];
        const forms = [1, 2, 3].map((formId) => ({ ...form, formId }));
        const roster = successOf("getRosterContents").example.data;
        const rows = [1, 2, 3].map((sortPower) => ({ ...roster.rows[0], sortPower }));
        server.respondWith((request) => {
            const skip = Number(request.query.skip);
            if (request.operationId === "getTemplateSubmissions") {
                const take = Number(request.query.take);
                return json(200, {
                    success: true,
                    data: { count: forms.length, forms: forms.slice(skip, skip + take) },
                    meta,
                });
            }
            const limit = Number(request.query.limit);
            return json(200, {
                success: true,
                data: { ...roster, rows: rows.slice(skip, skip + limit), total: rows.length, skip, limit },
                meta,
            });
        });
        const cms = client();
        const formIds = [];
        for await (const submission of cms.forms.submissions.list(1, { take: 2 })) formIds.push(submission.formId);
        const powers = [];
        for await (const row of cms.rosters.get(1, { limit: 2 })) powers.push(row.sortPower);

        expect(formIds).toEqual([1, 2, 3]);
        expect(powers).toEqual([1, 2, 3]);
        expect(server.received.map((r) => `${r.operationId} ${r.query.skip}`)).toEqual([
            "getTemplateSubmissions 0",
            "getTemplateSubmissions 2",
            "getRosterContents 0",
            "getRosterContents 2",
        ]);
    });
});

describe("the API key", () => {
    it("never appears in an error, a thrown page error, a log event or the client, even when the server echoes it", async () => {
        const apiKey = newKey();
        const events: LogEvent[] = [];
        const cms = createSonoranCmsClient({
            apiKey,
            baseUrl: server.url,
            retry: false,
            logger: (event) => events.push(event),
        });
        const echo = (request: { headers: Record<string, unknown> }) =>
            `you sent ${String(request.headers.authorization)}`;

        server.respondWith((request) =>
            json(
                401,
                { title: "Unauthorized", status: 401, detail: echo(request), traceId: "t-1" },
                "application/problem+json",
            )
        );
        const problem = await cms.community.get();
        server.respondWith((request) => json(429, { message: echo(request), request_id: "r-1" }));
        const limited = await cms.community.subVersion();
        server.respondWith((request) => json(200, { echoed: echo(request) }));
        const invalid = await cms.community.departments();
        server.respondWith((request) =>
            json(502, { title: "Bad Gateway", detail: echo(request) }, "application/problem+json")
        );
        const thrown = await (async () => {
            for await (const _ of cms.accounts.list()) void _;
        })().catch((error: unknown) => error);

        expect(problem.error).toMatchObject({
            kind: "http",
            status: 401,
            problem: { detail: "you sent Bearer [REDACTED]" },
        });
        expect(limited.error).toMatchObject({ kind: "rate-limited" });
        expect(invalid.error).toMatchObject({ kind: "invalid-response" });
        expect(thrown).toBeInstanceOf(SonoranCmsPageError);
        expect(events.length).toBeGreaterThan(0);
        for (
            const value of [problem.error, limited.error, invalid.error, thrown, (thrown as Error).stack, events, cms]
        ) {
            for (const text of renderings(value)) expect(text).not.toContain(apiKey);
        }
    });
});
