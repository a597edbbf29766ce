import { createHmac } from "node:crypto";
import { hexFrom } from "../random.js";
import type { Answer } from "../responses.js";
import type { MockRequest, Scenario, ScenarioContext } from "../server.js";
import type { WebhookDelivery } from "../webhooks.js";

/**
 * Amity Social Cloud's join-request lifecycle, from `specs/amity-social-cloud.yaml` plus
 * a little state: join → joined (approved at once) or pending; `myJoinRequest`, cancel,
 * approve and reject move the request; leave ends a membership; an expired token gets 401
 * `400100` until it is renewed; the repetition limiter answers `400311`. Bodies are the
 * spec's examples with this state's ids and statuses, so they match the spec.
 *
 * Where the vendor documents no outcome, this simulator's choice is named: a second join
 * while pending or by a member is `409`/`400900` (the spec's "likely" conflict); a cancel,
 * approval or rejection with no pending request, and a leave by a non-member, are
 * `404`/`400400`.
 */
export interface AmityScenarioOptions {
    /**
     * The network's communities, by ID; a community not listed does not exist (404,
     * `400400`). Default: every community exists and takes members at once.
     */
    readonly communities?: Readonly<Record<string, AmityCommunity>>;
    /** Access tokens and their users (`token → userId`); another token is refused (401). Default: any token, its user named after it. */
    readonly users?: Readonly<Record<string, string>>;
    /**
     * The repetition limiter: more than `max` identical requests (same user, operation,
     * parameters and body) within `windowMs` get 429 `400311`. Default 3 per 60 s; `false`
     * turns it off.
     */
    readonly repetition?: { readonly max: number; readonly windowMs: number } | false;
    /** Where `user.didJoinCommunity` goes when a user joins, signed with `secret` (`x-amity-signature`). */
    readonly webhook?: { readonly url: string; readonly secret: string };
    /** The clock (default `Date.now`): timestamps and the limiter's window. */
    readonly now?: () => number;
}

export interface AmityCommunity {
    /** A join files a pending request a moderator must decide (default false: joined at once). */
    readonly needsApproval?: boolean;
    /** The users who may approve and reject (default: anyone). */
    readonly moderators?: readonly string[];
    /** Users who are members from the start. */
    readonly members?: readonly string[];
}

/** A join request as the simulator holds it (the spec's `JoinRequest`). */
export interface AmityJoinRequest {
    readonly _id: string;
    readonly networkId: string;
    readonly targetId: string;
    readonly targetType: "community";
    readonly type: "communityJoinRequest";
    readonly userId: string;
    status: "pending" | "approved" | "rejected" | "cancelled";
    respondedAt: string | null;
    updatedAt: string;
    readonly createdAt: string;
    readonly joinRequestId: string;
    readonly requestorId: string;
    readonly requestorPublicId: string;
    readonly requestorInternalId: string;
    responderId: string | null;
    responderPublicId: string | null;
    responderInternalId: string | null;
}

export interface AmityScenario extends Scenario {
    /** The token stops working: requests with it get 401 `400100` (an expired token) until the client renews it. */
    expireToken(token: string): void;
    /** The user is banned from the system: 401 `400100` "User is banned from the system", which no new token fixes. */
    banFromSystem(userId: string): void;
    /** A community's join requests, oldest first. */
    joinRequests(communityId: string): readonly AmityJoinRequest[];
    /** A community's members. */
    members(communityId: string): readonly string[];
    /** The user a token belongs to, and its internal ID (what approve and reject take). */
    userOf(token: string): { readonly userId: string; readonly internalId: string };
    /** The `user.didJoinCommunity` deliveries made so far (with `webhook`). */
    readonly deliveries: readonly WebhookDelivery[];
    /** Resolves once every webhook delivery under way has been answered. */
    delivered(): Promise<void>;
}

const NETWORK_ID = "5f1f3c1e9a2b3c4d5e6f7a8b";

