import {
    AmityErrorCode,
    createClient,
    joinCommunity as callJoinCommunity,
    servers,
    type components,
    type paths,
} from "../generated/amity-social-cloud/index.js";
import { bearerAuth, serverUrl, type ApiClient, type CallOptions, type ClientBehaviourOptions, type OperationResult } from "./runtime/index.js";

export { AmityErrorCode };
export type { components as AmityComponents, paths as AmityPaths };

/** The regions the spec's server lists: `us`, `eu`, `sg`. */
export type AmityRegion = (typeof servers)[0]["variables"]["region"]["enum"][number];

/** Also takes the runtime's behaviour options: `timeoutMs`, `retry`, `rateLimit`, `logger`, `maxBodyBytes`. */
export interface AmityClientOptions extends ClientBehaviourOptions {
    /** Where your network lives; picks `https://apix.<region>.amity.co`. */
    region: AmityRegion;
    /** A user access token. Sent as `Authorization: Bearer …`; never appears in errors or logs. */
    accessToken: string;
    /** Overrides the regional URL (a proxy, a test server). */
    baseUrl?: string;
    fetch?: (input: Request) => Promise<Response>;
}

export type JoinCommunityResponse = components["schemas"]["JoinCommunityResponse"];
export type JoinCommunityResult = OperationResult<
    paths["/api/v4/communities/{communityId}/join"]["post"],
    AmityErrorCode
>;

export interface AmityClient {
    /** Joins the community as the token's user (`POST /api/v4/communities/{communityId}/join`). */
    joinCommunity(request: { communityId: string }, options?: CallOptions): Promise<JoinCommunityResult>;
    /** The typed openapi-fetch client, with bearer auth already applied. */
    readonly raw: ApiClient<paths>["raw"];
}

/** A client for Amity Social Cloud's community endpoints, authenticated with a bearer token. */
export function createAmityClient(options: AmityClientOptions): AmityClient {
    if (typeof options.accessToken !== "string" || options.accessToken === "") {
        throw new TypeError("createAmityClient: accessToken is required");
    }
    const { region, accessToken, baseUrl, fetch, ...behaviour } = options;
    const client = createClient({
        ...behaviour,
        baseUrl: baseUrl ?? serverUrl(servers[0], { region }),
        fetch,
        middleware: [bearerAuth(accessToken)],
        secrets: [accessToken],
    });
    return Object.freeze({
        joinCommunity: ({ communityId }: { communityId: string }, callOptions?: CallOptions) =>
            callJoinCommunity(client, { params: { path: { communityId } } }, callOptions),
        raw: client.raw,
    });
}
