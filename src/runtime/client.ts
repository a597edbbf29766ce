import createClient, { type Client, type HeadersOptions, type Middleware } from "openapi-fetch";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { Exchange } from "./exchange.js";
import type { Logger } from "./log.js";
import { CLIENT_CHECKS, optionProblems, withDefaults } from "./options.js";
import type { RequestRefused } from "./params.js";
import type { RateLimitRule } from "./contract.js";
import { createRedactor, type Redactor } from "./redact.js";
import { DEFAULT_MAX_REDIRECTS } from "./redirect.js";
import { mergeHeaders } from "./request.js";
import { DEFAULT_RETRY, NO_RETRY, type RetryPolicy } from "./retry.js";

/** How calls behave; every field has a documented default and can be set per call too. */
export interface CallBehaviour {
    /**
     * Per attempt, from sending the request to reading its body. Default 30 000 ms. Any
     * duration works; `Infinity` turns it off (and, with no `signal`, saves the
     * `AbortController` and timer a cancellable request needs: a few µs per call, more on Node 20).
     */
    timeoutMs?: number;
    /**
     * Retries for operations the spec marks safe to repeat (`x-idempotent`, or GET, HEAD,
     * PUT, DELETE, OPTIONS): on 429, 502, 503, 504, network errors and timeouts, with
     * exponential backoff and jitter, honouring `Retry-After`. `false` turns them off.
     * Default: 3 attempts, 500 ms first backoff, 8 s at most, `Retry-After` up to 60 s.
     * A field left `undefined` keeps its default.
     */
    retry?: Partial<RetryPolicy> | false;
}

/** Which calls share a rate-limit bucket, and a limit for operations whose spec declares none. */
export interface RateLimitOptions {
    /**
     * Calls made with the same key share one bucket per operation, across every client in
     * the process (e.g. one per tenant or community). Default: the client's identity — its
     * `baseUrl` and every secret, in full.
     */
    key?: string;
    /** Applies to operations without an `x-rate-limit` of their own. */
    limit?: RateLimitRule;
}

export interface ClientOptions extends CallBehaviour {
    /** Root URL of the API (absolute http or https); defaults to the spec's first server. */
    baseUrl?: string;
    /** A `fetch` to use instead of the global one. It is called with `redirect: "manual"`. */
    fetch?: (input: Request) => Promise<Response>;
    /** Headers sent with every request. */
    headers?: HeadersOptions;
    /**
     * openapi-fetch middleware, registered on the client's openapi-fetch client (`raw`), so it
     * runs for every request, the wrappers' included, as openapi-fetch documents: `onRequest`
     * in order, `onResponse` and `onError` in reverse. `raw.use()` adds more later.
     */
    middleware?: readonly Middleware[];
    /** Values (API keys, tokens) scrubbed from every error and log event. */
    secrets?: readonly string[];
    /**
     * Queue calls to stay under the spec's `x-rate-limit` (a token bucket, optionally with a
     * cap on calls in flight, per identity and operation, shared by every client with the
     * same identity). Default `true`; an object picks the identity or adds a limit.
     */
    rateLimit?: boolean | RateLimitOptions;
    /** Receives redacted request, response, redirect, retry and queueing events. */
    logger?: Logger;
    /** Bodies past this many (decoded) bytes are not read; the call fails `invalid-response`. Default 16 MiB. */
    maxBodyBytes?: number;
    /** Same-origin redirects of safe operations followed per attempt. Default 5; `0` follows none. */
    maxRedirects?: number;
}

/** The options a ready-made client (Sonoran, Amity) passes through to the runtime. */
export type ClientBehaviourOptions = Pick<
    ClientOptions,
    "timeoutMs" | "retry" | "rateLimit" | "logger" | "maxBodyBytes" | "maxRedirects" | "middleware"
>;

/** A typed client for one API: the openapi-fetch client plus joinkit's per-client settings. */
export interface ApiClient<Paths extends {}> {
    /**
     * The typed openapi-fetch client every call of the client goes through (the generated
     * wrappers' too), for anything the wrappers do not cover. Called directly, it never
     * follows redirects (a 3xx comes back as the response).
     */
    readonly raw: Client<Paths>;
}

