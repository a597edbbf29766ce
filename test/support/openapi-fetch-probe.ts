import type { Middleware } from "openapi-fetch";

/** The header the probe tags each request with: openapi-fetch's own id for it. */
export const PROBE_HEADER = "x-openapi-fetch-id";

/** One request as openapi-fetch's middleware chain handed it to the probe. */
export interface ProbedRequest {
    /** openapi-fetch's id for the request (its `randomID()`), also sent as PROBE_HEADER. */
    readonly id: string;
    readonly method: string;
    readonly schemaPath: string;
    readonly params: unknown;
}

/**
 * Registers a middleware on an openapi-fetch client itself (`raw.use`, after the client was
 * made, so joinkit never holds it): only openapi-fetch's own request path can reach it. It
 * records each request and tags it with openapi-fetch's id, so a test can match what the
 * server received with the requests openapi-fetch made, one for one.
 */
export function probeOpenapiFetch(raw: { use(...middleware: Middleware[]): void }): ProbedRequest[] {
    const seen: ProbedRequest[] = [];
    raw.use({
        onRequest({ request, schemaPath, params, id }) {
            seen.push({ id, method: request.method, schemaPath, params });
            request.headers.set(PROBE_HEADER, id);
            return undefined;
        },
    });
    return seen;
}
