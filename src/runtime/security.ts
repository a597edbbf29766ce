import type { Middleware } from "openapi-fetch";
import type { ClientOptions } from "./client.js";
import type { SecurityRequirements, SecuritySchemeSpec } from "./contract.js";

/** HTTP basic credentials. */
export interface BasicCredentials {
    readonly username: string;
    readonly password: string;
}

/**
 * The credential a scheme takes: basic auth takes a username and password; bearer, API
 * key, OAuth 2 and OpenID Connect schemes take the token or key as a string (OAuth 2 and
 * OpenID tokens are sent as `Authorization: Bearer`).
 */
export type CredentialFor<Scheme extends SecuritySchemeSpec> = Scheme extends
    { readonly type: "http"; readonly scheme: infer S } ? Lowercase<S & string> extends "basic" ? BasicCredentials
    : string
    : Scheme extends { readonly type: "mutualTLS" } ? never
    : string;

/** Credentials by scheme name, each optional: operations whose schemes have none go without. */
export type Credentials<Schemes extends Readonly<Record<string, SecuritySchemeSpec>>> = {
    readonly [Name in keyof Schemes as CredentialFor<Schemes[Name]> extends never ? never : Name]?: CredentialFor<
        Schemes[Name]
    >;
};

/**
 * Client options that apply the given credentials per operation, as each operation's
 * `security` says, and register every one of them for redaction. Requests the table
 * does not know (the raw client on an undeclared path) get no credentials.
 *
 * @param security per operation, keyed `"<method> <path template>"` (`"get /pets/{id}"`)
 */
export function withCredentials<Options extends ClientOptions>(
    options: Options,
    schemes: Readonly<Record<string, SecuritySchemeSpec>>,
    security: Readonly<Record<string, SecurityRequirements>>,
    credentials: Readonly<Record<string, string | BasicCredentials | undefined>> | undefined,
): Options {
    const given = Object.entries(credentials ?? {}).filter(
        (entry): entry is [string, string | BasicCredentials] => entry[1] !== undefined,
    );
    if (given.length === 0) return options;
    for (const [name, value] of given) {
        const scheme = schemes[name];
        if (!scheme) {
            throw new TypeError(
                `Unknown security scheme "${name}"; the spec declares: ${Object.keys(schemes).join(", ") || "none"}`,
            );
        }
        if (scheme.type === "mutualTLS") {
            throw new TypeError(`"${name}" is mutual TLS: configure it on the fetch or agent, not as a credential`);
        }
        const basic = scheme.type === "http" && scheme.scheme.toLowerCase() === "basic";
        if (basic !== (typeof value === "object")) {
            throw new TypeError(
                `The credential for "${name}" must be ${basic ? "{ username, password }" : "a string"}`,
            );
        }
    }
    const applied = new Map(given);
    const middleware: Middleware = {
        async onRequest({ request, schemaPath }) {
            const requirements = security[`${request.method.toLowerCase()} ${schemaPath}`];
            // The first alternative all of whose schemes have a credential.
            const chosen = requirements?.find((names) => names.every((name) => applied.has(name)));
            if (!chosen || chosen.length === 0) return undefined;
            let url: URL | undefined;
            const headers = new Headers(request.headers);
            for (const name of chosen) {
                const scheme = schemes[name]!;
                const value = applied.get(name)!;
                if (scheme.type === "apiKey") {
                    const key = value as string;
                    if (scheme.in === "header") headers.set(scheme.name, key);
                    else if (scheme.in === "query") (url ??= new URL(request.url)).searchParams.set(scheme.name, key);
                    else {headers.set(
                            "Cookie",
                            [headers.get("Cookie"), `${scheme.name}=${encodeURIComponent(key)}`].filter(Boolean).join(
                                "; ",
                            ),
                        );}
                } else if (typeof value === "object") {
                    headers.set("Authorization", `Basic ${basicToken(value)}`);
                } else {
                    headers.set("Authorization", `Bearer ${value}`);
                }
            }
            if (!url) {
                headers.forEach((value, header) => request.headers.set(header, value));
                return request;
            }
            // A new URL needs a new Request; the body (already serialised) goes with it.
            const body = request.body === null ? undefined : await request.arrayBuffer();
            return new Request(url, {
                method: request.method,
                headers,
                body,
                signal: request.signal,
                redirect: request.redirect,
            });
        },
    };
    const secrets = given.flatMap(([, value]) =>
        typeof value === "string" ? [value, encodeURIComponent(value)] : [value.password, basicToken(value)]
    );
    const callers = options.middleware;
    return {
        ...options,
        // A malformed list is left as it is, for createApiClient to refuse by name.
        middleware: callers === undefined ? [middleware] : Array.isArray(callers) ? [...callers, middleware] : callers,
        secrets: [...(options.secrets ?? []), ...new Set(secrets)],
    };
}

/** RFC 7617: base64 of the UTF-8 bytes of `username:password`, in any JavaScript runtime. */
function basicToken({ username, password }: BasicCredentials): string {
    let binary = "";
    for (const byte of new TextEncoder().encode(`${username}:${password}`)) binary += String.fromCharCode(byte);
    return btoa(binary);
}
