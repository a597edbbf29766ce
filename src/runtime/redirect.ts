import type { RedirectRefusal } from "./errors.js";

/** Statuses that redirect (300, 304 and 305 do not: they are answers). */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

export const DEFAULT_MAX_REDIRECTS = 5;

export type RedirectDecision =
    | { readonly action: "none" }
    | { readonly action: "follow"; readonly request: Request }
    | {
        readonly action: "refuse";
        readonly reason: RedirectRefusal;
        readonly location: string;
        readonly message: string;
    };

/**
 * What to do with a response to `request`, sent with `redirect: "manual"`. joinkit follows
 * a redirect only to the same origin (scheme, host and port), so a credential in a header,
 * the URL or the body never reaches a host the user did not point the client at, and never
 * travels over plain http after https. A 301/302/303 to a non-GET operation would turn it
 * into a GET without its body, so it is refused rather than reported as that operation's
 * success; 307/308 keep the method and body and are followed (same origin only).
 * `replayBody` is the request body for a 307/308 hop.
 */
export function decideRedirect(
    request: Request,
    response: Response,
    hopsSoFar: number,
    maxRedirects: number,
    replayBody: BodyInit | undefined,
): RedirectDecision {
    if (response.redirected && response.url && new URL(response.url).origin !== new URL(request.url).origin) {
        // A custom fetch that follows redirects itself: too late to stop it, but never a success.
        return refuse(
            "cross-origin",
            response.url,
            `the request was redirected to another origin (${response.url}) by the fetch in use; not a success`,
        );
    }
    if (!REDIRECTS.has(response.status)) return { action: "none" };
    const header = response.headers.get("Location");
    if (header === null) return { action: "none" }; // nothing to follow: an answer like any other
    const from = new URL(request.url);
    let target: URL;
    try {
        target = new URL(header, from);
    } catch {
        return refuse(
            "invalid-location",
            header,
            `HTTP ${response.status} redirected to ${header}, which is not a URL`,
        );
    }
    const location = target.href;
    if (target.protocol !== "http:" && target.protocol !== "https:") {
        return refuse(
            "invalid-location",
            location,
            `HTTP ${response.status} redirected to ${location}, which is not an http(s) URL`,
        );
    }
    if (from.protocol === "https:" && target.protocol === "http:") {
        return refuse(
            "insecure",
            location,
            `HTTP ${response.status} redirected from https to plain http (${location}); not followed, nothing was sent there`,
        );
    }
    if (target.origin !== from.origin) {
        return refuse(
            "cross-origin",
            location,
            `HTTP ${response.status} redirected to another origin (${location}); not followed, so the call's credentials were not sent there`,
        );
    }
    const method = request.method.toUpperCase();
    const keepsMethod = response.status === 307 || response.status === 308;
    if (!keepsMethod && !SAFE_METHODS.has(method)) {
        return refuse(
            "method-change",
            location,
            `HTTP ${response.status} to ${method} ${from.pathname} would be re-sent as a GET without its body (to ${location}); not followed, and not a success`,
        );
    }
    if (hopsSoFar >= maxRedirects) {
        return refuse(
            "too-many",
            location,
            `more than ${maxRedirects} redirects (the last to ${location}); not followed`,
        );
    }
    const nextMethod = response.status === 303 && method !== "HEAD" ? "GET" : method;
    const headers = new Headers(request.headers);
    const body = nextMethod === method && keepsMethod ? replayBody : undefined;
    if (body === undefined) {
        headers.delete("Content-Type");
        headers.delete("Content-Length");
    }
    return {
        action: "follow",
        request: new Request(target, { method: nextMethod, headers, body, redirect: "manual" }),
    };
}

function refuse(reason: RedirectRefusal, location: string, message: string): RedirectDecision {
    return { action: "refuse", reason, location, message };
}
