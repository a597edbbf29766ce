import type { Answer } from "../responses.js";
import type { MockRequest, Scenario, ScenarioContext } from "../server.js";

/**
 * Sonoran CAD's `POST /sso/community`, from `specs/sonoran-cad.yaml` plus the community's
 * members: join adds the accounts, leave removes them, and the four plain-text errors come
 * back as the vendor sends them, in this order (the simulator's; the vendor documents
 * none): `INVALID COMMUNITY ID`, `INVALID API KEY` (a wrong `key` or `internalKey`), `API
 * IS NOT ENABLED FOR THIS COMMUNITY`, then `INVALID REQUEST TYPE` for a `type` that is
 * neither action (which the spec's own check would otherwise refuse as a problem).
 */
export interface SonoranCadScenarioOptions {
    /** The communities by ID; another ID gets `INVALID COMMUNITY ID`. Default: any ID and key are accepted. */
    readonly communities?: Readonly<Record<string, SonoranCadCommunity>>;
}

export interface SonoranCadCommunity {
    readonly apiKey: string;
    /** The internal key (default: any). */
    readonly internalKey?: string;
    /** API access on the community's plan (default true; a free community has none). */
    readonly apiEnabled?: boolean;
    /** Accounts that are members from the start. */
    readonly members?: readonly string[];
}

export interface SonoranCadScenario extends Scenario {
    /** A community's member accounts. */
    members(communityId: string): readonly string[];
}

const ACTIONS = ["JOIN_COMMUNITY", "LEAVE_COMMUNITY"];

export function sonoranCadScenario(options: SonoranCadScenarioOptions = {}): SonoranCadScenario {
    const members = new Map<string, Set<string>>();
    for (const [id, community] of Object.entries(options.communities ?? {})) {
        members.set(id, new Set(community.members));
    }
    const memberSet = (id: string) => {
        let set = members.get(id);
        if (!set) members.set(id, set = new Set());
        return set;
    };
    const text = (message: string): Answer => ({ status: 400, contentType: "text/plain", body: message });

    /** The vendor's refusal of the credentials and plan, before the action is looked at. */
    const credentialsRefusal = (body: Record<string, unknown>): Answer | undefined => {
        if (!options.communities) return undefined;
        const community = typeof body.id === "string" ? options.communities[body.id] : undefined;
        if (!community) return text("INVALID COMMUNITY ID");
        if (body.key !== community.apiKey) return text("INVALID API KEY");
        if (community.internalKey !== undefined && body.internalKey !== community.internalKey) {
            return text("INVALID API KEY");
        }
        if (community.apiEnabled === false) return text("API IS NOT ENABLED FOR THIS COMMUNITY");
        return undefined;
    };

    return {
        name: "sonoran-cad",
        attach(context: ScenarioContext) {
            if (!context.operations.some((o) => o.method === "post" && o.path === "/sso/community")) {
                throw new Error("the sonoran-cad scenario needs POST /sso/community; is this specs/sonoran-cad.yaml?");
            }
        },
        refuse(request: MockRequest) {
            const body = request.body;
            if (request.path !== "/sso/community" || body === null || typeof body !== "object" || Array.isArray(body)) {
                return undefined;
            }
            const fields = body as Record<string, unknown>;
            const refusal = credentialsRefusal(fields);
            if (refusal) return refusal;
            // Only an unknown action is the vendor's to answer; any other mistake stays the simulator's problem.
            return typeof fields.type === "string" && !ACTIONS.includes(fields.type)
                ? text("INVALID REQUEST TYPE")
                : undefined;
        },
        answer(request: MockRequest) {
            if (request.path !== "/sso/community") return undefined;
            const body = request.body as { id: string; type: string; data: { account: string }[] };
            const refusal = credentialsRefusal(body);
            if (refusal) return refusal;
            const set = memberSet(body.id);
            for (const { account } of body.data) {
                if (body.type === "JOIN_COMMUNITY") set.add(account);
                else set.delete(account);
            }
            return { status: 200 };
        },
        members: (communityId) => [...(members.get(communityId) ?? [])],
    };
}
