/**
 * How a call travels through openapi-fetch. Every attempt is one `raw.request()` on the
 * client's openapi-fetch client (`ApiClient.raw`), so openapi-fetch builds the `Request`,
 * runs every middleware as it documents them, and calls `fetch`. joinkit hands it the
 * request it prepared, and wraps what openapi-fetch cannot express itself:
 *
 * - the parts: `pathSerializer` and `querySerializer` return the path and query joinkit
 *   wrote in each parameter's style, `bodySerializer` passes the encoded body through,
 *   `headers` and `params` are shaped so openapi-fetch's merge gives joinkit's headers (see
 *   PreparedRequest);
 * - `fetch` is the exchange's own (`send`): the attempt's deadline, the logger's events
 *   and joinkit's redirect policy (`redirect: "manual"`, same-origin, method-safe, bodies
 *   replayed only on 307/308), so middleware sees one request and its final response;
 * - the body: openapi-fetch would read every body whole once the middleware is done with
 *   it, so a middleware joinkit registers first on every client (the tap: its `onResponse`
 *   runs last) takes the response and hands openapi-fetch an empty 204 in its place;
 *   `callOperation` then reads the body with the byte cap and decodes it by status.
 */
import type { Middleware } from "openapi-fetch";
import type { ClientSettings } from "./client.js";
import type { OperationSpec } from "./contract.js";
import { loggableHeaders } from "./log.js";
import { decideRedirect, type RedirectDecision } from "./redirect.js";
import type { PreparedRequest } from "./request.js";

/** The one openapi-fetch method joinkit calls, without the per-path types a generic caller cannot name. */
export interface Carrier {
    request(
        method: string,
        path: string,
        init: Readonly<Record<string, unknown>>,
    ): Promise<{ readonly error?: unknown; readonly response: Response }>;
}

/** A redirect joinkit will not follow, and the 3xx response that asked for it. */
export interface RefusedRedirect {
    readonly decision: Extract<RedirectDecision, { action: "refuse" }>;
    readonly response: Response;
}

/** What one attempt came back with from openapi-fetch. */
export interface Carried {
    /** The response after every middleware (or the one an `onRequest` answered with). */
    readonly response: Response;
    /** Set when the response is a redirect joinkit refused to follow. */
    readonly refused?: RefusedRedirect;
    /**
     * Set when openapi-fetch read the body itself: an `onRequest` that answers with a
     * Response skips `fetch` and every `onResponse` (as openapi-fetch documents), and
     * openapi-fetch then reads an error status's body whole; this is what it read (its
     * JSON re-serialised when it parsed it).
     */
    readonly text?: string;
}

// openapi-fetch hands every middleware the `fetch` it was called with (`options.fetch`): an
// exchange's own, which carries the exchange, is how the tap tells joinkit's calls (and
// which one) from raw ones. (A property rather than a WeakMap: a WeakMap entry per call
// cost more garbage-collection time than the rest of the exchange.)
const EXCHANGE = Symbol("joinkit exchange");

interface ExchangeFetch {
    (request: Request): Promise<Response>;
    [EXCHANGE]?: Exchange;
}

function exchangeOf(fetch: unknown): Exchange | undefined {
    return (fetch as ExchangeFetch | undefined)?.[EXCHANGE];
}

// Bodiless, so openapi-fetch returns at once without reading anything; never read, so
// one serves every call.
const TAKEN = new Response(null, { status: 204 });

/** The encoded body, as is: joinkit wrote it for its media type already. */
const passBody = (body: unknown): unknown => body;

/** One call's trip through openapi-fetch, once per attempt. Attempts run one at a time. */
export class Exchange {
    private readonly init: Readonly<Record<string, unknown>>;
    private signal: AbortSignal | undefined;
    private attempt = 0;
    /** The request openapi-fetch built, as the tap saw it before any other middleware. */
    private built: Request | undefined;
    /** The response after every other middleware, as the tap took it. */
    private taken: Response | undefined;
    private refused: RefusedRedirect | undefined;