export interface ClientSettings {
    /** Sends a request (never following redirects); `signal` cancels it, body reading included. */
    readonly fetch: (request: Request, signal: AbortSignal | undefined) => Promise<Response>;
    readonly baseUrl: string;
    readonly headers: Headers | undefined;
    readonly redactor: Redactor;
    readonly timeoutMs: number;
    readonly retry: RetryPolicy;
    /** Whom rate-limit buckets belong to; undefined when rate limiting is off. */
    readonly rateLimit: { readonly identity: string; readonly limit?: RateLimitRule } | undefined;
    readonly logger: Logger | undefined;
    readonly maxBodyBytes: number;
    readonly maxRedirects: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

// Settings live outside the client object so that secrets are not reachable by
// inspecting, spreading or serialising it.
const settingsByClient = new WeakMap<object, ClientSettings>();

/**
 * Creates a client. Every option is checked here: a wrong type, a negative, NaN or
 * infinite number (where a finite one is needed) or an unknown option throws a
 * `TypeError` naming it; `undefined` means the default.
 */
export function createApiClient<Paths extends {}>(options: ClientOptions = {}): ApiClient<Paths> {
    const problems = optionProblems(options, CLIENT_CHECKS, "options");
    if (options.baseUrl === undefined) {
        problems.push(["options.baseUrl", "is required: the spec names no absolute server URL"]);
    }
    if (problems.length > 0) {
        throw new TypeError(`joinkit: ${problems.map(([path, problem]) => `${path} ${problem}`).join("; ")}`);
    }
    const baseUrl = options.baseUrl!.replace(/\/+$/, "");
    let headers: Headers | undefined;
    if (options.headers !== undefined) {
        headers = new Headers();
        try {
            mergeHeaders(headers, options.headers, "options.headers");
        } catch (error) {
            throw new TypeError(`joinkit: ${(error as RequestRefused).message}`, { cause: error });
        }
    }
    const userFetch = options.fetch;
    // Every call goes through this client (exchange.ts). Called directly, it never follows
    // redirects either: a 3xx comes back as the response. The headers are the checked ones
    // (openapi-fetch itself would read an array of pairs as an object).
    const raw = createClient<Paths>({
        baseUrl,
        headers,
        redirect: "manual",
        ...(userFetch ? { fetch: userFetch } : {}),
    });
    // The tap first: it must see each request before, and each response after, the user's.
    raw.use(Exchange.tap, ...(options.middleware ?? []).filter((m): m is Middleware => m !== undefined));
    const client: ApiClient<Paths> = Object.freeze({ raw });
    const secrets = options.secrets ?? [];
    const redactor = createRedactor(secrets);
    const rateLimit = options.rateLimit ?? true;
    settingsByClient.set(client, {
        // The signal goes to fetch's own init rather than into the Request: fetch builds a
        // Request anyway, and a second one following the signal costs more than the init.
        // The global fetch is looked up per call, so one installed later (instrumentation) is used.
        fetch: userFetch
            ? (request, signal) => userFetch(signal ? new Request(request, { signal }) : request)
            : (request, signal) => globalThis.fetch(request, signal ? { signal } : undefined),
        baseUrl,
        headers,
        redactor,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        retry: retryPolicy(DEFAULT_RETRY, options.retry),
        rateLimit: rateLimit === false
            ? undefined
            : {
                identity: typeof rateLimit === "object" && rateLimit.key !== undefined
                    ? `key ${rateLimit.key}`
                    : `client ${JSON.stringify([baseUrl, ...secrets])}`,
                limit: typeof rateLimit === "object" ? rateLimit.limit : undefined,
            },
        logger: options.logger && ((event) => options.logger!(redactor.value(event))),
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    });
    return client;
}

/** The policy with `override` applied; `undefined` fields keep the base's value. */
export function retryPolicy(base: RetryPolicy, override: Partial<RetryPolicy> | false | undefined): RetryPolicy {
    if (override === false) return NO_RETRY;
    if (override === undefined) return base;
    const merged = withDefaults(base, override);
    // A veto cannot be lifted by a later layer (a per-call policy), only added to.
    const [first, second] = [base.isFinal, override?.isFinal];
    return first && second && first !== second
        ? { ...merged, isFinal: (error) => first(error) || second(error) }
        : merged;
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
