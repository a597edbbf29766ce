import createClient, { type Client, type HeadersOptions, type Middleware } from "openapi-fetch";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";
import type { Logger } from "./log.js";
import { credentialTag } from "./rate-limit.js";
import { createRedactor } from "./redact.js";
import { DEFAULT_RETRY, NO_RETRY, type RetryPolicy } from "./retry.js";

/** How calls behave; every field has a documented default and can be set per call too. */
export interface CallBehaviour {
    /**
     * Per attempt, from sending the request to reading its body. Default 30 000 ms.
     * `Infinity` turns it off (and, with no `signal`, saves the ~6 µs a cancellable
     * request costs).
     */
    timeoutMs?: number;
    /**
     * Retries for operations the spec marks safe to repeat (`x-idempotent`, or GET, HEAD,
     * PUT, DELETE, OPTIONS): on 429, 502, 503, 504, network errors and timeouts, with
     * exponential backoff and jitter, honouring `Retry-After`. `false` turns them off.
     * Default: 3 attempts, 500 ms first backoff, 8 s at most, `Retry-After` up to 60 s.
     */
    retry?: Partial<RetryPolicy> | false;
}

export interface ClientOptions extends CallBehaviour {
    /** Root URL of the API; defaults to the spec's first server. */
    baseUrl?: string;
    /** A `fetch` to use instead of the global one. */
    fetch?: (input: Request) => Promise<Response>;
    /** Headers sent with every request. */
    headers?: HeadersOptions;
    /** openapi-fetch middleware, run in order for every request (auth, tracing, …). */
    middleware?: readonly Middleware[];
    /** Values (API keys, tokens) scrubbed from every error and log event. */
    secrets?: readonly string[];
    /**
     * Queue calls to stay under the spec's `x-rate-limit` (a token bucket per credential
     * and operation, shared by clients with the same credentials). Default `true`.
     */
    rateLimit?: boolean;
    /** Receives redacted request, response, retry and queueing events. */
    logger?: Logger;
    /** Bodies past this many bytes are not read; the call fails `invalid-response`. Default 16 MiB. */
    maxBodyBytes?: number;
}

/** The options a ready-made client (Sonoran, Amity) passes through to the runtime. */
export type ClientBehaviourOptions = Pick<ClientOptions, "timeoutMs" | "retry" | "rateLimit" | "logger" | "maxBodyBytes">;

/** A typed client for one API: the openapi-fetch client plus joinkit's per-client settings. */
export interface ApiClient<Paths extends {}> {
    /** The typed openapi-fetch client, for anything the generated wrappers do not cover. */
    readonly raw: Client<Paths>;
}

export interface ClientSettings {
    /** Sends a request; `signal` cancels it (timeout or caller abort), body reading included. */
    readonly fetch: (request: Request, signal: AbortSignal | undefined) => Promise<Response>;
    readonly redact: <T>(value: T) => T;
    readonly timeoutMs: number;
    readonly retry: RetryPolicy;
    readonly rateLimitKey: string | undefined;
    readonly logger: Logger | undefined;
    readonly maxBodyBytes: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

// Settings live outside the client object so that secrets are not reachable by
// inspecting, spreading or serialising it.
const settingsByClient = new WeakMap<object, ClientSettings>();

export function createApiClient<Paths extends {}>(options: ClientOptions = {}): ApiClient<Paths> {
    const raw = createClient<Paths>({ baseUrl: options.baseUrl, headers: options.headers });
    raw.use(...(options.middleware ?? []));
    const client: ApiClient<Paths> = Object.freeze({ raw });
    const redact = createRedactor(options.secrets ?? []);
    settingsByClient.set(client, {
        // The signal goes to fetch's own init rather than into openapi-fetch's Request: a
        // Request that follows a signal costs ~6 µs to build, and fetch builds one anyway.
        // The global fetch is looked up per call, so one installed later (instrumentation) is used.
        fetch: options.fetch
            ? (request, signal) => options.fetch!(signal ? new Request(request, { signal }) : request)
            : (request, signal) => globalThis.fetch(request, signal ? { signal } : undefined),
        redact,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        retry: retryPolicy(DEFAULT_RETRY, options.retry),
        rateLimitKey: options.rateLimit === false ? undefined : credentialTag([options.baseUrl ?? "", ...(options.secrets ?? [])]),
        logger: options.logger && ((event) => options.logger!(redact(event))),
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    });
    return client;
}

export function retryPolicy(base: RetryPolicy, override: Partial<RetryPolicy> | false | undefined): RetryPolicy {
    if (override === false) return NO_RETRY;
    return { ...base, ...override };
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
