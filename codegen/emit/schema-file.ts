import module, { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ApiModel } from "../model/index.js";
import { schemaWorkerMain, type SchemaAnswer, type SchemaJob, type SchemaWorkerData } from "./schema-worker.js";
import { SpecError } from "../core/spec-error.js";
import { printable } from "../core/terminal.js";

// openapi-typescript (and the TypeScript it loads) runs in a worker thread: its module
// loading overlaps with reading and bundling, and its transform with lint and the printing
// of the other files on the main thread. The worker's body is a type-checked function in
// schema-worker.ts, started from its source text: the same code runs from source in tests
// and from dist, with no loader for TypeScript in the worker.
const WORKER_SOURCE = `(${schemaWorkerMain.toString()})();`;

/**
 * V8 sizes a thread's young generation from the machine's memory, up to 128 MB on this one,
 * and grows it to the limit while openapi-typescript builds its syntax tree, most of which
 * survives: that space was a tenth of a run's peak RSS on DigitalOcean (about 40 MB) and
 * saved no CPU time measurably. The main thread's cannot be set from inside the process.
 */
const WORKER_YOUNG_GENERATION_MB = 24;

type Job = { resolve: (text: string) => void; reject: (error: Error) => void };
/** Every file the worker has told it loaded (for the check cache's fingerprint: check-cache.ts). */
const workerModules = new Set<string>();

/** The files openapi-typescript's thread has loaded in this process, as it last said. */
export function schemaWorkerModules(): readonly string[] {
    return [...workerModules];
}
let worker: Worker | undefined;
const jobs = new Map<number, Job>();
let nextJob = 0;

function typesWorker(): Worker {
    if (worker) return worker;
    const openapiTypescriptDist = path.dirname(createRequire(import.meta.url).resolve("openapi-typescript"));
    const started = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { openapiTypescriptDist, compileCache: compileCacheOn() } satisfies SchemaWorkerData,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    started.on("message", ({ id, text, error, modules }: SchemaAnswer) => {
        for (const file of modules ?? []) workerModules.add(file);
        const job = jobs.get(id);
        if (job === undefined) return; // let go of (see emitSchema)
        jobs.delete(id);
        if (jobs.size === 0) started.unref();
        if (error === undefined) job.resolve(text!);
        else job.reject(new Error(error));
    });
    started.on("error", (error) => {
        for (const job of jobs.values()) job.reject(error);
        jobs.clear();
        worker = undefined;
    });
    // Idle, it must not keep the process alive; busy, it must.
    started.unref();
    worker = started;
    return started;
}

/** Whether this process uses Node's compile cache (Node >= 22.1, enabled by the bin). */
function compileCacheOn(): boolean {
    return (module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.() !== undefined;
}

/** Starts loading openapi-typescript in the background, ahead of the first `emitSchema`. */
export function warmUpSchemaEmitter(): void {
    typesWorker();
}

/**
 * `schema.ts`: the `paths`, `components` and `operations` types, by openapi-typescript,
 * from the patched document (see types-input.ts), then a named type per component schema.
 */
export function emitSchema(
    document: Record<string, unknown>,
    model: ApiModel,
    file: string,
    signal?: AbortSignal,
): Promise<string> {
    // Not async: the worker has its own copy once posted, and this thread's must not be
    // kept alive (in the awaiting frame) while openapi-typescript works.
    return schemaText(postJob(document, signal), model, file);
}

/** Sends the document to the worker; its answer, to come. */
function postJob(document: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    const target = typesWorker();
    const id = nextJob++;
    const text = new Promise<string>((resolve, reject) => jobs.set(id, { resolve, reject }));
    target.ref();
    target.postMessage({ id, document } satisfies SchemaJob);
    // A run that stops before it needs the types (a lint error found meanwhile) lets go of
    // its job: the answer is dropped, and the worker no longer keeps the process alive for it.
    signal?.addEventListener("abort", () => {
        if (!jobs.delete(id)) return;
        if (jobs.size === 0) target.unref();
    }, { once: true });
    return text;
}

async function schemaText(text: Promise<string>, model: ApiModel, file: string): Promise<string> {
    let types: string;
    try {
        types = soundHelpers(await text);
    } catch (error) {
        throw new SpecError([{
            file,
            rule: "openapi-typescript",
            message: (error as Error).message,
            severity: "error",
        }]);
    }
    // openapi-typescript copies descriptions into comments as they are: escape control
    // characters there too (outside comments it has none raw, so this changes no meaning).
    return printable(`${types}${emitSchemaTypes(model)}`);
}

/** Named exports for component schemas, appended to `schema.ts`: `Todo` beside `components["schemas"]["Todo"]`. */
function emitSchemaTypes(model: ApiModel): string {
    if (model.schemaTypes.length === 0) return "";
    const lines = model.schemaTypes.map(({ name, schema }) =>
        `export type ${name} = components["schemas"][${JSON.stringify(schema)}];`
    );
    return `\n/* Component schemas by name. */\n${lines.join("\n")}\n`;
}

// openapi-typescript's helper for `allOf` with `required` outside the referenced schema
// constrains K to `keyof T`, which is `never` when T is nullable (`X | null`): the same
// requirement, applied to the object members of T only.
const WITH_REQUIRED = /^type WithRequired<T, K extends keyof T> = T & \{\s*\[P in K\]-\?: T\[P\];?\s*\};$/m;
const SOUND_WITH_REQUIRED =
    "type WithRequired<T, K extends PropertyKey> = T extends object ? T & { [P in K & keyof T]-?: T[P] } : T;";

function soundHelpers(text: string): string {
    return text.replace(WITH_REQUIRED, SOUND_WITH_REQUIRED);
}