    constructor(
        private readonly carrier: Carrier,
        private readonly settings: ClientSettings,
        private readonly spec: OperationSpec,
        private readonly prepared: PreparedRequest,
    ) {
        const fetch: ExchangeFetch = (request: Request) => this.send(request);
        fetch[EXCHANGE] = this;
        // One shape for every call (openapi-fetch copies this object on every request, and
        // copies of one shape are markedly cheaper than of several).
        const init: Record<string, unknown> = {
            params: prepared.params,
            headers: prepared.headers,
            body: prepared.body,
            bodySerializer: passBody,
            pathSerializer: () => prepared.target,
            querySerializer: () => prepared.search,
            // Left unread when openapi-fetch gets to it (an `onRequest`'s 2xx answer).
            parseAs: "stream",
            fetch,
        };
        // Node sends a stream body only with `duplex: "half"`; openapi-fetch passes it to the Request.
        if (prepared.once) init.duplex = "half";
        this.init = init;
    }

    /** Sends one attempt; `signal` cancels it (body reading included). Rejects when fetch or a middleware throws. */
    async carry(attempt: number, signal: AbortSignal | undefined): Promise<Carried> {
        this.attempt = attempt;
        this.signal = signal;
        this.built = this.taken = this.refused = undefined;
        const result = await this.carrier.request(this.prepared.method, this.spec.path, this.init);
        if (this.taken) return { response: this.taken, refused: this.refused };
        const { response } = result;
        if (!response.bodyUsed) return { response };
        return { response, text: typeof result.error === "string" ? result.error : JSON.stringify(result.error) };
    }

    /** The exchange's `fetch`: sends the request middleware produced, following only the redirects joinkit allows. */
    private async send(input: Request): Promise<Response> {
        const { settings, prepared, attempt } = this;
        const logger = settings.logger;
        // Whatever middleware builds, joinkit decides about redirects.
        let request = input.redirect === "manual" ? input : new Request(input, { redirect: "manual" });
        // A 307/308 hop re-sends the body; middleware may have replaced it, so then keep its own copy.
        const replayBody = prepared.once
            ? undefined
            : input === this.built
            ? prepared.body
            : request.body
            ? await request.clone().arrayBuffer()
            : undefined;
        this.refused = undefined;
        for (let hops = 0;;) {
            logger?.({
                type: "request",
                attempt,
                method: request.method,
                url: request.url,
                headers: loggableHeaders(request.headers),
            });
            const started = logger ? performance.now() : 0;
            const received = await settings.fetch(request, this.signal);
            logger?.({
                type: "response",
                attempt,
                method: request.method,
                url: request.url,
                status: received.status,
                ms: Math.round(performance.now() - started),
            });
            // A streamed body is gone once sent: a 307/308 that would re-send it comes back as the answer.
            const decision = prepared.once && (received.status === 307 || received.status === 308)
                ? ({ action: "none" } as const)
                : decideRedirect(request, received, hops, settings.maxRedirects, replayBody);
            if (decision.action === "none") return received;
            if (decision.action === "refuse") {
                // Middleware sees the 3xx as fetch returned it; the call ends with the refusal.
                this.refused = { decision, response: received };
                return received;
            }
            await received.body?.cancel().catch(() => {});
            hops++;
            logger?.({
                type: "redirect",
                attempt,
                method: request.method,
                from: request.url,
                to: decision.request.url,
                status: received.status,
            });
            request = decision.request;
        }
    }

    /**
     * Registered first on every client, so its `onRequest` runs before any other and its
     * `onResponse` after every other. Raw calls pass untouched.
     */
    static readonly tap: Middleware = {
        onRequest({ request, options }) {
            const exchange = exchangeOf(options.fetch);
            if (exchange) exchange.built = request;
            return undefined;
        },
        onResponse({ response, options }) {
            const exchange = exchangeOf(options.fetch);
            if (!exchange) return undefined;
            exchange.taken = response;
            return TAKEN;
        },
    };
}
