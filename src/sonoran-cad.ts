import {
    createClient,
    joinCommunity as callJoinCommunity,
    servers,
    SonoranCadError,
    type components,
    type paths,
} from "../generated/sonoran-cad/index.js";
import {
    refuseRequest,
    unexpectedKeys,
    type ApiClient,
    type CallOptions,
    type ClientBehaviourOptions,
    type OperationResult,
} from "./runtime/index.js";

export { SonoranCadError };
export type { components as SonoranCadComponents, paths as SonoranCadPaths };

/**
 * Also takes the runtime's behaviour options: `timeoutMs`, `retry`, `rateLimit`, `logger`,
 * `maxBodyBytes`, `maxRedirects`, and openapi-fetch `middleware`.
 */
export interface SonoranCadClientOptions extends ClientBehaviourOptions {
    /** Your community's ID. */
    communityId: string;
    /** Your community's API key. Never appears in errors or logs. */
    apiKey: string;
    /**
     * The internal key this endpoint requires. Sonoran does not issue it to the public (the
     * endpoint is internal to the Sonoran CMS product). Never appears in errors or logs.
     */
    internalKey: string;
    /** Defaults to the spec's server, `https://api.sonorancad.com`. */
    baseUrl?: string;
    fetch?: (input: Request) => Promise<Response>;
}

/** One account ID, an `{ account }` object, or a list of either. */
export type AccountsInput = string | AccountReference | readonly (string | AccountReference)[];
export type AccountReference = components["schemas"]["AccountReference"];

export interface MembershipRequest {
    accounts: AccountsInput;
}

export type MembershipResult = OperationResult<paths["/sso/community"]["post"], SonoranCadError>;

export interface SonoranCadClient {
    /** Adds the accounts to the community (`POST /sso/community`, `type: JOIN_COMMUNITY`). */
    joinCommunity(request: MembershipRequest, options?: CallOptions): Promise<MembershipResult>;
    /** Removes the accounts from the community (`POST /sso/community`, `type: LEAVE_COMMUNITY`). */
    leaveCommunity(request: MembershipRequest, options?: CallOptions): Promise<MembershipResult>;
    /** The typed openapi-fetch client; it does not add credentials to bodies for you. */
    readonly raw: ApiClient<paths>["raw"];
}

/**
 * A client for Sonoran CAD's community endpoints. Credentials travel in each request's
 * JSON body, as the CAD API requires; the client adds them, and scrubs them from errors.
 *
 * The endpoint is **internal**: the vendor documents it "for internal documentation only
 * for the CMS program" and issues no `internalKey` to the public, so most integrators
 * cannot call it; the Sonoran CMS product is its caller. Joins and leaves are not retried
 * once they may have reached the server (no source says repeating them is harmless).
 */
export function createSonoranCadClient(options: SonoranCadClientOptions): SonoranCadClient {
    const { communityId, apiKey, internalKey, baseUrl, fetch, ...behaviour } = options;
    for (const [name, value] of Object.entries({ communityId, apiKey, internalKey })) {
        if (typeof value !== "string" || value === "") {
            throw new TypeError(`createSonoranCadClient: ${name} is required`);
        }
    }
    const client = createClient({
        ...behaviour,
        rateLimit: perCommunity(behaviour.rateLimit, baseUrl ?? servers[0].url, communityId),
        baseUrl,
        fetch,
        secrets: [apiKey, internalKey],
    });
    const membership =
        (type: "JOIN_COMMUNITY" | "LEAVE_COMMUNITY") =>
        (request: MembershipRequest, callOptions?: CallOptions): Promise<MembershipResult> => {
            const [extra] = unexpectedKeys(request, ["accounts"]);
            if (extra !== undefined) {
                return refuseRequest(
                    "request." + extra,
                    `request.${extra} is not part of the request; it takes accounts (credentials are the client's, options go in the second argument)`,
                );
            }
            let data: AccountReference[];
            try {
                data = toAccountList(request?.accounts);
            } catch (error) {
                return refuseRequest("request.accounts", (error as TypeError).message);
            }
            return callJoinCommunity(
                client,
                { body: { id: communityId, key: apiKey, internalKey, type, data } },
                callOptions,
            );
        };
    return Object.freeze({
        joinCommunity: membership("JOIN_COMMUNITY"),
        leaveCommunity: membership("LEAVE_COMMUNITY"),
        raw: client.raw,
    });
}

/**
 * Sonoran's pacing belongs to the community, not to a client object or an API key: every
 * client of one community (a rotated key included) shares the spec's `x-rate-limit` — a
 * sustained call per second, and one join or leave in flight at a time. A caller's own
 * `rateLimit: { key }` or `false` wins; a malformed value is left for the runtime to refuse.
 */
function perCommunity(
    rateLimit: SonoranCadClientOptions["rateLimit"],
    baseUrl: string,
    communityId: string,
): SonoranCadClientOptions["rateLimit"] {
    if (
        rateLimit === false
        || (rateLimit !== undefined && rateLimit !== true && (typeof rateLimit !== "object" || rateLimit === null))
    ) return rateLimit;
    if (typeof rateLimit === "object" && rateLimit.key !== undefined) return rateLimit;
    return {
        ...(typeof rateLimit === "object" ? rateLimit : {}),
        key: JSON.stringify(["sonoran-cad", baseUrl.replace(/\/+$/, ""), communityId]),
    };
}

/** The CAD API takes `[{ account }]`; accept what the official SDK accepts and normalise. */
export function toAccountList(accounts: AccountsInput): AccountReference[] {
    const list = typeof accounts === "string" || !Array.isArray(accounts)
        ? [accounts as string | AccountReference]
        : accounts;
    if (list.length === 0) throw new TypeError("accounts: at least one account is required");
    return list.map((entry, i) => {
        const account = typeof entry === "string"
            ? entry
            : entry !== null && typeof entry === "object"
            ? (entry as AccountReference).account
            : undefined;
        if (typeof account !== "string" || account === "") {
            throw new TypeError(`accounts[${i}]: an account is a non-empty string or { account: string }`);
        }
        return { account };
    });
}
