/**
 * The body of the thread that runs openapi-typescript: it loads openapi-typescript (and the
 * TypeScript it brings) once, then turns each document it is sent into `schema.ts` text.
 *
 * It runs from this function's own source (see emit-schema.ts), so one file serves from
 * source in tests and from dist alike: it must use nothing from its module scope, only
 * `require` (never `import()`, which test runners rewrite) and the data it is started with.
 */
export function schemaWorkerMain(): void {
    const { parentPort, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
    type OpenapiTypescript = typeof import("openapi-typescript");
    const { openapiTypescript } = workerData as SchemaWorkerData;
    // The CommonJS build, loaded once, when the worker starts (require.resolve found it):
    // jobs sent meanwhile wait in the port's queue.
    let api: OpenapiTypescript | Error;
    try {
        api = require(openapiTypescript) as OpenapiTypescript;
    } catch (error) {
        api = error as Error;
    }
    parentPort!.on("message", async ({ id, document }: SchemaJob) => {
        try {
            if (api instanceof Error) throw api;
            // Defaults are what the server assumes when a field is absent: optional for callers.
            const ast = await api.default(document as unknown as Parameters<OpenapiTypescript["default"]>[0], { silent: true, defaultNonNullable: false });
            parentPort!.postMessage({ id, text: api.astToString(ast) } satisfies SchemaAnswer);
        } catch (error) {
            parentPort!.postMessage({ id, error: String((error as Error | undefined)?.message || error) } satisfies SchemaAnswer);
        }
    });
}

/** What the worker is started with. */
export interface SchemaWorkerData {
    /** Where openapi-typescript is installed, resolved by the main thread. */
    readonly openapiTypescript: string;
}

/** One document to type. */
export interface SchemaJob {
    readonly id: number;
    readonly document: Record<string, unknown>;
}

/** `schema.ts` text for a job, or why there is none. */
export type SchemaAnswer = { readonly id: number; readonly text: string; readonly error?: undefined } | { readonly id: number; readonly error: string; readonly text?: undefined };
