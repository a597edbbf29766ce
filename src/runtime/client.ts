import createClient, { type Client, type HeadersOptions, type Middleware } from "openapi-fetch";
import { createRedactor } from "./redact.js";

export interface ClientOptions {
    /** Root URL of the API; defaults to the spec's first server. */
    baseUrl?: string;
    /** A `fetch` to use instead of the global one. */
    fetch?: (input: Request) => Promise<Response>;
    /** Headers sent with every request. */
    headers?: HeadersOptions;
    /** openapi-fetch middleware, run in order for every request (auth, logging, …). */
    middleware?: readonly Middleware[];
    /** Values (API keys, tokens) scrubbed from every error the client hands back. */
    secrets?: readonly string[];
}

/** A typed client for one API: the openapi-fetch client plus joinkit's per-client settings. */
export interface ApiClient<Paths extends {}> {
    /** The typed openapi-fetch client, for anything the generated wrappers do not cover. */
    readonly raw: Client<Paths>;
}

export interface ClientSettings {
    readonly redact: <T>(value: T) => T;
}

// Settings live outside the client object so that secrets are not reachable by
// inspecting, spreading or serialising it.
const settingsByClient = new WeakMap<object, ClientSettings>();

export function createApiClient<Paths extends {}>(options: ClientOptions = {}): ApiClient<Paths> {
    const raw = createClient<Paths>({
        baseUrl: options.baseUrl,
        fetch: options.fetch,
        headers: options.headers,
    });
    raw.use(...(options.middleware ?? []));
    const client: ApiClient<Paths> = Object.freeze({ raw });
    settingsByClient.set(client, { redact: createRedactor(options.secrets ?? []) });
    return client;
}

export function settingsOf(client: ApiClient<{}>): ClientSettings {
    const settings = settingsByClient.get(client);
    if (!settings) throw new TypeError("Not a joinkit client: create it with createApiClient()");
    return settings;
}

/** Middleware that sends `Authorization: Bearer <token>` with every request. */
export function bearerAuth(token: string): Middleware {
    return {
        onRequest({ request }) {
            request.headers.set("Authorization", `Bearer ${token}`);
            return request;
        },
    };
}
