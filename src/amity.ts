import type { Middleware } from "openapi-fetch";
import {
    AmityErrorCode,
    approveJoinRequest as callApproveJoinRequest,
    cancelJoinRequest as callCancelJoinRequest,
    createClient,
    getJoinRequests as callGetJoinRequests,
    getMyJoinRequest as callGetMyJoinRequest,
    joinCommunity as callJoinCommunity,
    leaveCommunity as callLeaveCommunity,
    rejectJoinRequest as callRejectJoinRequest,
    servers,
    type components,
    type paths,
} from "../generated/amity-social-cloud/index.js";
import { createRedactor } from "./runtime/redact.js";
import {
    serverUrl,
    type ApiClient,
    type ApiError,
    type CallOptions,
    type ClientBehaviourOptions,
    type HttpError,
    refuseRequest,
    unexpectedKeys,
} from "./runtime/index.js";

export { AmityErrorCode };
export type { components as AmityComponents, paths as AmityPaths };

/** The regions the spec's server lists: `us`, `eu`, `sg`. */
export type AmityRegion = (typeof servers)[0]["variables"]["region"]["enum"][number];

/** A user access token, or a function that returns the current one (called before every request). */
export type AccessTokenSource = string | (() => string | Promise<string>);

/** Why the server answered 401, as far as its body tells. */
export type UnauthorizedReason =
    /** The token is missing, invalid or expired: a new token can help. */
    | "token"
    /** "User is banned from the system": a new token cannot help. */
    | "system-ban"
    /** The body does not say (the `{ status: "fail", code }` envelope, or a body the spec does not know). */
    | "unknown";

export interface UnauthorizedContext {
    readonly error: HttpError<AmityErrorCode>;
    readonly reason: Exclude<UnauthorizedReason, "system-ban">;
}

/**
 * Also takes the runtime's behaviour options: `timeoutMs`, `retry`, `rateLimit`, `logger`,
 * `maxBodyBytes`, `maxRedirects`, and openapi-fetch `middleware` (run before the one that
 * adds the token, so it never sees the token).
 */
export interface AmityClientOptions extends ClientBehaviourOptions {
    /** Where your network lives; picks `https://apix.<region>.amity.co`. */
    region: AmityRegion;
    /**
     * A user access token, or a function returning the current one, sync or async, called
     * before every request (cache it as you wish). Sent as `Authorization: Bearer …`;
     * never appears in errors or logs.
     */
    accessToken: AccessTokenSource;
    /**
     * Called when the server rejects the token (401, code `400100`, and the body does not
     * say the user is banned from the system). Return a new token and the request is sent
     * once more with it; return nothing and the 401 is the call's result. Concurrent calls
     * that fail together share one invocation. With a string `accessToken`, the new token
     * replaces it for later calls; with a function, later calls ask the function again.
     */
    // A handler that returns nothing (`() => {}`) must be accepted
    onUnauthorized?: (context: UnauthorizedContext) => string | undefined | void | Promise<string | undefined | void>;
    /** Overrides the regional URL (a proxy, a test server). */
    baseUrl?: string;
    fetch?: (input: Request) => Promise<Response>;
}

type Schemas = components["schemas"];
export type JoinCommunityResponse = Schemas["JoinCommunityResponse"];
export type JoinRequest = Schemas["JoinRequest"];
export type JoinRequestStatus = Schemas["JoinRequestStatus"];
export type JoinRequestsPage = Schemas["JoinRequestsPage"];
export type CommunityMembershipResponse = Schemas["CommunityMembershipResponse"];

/**
 * What a join did. `joined`: the request came back `approved`, the user is a member.
 * `pending`: a moderator must decide; `request` is what to cancel, or what a moderator
 * approves or rejects. `rejected` and `cancelled` pass on a status the server gave the
 * fresh request (undocumented for a join, but not hidden).
 */
export interface JoinOutcome {
    readonly status: "joined" | "pending" | "rejected" | "cancelled";
    readonly request: JoinRequest;
    /** The whole 200 body: the request and the users, files and roles it refers to. */
    readonly body: JoinCommunityResponse;
}