export function amityScenario(options: AmityScenarioOptions = {}): AmityScenario {
    const now = options.now ?? Date.now;
    const repetition = options.repetition === undefined ? { max: 3, windowMs: 60_000 } : options.repetition;
    const expired = new Set<string>();
    const banned = new Set<string>();
    const requests = new Map<string, AmityJoinRequest[]>();
    const members = new Map<string, Set<string>>();
    const recent = new Map<string, number[]>();
    const deliveries: WebhookDelivery[] = [];
    const pending = new Set<Promise<unknown>>();
    let context: ScenarioContext;
    let counter = 0;

    for (const [id, community] of Object.entries(options.communities ?? {})) {
        members.set(id, new Set(community.members));
    }
    const memberSet = (communityId: string) => {
        let set = members.get(communityId);
        if (!set) members.set(communityId, set = new Set());
        return set;
    };
    const requestList = (communityId: string) => {
        let list = requests.get(communityId);
        if (!list) requests.set(communityId, list = []);
        return list;
    };
    const userOf = (token: string) => {
        const userId = options.users?.[token] ?? `user-${hexFrom(token, 8)}`;
        return { userId, internalId: internalIdOf(userId) };
    };
    const internalIdOf = (userId: string) => hexFrom(`internal ${userId}`, 24);
    const userByInternalId = (internalId: string) => {
        for (const list of requests.values()) {
            for (const request of list) if (request.requestorInternalId === internalId) return request.userId;
        }
        return undefined;
    };
    const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const error = (status: number, code: number, message: string): Answer => ({
        status,
        body: { status: "error", code, message },
    });
    const payload = (request: AmityJoinRequest) => {
        const template = context.example("joinCommunity", 200, "joined") as { users: Record<string, unknown>[] };
        const user = {
            ...template.users[0],
            _id: request.requestorInternalId,
            userId: request.userId,
            userInternalId: request.requestorInternalId,
            userPublicId: request.userId,
            path: `networks/${NETWORK_ID}/users/${request.userId}`,
        };
        return { joinRequests: [request], users: [user], files: [] };
    };
    const respond = (request: AmityJoinRequest, status: AmityJoinRequest["status"], responder: string) => {
        request.status = status;
        request.respondedAt = request.updatedAt = iso();
        request.responderId = request.responderPublicId = responder;
        request.responderInternalId = internalIdOf(responder);
    };
    const joined = (communityId: string, userId: string) => {
        memberSet(communityId).add(userId);
        if (!options.webhook) return;
        const { url, secret } = options.webhook;
        const delivery = sendAmityEvent(context, url, "user.didJoinCommunity", {
            secret,
            data: { communityId, userId },
        }).then((sent) => deliveries.push(sent));
        pending.add(delivery);
        void delivery.finally(() => pending.delete(delivery));
    };
    /** A limiter key: the same user sending the same request. */
    const repeated = (request: MockRequest, userId: string): boolean => {
        if (repetition === false) return false;
        const key = JSON.stringify([userId, request.operation, request.params, request.body ?? null]);
        const times = (recent.get(key) ?? []).filter((t) => now() - t < repetition.windowMs);
        times.push(now());
        recent.set(key, times);
        return times.length > repetition.max;
    };

    return {
        name: "amity",
        deliveries,
        attach(given) {
            context = given;
            for (
                const id of [
                    "joinCommunity",
                    "getMyJoinRequest",
                    "cancelJoinRequest",
                    "getJoinRequests",
                    "approveJoinRequest",
                    "rejectJoinRequest",
                    "leaveCommunity",
                ]
            ) {
                if (!given.operations.some((o) => o.id === id)) {
                    throw new Error(
                        `the amity scenario needs the operation ${id}; is this specs/amity-social-cloud.yaml?`,
                    );
                }
            }
        },
        // No token at all: the vendor's 401 envelope rather than the simulator's problem.
        refuse: (_request, problems) =>
            problems.every((p) => p.in === "security") ? error(401, 400100, "Unauthorized") : undefined,
        answer(request) {
            const token = request.credentials.BearerAuth;
            if (typeof token !== "string") return undefined;
            if (options.users && !(token in options.users)) return error(401, 400100, "Unauthorized");
            if (expired.has(token)) return error(401, 400100, "Unauthorized");
            const { userId, internalId } = userOf(token);
            if (banned.has(userId)) return error(401, 400100, "User is banned from the system");
            if (repeated(request, userId)) return error(429, 400311, "Too many repeated requests.");
            const communityId = String(request.params.path.communityId);
            const community = options.communities ? options.communities[communityId] : {};
            if (!community) return error(404, 400400, "Community not found.");
            const list = requestList(communityId);
            const mine = () => list.filter((r) => r.userId === userId).at(-1);
            const canModerate = !community.moderators || community.moderators.includes(userId);

            switch (request.operation) {
                case "joinCommunity": {
                    if (memberSet(communityId).has(userId) || mine()?.status === "pending") {
                        return error(409, 400900, "Conflict.");
                    }
                    const id = hexFrom(`request ${communityId} ${userId} ${++counter}`, 24);
                    const created: AmityJoinRequest = {
                        _id: id,
                        networkId: NETWORK_ID,
                        targetId: communityId,
                        targetType: "community",
                        type: "communityJoinRequest",
                        userId,
                        status: "pending",
                        respondedAt: null,
                        updatedAt: iso(),
                        createdAt: iso(),
                        joinRequestId: id,
                        requestorId: userId,
                        requestorPublicId: userId,
                        requestorInternalId: internalId,
                        responderId: null,
                        responderPublicId: null,
                        responderInternalId: null,
                    };
                    list.push(created);
                    if (!community.needsApproval) {
                        respond(created, "approved", userId);
                        joined(communityId, userId);
                    }
                    return { status: 200, body: payload(created) };
                }
                case "getMyJoinRequest": {
                    const request = mine();
                    return {
                        status: 200,
                        body: request ? payload(request) : { joinRequests: [], users: [], files: [] },
                    };
                }
                case "cancelJoinRequest": {
                    const request = mine();
                    if (request?.status !== "pending") return error(404, 400400, "No pending join request.");
                    respond(request, "cancelled", userId);
                    return { status: 200, body: { success: true } };
                }
                case "getJoinRequests": {
                    const query = request.params.query as {
                        status?: string;
                        options?: { limit?: number; token?: string };
                    };
                    const matching = list.filter((r) => query.status === undefined || r.status === query.status);
                    // The token carries the page size: sdk7 sends options[limit] on the first page only.
                    let offset = 0;
                    let limit = query.options?.limit ?? 20;
                    if (query.options?.token !== undefined) {
                        const cursor = /^(\d+):(\d+)$/.exec(Buffer.from(query.options.token, "base64url").toString());
                        if (!cursor) return error(400, 400000, "Bad request.");
                        [offset, limit] = [Number(cursor[1]), Number(cursor[2])];
                    }
                    const page = matching.slice(offset, offset + limit);
                    const next = offset + limit < matching.length
                        ? Buffer.from(`${offset + limit}:${limit}`).toString("base64url")
                        : undefined;
                    return {
                        status: 200,
                        body: { joinRequests: page, users: [], files: [], paging: next ? { next } : {} },
                    };
                }
                case "approveJoinRequest":
                case "rejectJoinRequest": {
                    if (!canModerate) return error(403, 400301, "Permission denied.");
                    const target = userByInternalId(String((request.body as { userId: string }).userId));
                    const found = list.filter((r) => r.userId === target && r.status === "pending").at(-1);
                    if (!found) return error(404, 400400, "Join request not found.");
                    const approve = request.operation === "approveJoinRequest";
                    respond(found, approve ? "approved" : "rejected", userId);
                    if (approve) joined(communityId, found.userId);
                    return { status: 200, body: { success: true } };
                }
                case "leaveCommunity": {
                    const set = memberSet(communityId);
                    if (!set.delete(userId)) return error(404, 400400, "Not a member of this community.");
                    return {
                        status: 200,
                        body: {
                            communities: [{ communityId, isJoined: false, membersCount: set.size }],
                            communityUsers: [{ userId, communityId, communityMembership: "none" }],
                            users: [],
                            files: [],
                        },
                    };
                }
                default:
                    return undefined;
            }
        },
        expireToken: (token) => void expired.add(token),
        banFromSystem: (userId) => void banned.add(userId),
        joinRequests: (communityId) => [...(requests.get(communityId) ?? [])],
        members: (communityId) => [...(members.get(communityId) ?? [])],
        userOf,
        delivered: async () => {
            while (pending.size > 0) await Promise.all([...pending]);
        },
    };
}

