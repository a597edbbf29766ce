import { escapePointer } from "../spec/json-pointer.js";
import { asObject, type Json } from "../model/context.js";
import type { MockDocument } from "./document.js";
import type { MockOperation } from "./operations.js";
import type { RequestProblem } from "./problem.js";

/** A credential as it arrived: a token or key, or basic auth's user and password. */
export type Credential = string | { readonly username: string; readonly password: string };

export interface SecurityCheck {
    /** The credentials the request carries, by scheme name (of the alternative it satisfied). */
    readonly credentials: Record<string, Credential>;
    /** Query keys that carry API keys: not parameters, not refused as unknown. */
    readonly queryKeys: ReadonlySet<string>;
    readonly problems: RequestProblem[];
}

/**
 * Whether the request carries what one alternative of the operation's `security` asks for,
 * as joinkit/runtime's security.ts sends it: bearer tokens (also OAuth 2 and OpenID
 * Connect) and basic auth in `Authorization`, API keys in their header, query parameter or
 * cookie. Presence and form are checked, not values: a scenario decides which tokens it
 * knows. Mutual TLS cannot be seen from here and counts as present.
 */
export function checkSecurity(
    operation: MockOperation,
    document: MockDocument,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    query: readonly (readonly [string, string])[],
): SecurityCheck {
    const schemes = asObject(asObject(document.parsed.components).securitySchemes);
    const { requirements, pointer } = operation.security;
    const queryKeys = new Set<string>();
    for (const requirement of requirements) {
        for (const name of Object.keys(requirement)) {
            const scheme = asObject(
                document.deref(schemes[name], `#/components/securitySchemes/${escapePointer(name)}`).value,
            );
            if (scheme.type === "apiKey" && scheme.in === "query" && typeof scheme.name === "string") {
                queryKeys.add(scheme.name);
            }
        }
    }
    if (requirements.length === 0) return { credentials: {}, queryKeys, problems: [] };
    const wanted: string[] = [];
    for (const requirement of requirements) {
        const names = Object.keys(requirement);
        const credentials: Record<string, Credential> = {};
        let satisfied = true;
        for (const name of names) {
            const scheme = asObject(
                document.deref(schemes[name], `#/components/securitySchemes/${escapePointer(name)}`).value,
            );
            const found = presented(scheme, headers, query);
            if (found === undefined) {
                satisfied = false;
                wanted.push(`${describeScheme(scheme)} (${name})`);
            } else if (found !== true) credentials[name] = found;
        }
        if (satisfied) return { credentials, queryKeys, problems: [] };
    }
    return {
        credentials: {},
        queryKeys,
        problems: [{
            in: "security",
            message: `carries no credentials the operation accepts; send ${[...new Set(wanted)].join(", or ")}`,
            pointer,
        }],
    };
}

/** The credential a scheme finds in the request; `true` when it cannot be seen (mutual TLS, unknown schemes). */
function presented(
    scheme: Json,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    query: readonly (readonly [string, string])[],
): Credential | true | undefined {
    const authorization = first(headers.authorization);
    switch (scheme.type) {
        case "http": {
            const kind = String(scheme.scheme ?? "").toLowerCase();
            const match = /^(\S+)\s+(.+)$/.exec(authorization ?? "");
            if (!match || match[1]!.toLowerCase() !== kind) return undefined;
            if (kind !== "basic") return match[2]!.trim();
            const decoded = Buffer.from(match[2]!.trim(), "base64").toString("utf8");
            const colon = decoded.indexOf(":");
            return colon === -1 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
        }
        case "oauth2":
        case "openIdConnect": {
            const match = /^bearer\s+(\S.*)$/i.exec(authorization ?? "");
            return match ? match[1]!.trim() : undefined;
        }
        case "apiKey": {
            const name = String(scheme.name ?? "");
            if (scheme.in === "header") return nonEmpty(first(headers[name.toLowerCase()]));
            if (scheme.in === "query") {
                const pair = query.find(([key]) => key === name);
                return pair ? nonEmpty(decode(pair[1])) : undefined;
            }
            if (scheme.in === "cookie") {
                const cookie = (first(headers.cookie) ?? "").split(/;\s*/).find((c) => c.startsWith(`${name}=`));
                return cookie ? nonEmpty(decode(cookie.slice(name.length + 1))) : undefined;
            }
            return undefined;
        }
        default:
            return true;
    }
}

function describeScheme(scheme: Json): string {
    switch (scheme.type) {
        case "http":
            return String(scheme.scheme).toLowerCase() === "basic"
                ? "Authorization: Basic <user:password>"
                : `Authorization: ${capitalized(String(scheme.scheme))} <token>`;
        case "apiKey":
            return `${String(scheme.name)} (an API key in the ${String(scheme.in)})`;
        default:
            return "Authorization: Bearer <token>";
    }
}

function capitalized(word: string): string {
    return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function first(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

function nonEmpty(value: string | undefined): string | undefined {
    return value === undefined || value === "" ? undefined : value;
}

function decode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}