/** The calling user's join request to a community, `null` when there is none. */
export interface MyJoinRequest {
    readonly request: JoinRequest | null;
    readonly body: Schemas["JoinRequestPayload"];
}

/** A user whose request a moderator decides: the request itself, or its `requestorInternalId`. */
export type JoinRequestRef = string | Pick<JoinRequest, "requestorInternalId">;

/** One decision per user, in the order given. */
export interface Decisions {
    readonly results: readonly { readonly userId: string; readonly success: boolean }[];
}

/** `Operation` (the spec's operation type) types `error.body` per status, as the spec declares it. */
export type AmityResult<Data, Operation = unknown> =
    | { readonly data: Data; readonly error: undefined; readonly response: Response }
    | {
        readonly data: undefined;
        readonly error: ApiError<AmityErrorCode, Operation>;
        readonly response: Response | undefined;
    };

/** Approve and reject send one request per user; a failure stops the batch and says which users were done. */
export type DecisionsResult =
    | { readonly data: Decisions; readonly error: undefined; readonly response: Response }
    | {
        readonly data: undefined;
        readonly error: ApiError<AmityErrorCode>;
        readonly response: Response | undefined;
        /** Decisions made before the failure. */
        readonly done: Decisions["results"];
        /** The user whose request failed (later users were not sent); undefined when the arguments were refused and nothing was sent. */
        readonly failedUserId: string | undefined;
    };

export type JoinCommunityResult = AmityResult<JoinOutcome, paths["/api/v4/communities/{communityId}/join"]["post"]>;
export type JoinRequestsPageResult = AmityResult<
    JoinRequestsPage,
    paths["/api/v4/communities/{communityId}/join"]["get"]
>;

interface CommunityRef {
    communityId: string;
}

export interface JoinRequestsQuery extends CommunityRef {
    /** Only requests with this status (e.g. `"pending"`). */
    status?: JoinRequestStatus;
    /** Requests per page. */
    limit?: number;
}

export interface AmityClient {
    /**
     * Joins the community as the token's user (`POST /api/v4/communities/{communityId}/join`).
     * `data.status` says whether the user `joined` or is `pending`, with the request.
     * Not retried once it may have reached the server: ask {@link AmityClient.myJoinRequest}.
     */
    joinCommunity(request: CommunityRef, options?: CallOptions): Promise<JoinCommunityResult>;
    /** The calling user's join request (`GET …/join/me`). */
    myJoinRequest(request: CommunityRef, options?: CallOptions): Promise<AmityResult<MyJoinRequest>>;
    /** Withdraws the calling user's pending request (`DELETE …/join`). */
    cancelJoinRequest(request: CommunityRef, options?: CallOptions): Promise<AmityResult<Schemas["SuccessResponse"]>>;
    /**
     * Every page of the community's join requests (`GET …/join`), following `paging.next`.
     * Yields one result per page; stops after the last page or after the first error (which
     * it yields). `options.signal` stops it too.
     */
    joinRequests(query: JoinRequestsQuery, options?: CallOptions): AsyncIterableIterator<JoinRequestsPageResult>;
    /** Approves pending requests, one `POST …/join/approve` per user, in order (moderators). */
    approveJoinRequests(
        request: CommunityRef & { users: JoinRequestRef | readonly JoinRequestRef[] },
        options?: CallOptions,
    ): Promise<DecisionsResult>;
    /** Rejects pending requests, one `POST …/join/reject` per user, in order (moderators). */
    rejectJoinRequests(
        request: CommunityRef & { users: JoinRequestRef | readonly JoinRequestRef[] },
        options?: CallOptions,
    ): Promise<DecisionsResult>;
    /** Leaves the community (`DELETE /api/v3/communities/{communityId}/leave`; there is no v4 route). */
    leave(request: CommunityRef, options?: CallOptions): Promise<AmityResult<CommunityMembershipResponse>>;
    /** The typed openapi-fetch client, with bearer auth already applied. */
    readonly raw: ApiClient<paths>["raw"];
}

/**
 * Why a 401 happened. Code `400100` means an invalid or expired token **and** "User is
 * banned from the system"; only the message tells them apart, and the `fail` envelope has
 * none. `undefined` for any other error.
 */