/**
 * Sends an Amity webhook event to the integrator's endpoint as Amity does: a JSON `POST`
 * signed with `x-amity-signature` (the base64 HMAC-SHA256 of the raw body with the
 * webhook's secret), given up after Amity's 1.5 s. The body is `{ event, data }`: the
 * vendor's pages name the events and the `event` field but not the rest of the body, so
 * `data` is what the caller gives. When the spec describes the event under `webhooks`
 * (by its name), its example or schema is used and checked instead.
 */
export function sendAmityEvent(
    sender: Pick<ScenarioContext, "sendWebhook">,
    target: string,
    event: string,
    options: { readonly secret: string; readonly data?: unknown },
): Promise<WebhookDelivery> {
    return sender.sendWebhook(target, event, {
        sign: (body) => ({ "x-amity-signature": amitySignature(options.secret, body) }),
        ...(options.data !== undefined ? { payload: { event, data: options.data } } : {}),
        fallback: () => ({ event, data: {} }),
        timeoutMs: 1500,
    });
}

/** `x-amity-signature`: the base64 HMAC-SHA256 of the raw body with the webhook's secret (social.plus docs, Webhook Events). */
export function amitySignature(secret: string, body: Uint8Array | string): string {
    return createHmac("sha256", secret).update(body).digest("base64");
}
