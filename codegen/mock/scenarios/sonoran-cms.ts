import type { Answer } from "../responses.js";
import type { MockRequest, Scenario, ScenarioContext } from "../server.js";
import type { WebhookDelivery } from "../webhooks.js";
import { hexFrom } from "../random.js";

/**
 * Sonoran CMS v2, from `specs/sonoran-cms.yaml` plus a little state: the API key, each
 * operation's per-key limit (its `x-rate-limit`, requests per window) enforced as the
 * gateway does (429 `{ message, request_id }` with `Retry-After`; a breach blocks the key,
 * for an hour by default, as production does), and a seeded list of accounts that
 * `GET …/accounts` pages over (`skip`, `take`, and the four filters) and
 * `GET …/accounts/{accountId}` finds. Errors are problem details with a `traceId`, as the
 * spec says the CMS sends them. Every other operation answers as the spec does.
 */
export interface SonoranCmsScenarioOptions {
    /** The one API key accepted (default: any); another gets 401 problem details. */
    readonly apiKey?: string;
    /** The community's accounts: how many to generate from the spec's `AccountSummary` (seeded), or the list itself. Default 60. */
    readonly accounts?: number | readonly Record<string, unknown>[];
    /** Enforce each operation's `x-rate-limit` per key (default true). */
    readonly limits?: boolean;
    /** How long a breach blocks the key (default 3600, production's hour; 0 blocks only until the window frees). */
    readonly blockSeconds?: number;
    /** Send `Retry-After` with a 429 (default true; the gateway's header is optional). */
    readonly retryAfter?: boolean;
    /** The clock (default `Date.now`): the limits' windows, blocks and `meta.timestamp`. */
    readonly now?: () => number;
}

export interface SonoranCmsScenario extends Scenario {
    /** The seeded accounts, in the order the listing pages over them. */
    readonly accounts: readonly Record<string, unknown>[];
    /** Lifts every block and forgets the counted calls (what an hour's wait would do). */
    unblock(): void;
}

/** The page size when `take` is not given: the vendor documents no default; the spec's example shows 25. */
const DEFAULT_TAKE = 25;

export function sonoranCmsScenario(options: SonoranCmsScenarioOptions = {}): SonoranCmsScenario {
    const now = options.now ?? Date.now;
    const blockMs = (options.blockSeconds ?? 3600) * 1000;
    const calls = new Map<string, number[]>();
    const blocked = new Map<string, number>();
    const accounts: Record<string, unknown>[] = [];
    let context: ScenarioContext;
    let served = 0;

    const meta = (request: MockRequest) => ({ timestamp: new Date(now()).toISOString(), path: pathOf(request) });
    const ok = (request: MockRequest, data: unknown): Answer => ({
        status: 200,
        body: { success: true, data, meta: meta(request) },
    });
    const problem = (request: MockRequest, status: number, title: string, detail: string): Answer => ({
        status,
        contentType: "application/problem+json",
        body: { type: "about:blank", title, status, detail, instance: pathOf(request), traceId: traceId(request) },
    });
    const traceId = (request: MockRequest) => hexFrom(`${context.seed} trace ${served} ${request.operation}`, 32);

    /** The gateway's limit for this key and operation; an answer when the call is over it. */
    const limited = (request: MockRequest, key: string): Answer | undefined => {
        if (options.limits === false) return undefined;
        const rule = context.operations.find((o) => o.id === request.operation)?.model.rateLimit;
        const until = blocked.get(key) ?? 0;
        const at = now();
        if (until > at) return tooMany(until - at);
        if (!rule) return undefined;
        const windowMs = rule.perSeconds * 1000;
        const recent = (calls.get(`${key} ${request.operation}`) ?? []).filter((t) => at - t < windowMs);
        if (recent.length >= rule.requests) {
            const freeAt = recent[0]! + windowMs;
            const end = Math.max(freeAt, at + blockMs);
            if (blockMs > 0) blocked.set(key, end);
            return tooMany((blockMs > 0 ? end : freeAt) - at);
        }
        recent.push(at);
        calls.set(`${key} ${request.operation}`, recent);
        return undefined;
    };
    const tooMany = (waitMs: number): Answer => ({
        status: 429,
        ...(options.retryAfter === false ? {} : { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) }),
        body: {
            message: "API rate limit exceeded",
            request_id: uuidFrom(`${context.seed} request ${served}`),
        },
    });

    const listAccounts = (request: MockRequest): Answer => {
        const query = request.params.query as Record<string, unknown>;
        const filters = ["sysStatus", "comStatus", "banned", "archived"].filter((f) => query[f] !== undefined);
        const matching = accounts.filter((a) => filters.every((f) => a[f] === query[f]));
        const skip = typeof query.skip === "number" ? query.skip : 0;
        const take = typeof query.take === "number" ? query.take : DEFAULT_TAKE;
        return ok(request, { items: matching.slice(skip, skip + take), total: matching.length, skip, take });
    };

    return {
        name: "sonoran-cms",
        accounts,
        attach(given) {
            context = given;
            if (!given.operations.some((o) => o.id === "getAccounts")) {
                throw new Error(
                    "the sonoran-cms scenario needs the operation getAccounts; is this specs/sonoran-cms.yaml?",
                );
            }
            if (Array.isArray(options.accounts)) accounts.push(...options.accounts.map((a) => structuredClone(a)));
            else {
                for (let i = 0; i < ((options.accounts as number | undefined) ?? 60); i++) {
                    accounts.push(
                        given.generate("#/components/schemas/AccountSummary", `account ${i}`) as Record<
                            string,
                            unknown
                        >,
                    );
                }
            }
        },
        // No API key at all: the CMS's problem details rather than the simulator's.
        refuse: (request, problems) =>
            problems.every((p) => p.in === "security")
                ? problem(request, 401, "Unauthorized", "An API key is required: Authorization: Bearer <API key>.")
                : undefined,
        answer(request) {
            served++;
            const key = request.credentials.ApiKey;
            if (typeof key !== "string") return undefined;
            if (options.apiKey !== undefined && key !== options.apiKey) {
                return problem(request, 401, "Unauthorized", "The API key is not valid.");
            }
            const over = limited(request, key);
            if (over) return over;
            switch (request.operation) {
                case "getAccounts":
                    return listAccounts(request);
                case "getAccount": {
                    const account = accounts.find((a) => a.accId === request.params.path.accountId);
                    if (!account) {
                        return problem(
                            request,
                            404,
                            "Not Found",
                            `Account ${String(request.params.path.accountId)} was not found in this community.`,
                        );
                    }
                    const example = context.example("getAccount", 200) as { data: Record<string, unknown> };
                    return ok(request, { ...example.data, ...account });
                }
                default:
                    return undefined;
            }
        },
        unblock() {
            blocked.clear();
            calls.clear();
        },
    };
}