export function unauthorizedReason(error: ApiError<AmityErrorCode> | undefined): UnauthorizedReason | undefined {
    if (error?.kind !== "http" || error.status !== 401) return undefined;
    const body = error.body as { message?: unknown } | undefined;
    const message = body !== null && typeof body === "object" && typeof body.message === "string"
        ? body.message
        : undefined;
    if (message === undefined || error.code !== AmityErrorCode.Unauthorized) return "unknown";
    return /\bbanned\b/i.test(message) ? "system-ban" : "token";
}

/** The caller's middleware, then the client's own; a malformed list is left for the runtime to refuse. */
function withMiddleware(given: AmityClientOptions["middleware"], own: Middleware): AmityClientOptions["middleware"] {
    if (given === undefined) return [own];
    return Array.isArray(given) ? [...given, own] : given;
}

/** Amity's repetition limiter (`400311`): the same request was repeated too often. */
function isRepetitionLimit(error: ApiError<unknown>): boolean {
    return (error.kind === "rate-limited" || error.kind === "http") && error.code === AmityErrorCode.RateLimitExceeded;
}

/** The caller's retry option with the 400311 veto added; a malformed one is left for the runtime to refuse. */
function withRepetitionVeto(retry: AmityClientOptions["retry"]): AmityClientOptions["retry"] {
    if (retry === false || (retry !== undefined && (typeof retry !== "object" || retry === null))) return retry;
    const own = retry?.isFinal;
    if (own !== undefined && typeof own !== "function") return retry;
    return { ...retry, isFinal: own ? (error) => isRepetitionLimit(error) || own(error) : isRepetitionLimit };
}

