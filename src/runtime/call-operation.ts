import type { ApiClient } from "./client.js";
import { settingsOf } from "./client.js";
import { decodeHttpError, decodeSuccess } from "./decode.js";
import type { ApiError } from "./errors.js";
import type { OperationInit, OperationResult, OperationSpec } from "./operation.js";

/** Per-call options that are not part of the HTTP request itself. */
export interface CallOptions {
    /** Aborts the call. */
    signal?: AbortSignal;
}

type LooseRequest = (
    method: string,
    path: string,
    init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * Runs one operation through the client's openapi-fetch instance and turns whatever
 * happens into `{ data, error, response }`. Every generated wrapper is a call to this.
 */
export async function callOperation<Paths extends {}, Operation, Code>(
    client: ApiClient<Paths>,
    spec: OperationSpec,
    init: OperationInit<Operation> | undefined,
    options: CallOptions = {},
): Promise<OperationResult<Operation, Code>> {
    const { redact } = settingsOf(client);
    // The generated wrapper's signature carries the precise types; openapi-fetch's own
    // generics cannot be re-derived from a runtime path string, so call it loosely.
    const request = client.raw.request as unknown as LooseRequest;
    try {
        const { data, error, response } = await request(spec.method, spec.path, {
            ...init,
            signal: options.signal,
            parseAs: "text",
        });
        if (response.ok) {
            const decoded = decodeSuccess<Code>(response, data as string | undefined);
            if (decoded.error) return fail(redact(decoded.error), response);
            return { data: decoded.data, error: undefined, response } as OperationResult<Operation, Code>;
        }
        return fail(redact(decodeHttpError<Code>(response.status, response.statusText, error, spec.errors)), response);
    } catch (cause) {
        return fail(
            redact({ kind: "network", message: `Request failed: ${(cause as Error)?.message ?? String(cause)}`, cause }),
            undefined,
        );
    }
}

function fail<Operation, Code>(error: ApiError<Code>, response: Response | undefined): OperationResult<Operation, Code> {
    return { data: undefined, error, response };
}