/** The push event types the vendor documents (Sonoran CMS docs, `push-events/`). */
export type CmsPushEventType = "ACCOUNT_UPDATED" | "ACCOUNT_KICKED" | "ACCOUNT_BANNED";

/** The `data` of each event, as the vendor's pages show it. */
export const CMS_PUSH_EVENT_EXAMPLES: Readonly<Record<CmsPushEventType, Readonly<Record<string, unknown>>>> = {
    ACCOUNT_UPDATED: {
        discordId: "235947056630333440",
        accId: "67ceebae-ee63-43c1-a6a6-5234b2210abf",
        comStatus: true,
        accName: "Dawson G.",
        comName: "Dawson G.",
        primaryIdentifier: "1A-1",
        secondaryIdentifiers: [],
        primaryRank: "fc2c3825-df41-4485-ad9a-6c2ac900b4f4",
        secondaryRanks: ["331d4ece-b582-4c9c-885b-7060341cf482"],
        primaryDepartment: "00116ef0-9d22-491e-964c-1eb1b6ffd167",
        secondaryDepartments: ["7dbedb0e-4df2-4405-b241-cb5dee253ab8"],
        joinDate: "2022-02-22 20:28:40.000 -0800",
        owner: true,
        banned: false,
        lastLogin: "2022-02-22 22:43:46.000 -0800",
        activeApiIds: ["235947056630333440"],
    },
    ACCOUNT_KICKED: { discordId: "235947056630333440", accountId: "67ceebae-ee63-43c1-a6a6-5234b2210abf" },
    ACCOUNT_BANNED: { discordId: "235947056630333440", accountId: "67ceebae-ee63-43c1-a6a6-5234b2210abf" },
};

/**
 * Sends a Sonoran CMS push event to the community's own server, as the CMS does: `POST` to
 * `http://<ip>:<game port>/sonorancms/events` with `{ key, type, data }`, `key` being the
 * community's API key (no signature; the vendor marks push events "NOT IMPLEMENTED ON
 * PRODUCTION"). `data` defaults to the vendor page's example; when the spec describes the
 * event under `webhooks` (by its type), its example or schema is used and checked instead.
 * The vendor's own receiver answers `ok`, `Event not registered` or `Bad API Key`.
 */
export function sendCmsPushEvent(
    sender: Pick<ScenarioContext, "sendWebhook">,
    target: string,
    type: CmsPushEventType,
    options: { readonly apiKey: string; readonly data?: Readonly<Record<string, unknown>> },
): Promise<WebhookDelivery> {
    return sender.sendWebhook(target, type, {
        ...(options.data !== undefined ? { payload: { key: options.apiKey, type, data: options.data } } : {}),
        // The spec's example carries a placeholder key: the community's own goes in its place.
        adjust: (payload) => ({ ...(payload as Record<string, unknown>), key: options.apiKey, type }),
        fallback: () => ({ key: options.apiKey, type, data: structuredClone(CMS_PUSH_EVENT_EXAMPLES[type]) }),
    });
}

function pathOf(request: MockRequest): string {
    return request.path.replace(
        /\{([^}]+)\}/g,
        (_, name: string) => encodeURIComponent(String(request.params.path[name] ?? "")),
    );
}

function uuidFrom(text: string): string {
    const h = hexFrom(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