/** A client for Amity Social Cloud's community endpoints, authenticated with a bearer token. */
export function createAmityClient(options: AmityClientOptions): AmityClient {
    const { region, accessToken, onUnauthorized, baseUrl, fetch, ...behaviour } = options;
    if (!(typeof accessToken === "function" || (typeof accessToken === "string" && accessToken !== ""))) {
        throw new TypeError("createAmityClient: accessToken is required (a string or a function returning one)");
    }
    if (onUnauthorized !== undefined && typeof onUnauthorized !== "function") {
        throw new TypeError("createAmityClient: onUnauthorized must be a function");
    }
    const tokens = new TokenKeeper(accessToken, onUnauthorized);
    const client = createClient({
        ...behaviour,
        // 400311 means "you repeated this request too often": repeating it is the wrong answer.
        retry: withRepetitionVeto(behaviour.retry),
        baseUrl: baseUrl ?? serverUrl(servers[0], { region }),
        fetch,
        middleware: withMiddleware(behaviour.middleware, tokens.middleware),
        secrets: typeof accessToken === "string" ? [accessToken] : [],
    });

    const join = async (communityId: string, callOptions?: CallOptions): Promise<JoinCommunityResult> => {
        const result = await tokens.authorized((headers) =>
            callJoinCommunity(client, { params: { path: { communityId } }, headers }, callOptions)
        );
        if (result.error) return result;
        const request = result.data.joinRequests[0];
        if (!request) return noJoinRequest(result.response, result.data);
        const status = request.status === "approved" ? "joined" : request.status;
        return { data: { status, request, body: result.data }, error: undefined, response: result.response };
    };

    const decide = (call: typeof callApproveJoinRequest) =>
    async (
        request: CommunityRef & { users: JoinRequestRef | readonly JoinRequestRef[] },
        callOptions?: CallOptions,
    ): Promise<DecisionsResult> => {
        const refusal = refusalOf(request, ["communityId", "users"]) ?? usersRefusal(request.users);
        if (refusal) return { ...(await refusal), done: [], failedUserId: undefined };
        const { communityId, users } = request;
        const userIds = toUserIds(users);
        const done: { userId: string; success: boolean }[] = [];
        let response: Response | undefined;
        for (const userId of userIds) {
            const result = await tokens.authorized((headers) =>
                call(client, { params: { path: { communityId } }, body: { userId }, headers }, callOptions)
            );
            if (result.error) return { ...result, done, failedUserId: userId };
            done.push({ userId, success: result.data.success });
            response = result.response;
        }
        return { data: { results: done }, error: undefined, response: response! };
    };

    async function* joinRequests(
        query: JoinRequestsQuery,
        callOptions?: CallOptions,
    ): AsyncGenerator<JoinRequestsPageResult, void, undefined> {
        const refusal = refusalOf(query, ["communityId", "status", "limit"]);
        if (refusal) {
            yield await refusal;
            return;
        }
        const { communityId, status, limit } = query;
        const seen = new Set<string>();
        let token: string | undefined;
        for (;;) {
            // sdk7 sends the limit on the first page and only the token after it.
            const page = await tokens.authorized((headers) =>
                callGetJoinRequests(
                    client,
                    {
                        params: {
                            path: { communityId },
                            query: {
                                ...(status ? { status } : {}),
                                options: token ? { token } : limit !== undefined ? { limit } : undefined,
                            },
                        },
                        headers,
                    },
                    callOptions,
                )
            );
            yield page;
            const next = page.data?.paging?.next;
            // A server that hands back a token it already gave would otherwise loop forever.
            if (!next || seen.has(next)) return;
            seen.add(next);
            token = next;
        }
    }

    return Object.freeze({
        joinCommunity: (request: CommunityRef, callOptions?: CallOptions): Promise<JoinCommunityResult> =>
            refusalOf(request, ["communityId"]) ?? join(request.communityId, callOptions),
        myJoinRequest: async (
            request: CommunityRef,
            callOptions?: CallOptions,
        ): Promise<AmityResult<MyJoinRequest>> => {
            const refusal = refusalOf(request, ["communityId"]);
            if (refusal) return refusal;
            const { communityId } = request;
            const result = await tokens.authorized((headers) =>
                callGetMyJoinRequest(client, { params: { path: { communityId } }, headers }, callOptions)
            );
            if (result.error) return result;
            return {
                data: { request: result.data.joinRequests[0] ?? null, body: result.data },
                error: undefined,
                response: result.response,
            };
        },
        cancelJoinRequest: (request: CommunityRef, callOptions?: CallOptions) =>
            refusalOf(request, ["communityId"])
                ?? tokens.authorized((headers) =>
                    callCancelJoinRequest(
                        client,
                        { params: { path: { communityId: request.communityId } }, headers },
                        callOptions,
                    )
                ),
        joinRequests,
        approveJoinRequests: decide(callApproveJoinRequest),
        rejectJoinRequests: decide(callRejectJoinRequest),
        leave: (request: CommunityRef, callOptions?: CallOptions) =>
            refusalOf(request, ["communityId"])
                ?? tokens.authorized((headers) =>
                    callLeaveCommunity(
                        client,
                        { params: { path: { communityId: request.communityId } }, headers },
                        callOptions,
                    )
                ),
        raw: client.raw,
    });
}

const MAX_REMEMBERED_TOKENS = 32;

/**
 * Holds the token source: puts the current token on each request, renews it through
 * `onUnauthorized` after a 401 (one renewal shared by calls that fail together), and
 * scrubs every token it has handed out from what calls return.
 */
class TokenKeeper {
    private current: AccessTokenSource;
    private renewal: Promise<string | undefined> | undefined;
    /** Counts successful renewals, so a call can tell that one finished while it was under way. */
    private renewals = 0;
    private lastRenewed: string | undefined;
    /** The tokens recently sent, newest last; older ones have long expired. */
    private readonly handedOut = new Set<string>();
    private redact: <T>(value: T) => T = (value) => value;

    constructor(
        source: AccessTokenSource,
        private readonly onUnauthorized: AmityClientOptions["onUnauthorized"],
    ) {
        this.current = source;
        if (typeof source === "string") this.remember(source);
    }

    /** Adds the bearer token unless the request already carries one (the retry after a renewal does). */
    readonly middleware: Middleware = {
        onRequest: async ({ request }) => {
            if (request.headers.has("Authorization")) return request;
            const token = typeof this.current === "string" ? this.current : await this.current();
            if (typeof token !== "string" || token === "") throw new TypeError("accessToken() returned no token");
            this.remember(token);
            request.headers.set("Authorization", `Bearer ${token}`);
            return request;
        },
    };

    /** Sends once; after a 401 that a new token can fix, renews and sends once more with it. */
    async authorized<Result extends { readonly error: ApiError<AmityErrorCode> | undefined }>(
        send: (headers: Record<string, string> | undefined) => Promise<Result>,
    ): Promise<Result> {
        const renewalsBefore = this.renewals;
        const first = await send(undefined);
        const reason = unauthorizedReason(first.error);
        if (!this.onUnauthorized || reason === undefined || reason === "system-ban") return this.scrub(first);
        // Sent with the old token while another call's renewal finished: use its token, do not renew again.
        const token = this.renewals !== renewalsBefore && this.lastRenewed !== undefined
            ? this.lastRenewed
            : await this.renew({ error: first.error as HttpError<AmityErrorCode>, reason });
        if (token === undefined) return this.scrub(first);
        return this.scrub(await send({ Authorization: `Bearer ${token}` }));
    }

    private renew(context: UnauthorizedContext): Promise<string | undefined> {
        this.renewal ??= (async () => {
            try {
                const token = await this.onUnauthorized!(context);
                if (typeof token !== "string" || token === "") return undefined;
                this.remember(token);
                if (typeof this.current === "string") this.current = token;
                this.lastRenewed = token;
                this.renewals++;
                return token;
            } catch {
                // A renewal that fails leaves the 401 as the call's answer.
                return undefined;
            } finally {
                this.renewal = undefined;
            }
        })();
        return this.renewal;
    }

    private remember(token: string): void {
        if (this.handedOut.has(token)) return;
        this.handedOut.add(token);
        // A token function may hand out a new token every few minutes for months.
        if (this.handedOut.size > MAX_REMEMBERED_TOKENS) this.handedOut.delete(this.handedOut.values().next().value!);
        this.redact = createRedactor([...this.handedOut]).value;
    }

    private scrub<Result extends { error: unknown }>(result: Result): Result {
        return result.error === undefined ? result : { ...result, error: this.redact(result.error) };
    }
}

/**
 * From untyped code: a request that is not an object, or carries a stray key (`signal`,
 * `baseUrl`), is refused as `invalid-request` rather than thrown or silently dropped.
 */
function refusalOf(request: unknown, allowed: readonly string[]): ReturnType<typeof refuseRequest> | undefined {
    if (request === null || typeof request !== "object" || Array.isArray(request)) {
        return refuseRequest("request", `request must be an object with ${allowed.join(", ")}`);
    }
    const [extra] = unexpectedKeys(request, allowed);
    if (extra === undefined) return undefined;
    return refuseRequest(
        `request.${extra}`,
        `request.${extra} is not part of this request; it takes ${
            allowed.join(", ")
        } (options go in the second argument)`,
    );
}

function usersRefusal(users: unknown): ReturnType<typeof refuseRequest> | undefined {
    try {
        toUserIds(users as JoinRequestRef | readonly JoinRequestRef[]);
        return undefined;
    } catch (error) {
        return refuseRequest("request.users", (error as TypeError).message);
    }
}

function toUserIds(users: JoinRequestRef | readonly JoinRequestRef[]): string[] {
    const list: readonly JoinRequestRef[] = typeof users === "string" || !Array.isArray(users)
        ? [users as JoinRequestRef]
        : users;
    if (list.length === 0) throw new TypeError("users: at least one user is required");
    return list.map((user) => {
        const id = typeof user === "string" ? user : user?.requestorInternalId;
        if (typeof id !== "string" || id === "") {
            throw new TypeError("users: each user is a requestorInternalId or a join request");
        }
        return id;
    });
}

function noJoinRequest(response: Response, body: JoinCommunityResponse): JoinCommunityResult {
    const text = JSON.stringify(body);
    return {
        data: undefined,
        error: {
            kind: "invalid-response",
            status: response.status,
            message: `HTTP ${response.status}: the body carries no join request, so whether the user joined is unknown`,
            body: text,
            truncated: false,
        },
        response,
    };
}
