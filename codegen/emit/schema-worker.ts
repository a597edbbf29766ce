/**
 * The body of the thread that runs openapi-typescript: it loads openapi-typescript (and the
 * TypeScript it brings) once, then turns each document it is sent into `schema.ts` text.
 *
 * It runs from this function's own source (see schema-file.ts), so one file serves from
 * source in tests and from dist alike: it must use nothing from its module scope, only
 * `require` (never `import()`, which test runners rewrite) and the data it is started with.
 */
export function schemaWorkerMain(): void {
    const { parentPort, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
    const path = require("node:path") as typeof import("node:path");
    type OpenapiTypescript = typeof import("openapi-typescript");
    const { openapiTypescriptDist, compileCache } = workerData as SchemaWorkerData;
    // JOINKIT_TIMINGS=1: this thread's share of a run (see core/stage.ts), in wall and CPU ms.
    const timing = process.env.JOINKIT_TIMINGS === "1";
    const cpuMs = () => {
        const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
        const heap = `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`;
        return usage
            ? ` (cpu ${((usage.user + usage.system) / 1000).toFixed(0)} ms since the thread started; ${heap})`
            : ` (${heap})`;
    };
    const report = (what: string, since: number) => {
        if (timing) {
            process.stderr.write(
                `joinkit: schema worker ${what} ${(performance.now() - since).toFixed(1)} ms${cpuMs()}\n`,
            );
        }
    };
    const loading = performance.now();
    // A worker is its own Node instance: it takes the compile cache only if asked (see bin/joinkit.js).
    if (compileCache) (require("node:module") as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    // openapi-typescript's transform without its front end: openapiTS() = parse + Redocly
    // lint + Redocly bundle + transform, and the document sent here has already been parsed,
    // linted (by a superset of its rules) and bundled; redoing that was a quarter of this
    // thread's time on DigitalOcean, and loading its index pulled in all of
    // @redocly/openapi-core a second time. The modules are the package's public subpaths,
    // loaded once, when the worker starts: jobs sent meanwhile wait in the port's queue.
    let api: {
        createNodeArray: (elements: unknown[]) => unknown;
        transformSchema: OpenapiTypescript["transformSchema"];
        scanDiscriminators: OpenapiTypescript["scanDiscriminators"];
        resolveRef: OpenapiTypescript["resolveRef"];
        astToString: OpenapiTypescript["astToString"];
    } | Error;
    try {
        const utils = require(path.join(openapiTypescriptDist, "lib/utils.cjs")) as OpenapiTypescript;
        const typescript = (require("node:module") as typeof import("node:module")).createRequire(
            path.join(openapiTypescriptDist, "index.cjs"),
        )(
            "typescript",
        ) as typeof import("typescript");
        api = {
            createNodeArray: (elements) => typescript.factory.createNodeArray(elements as never),
            transformSchema: require(
                path.join(openapiTypescriptDist, "transform/index.cjs"),
            ) as OpenapiTypescript["transformSchema"],
            scanDiscriminators: utils.scanDiscriminators,
            resolveRef: utils.resolveRef,
            astToString: (require(path.join(openapiTypescriptDist, "lib/ts.cjs")) as OpenapiTypescript).astToString,
        };
    } catch (error) {
        api = error as Error;
    }
    /**
     * openapi-typescript (7.13, transform/operation-object) adds each operation to the
     * `operations` interface it keeps in `ctx.injectFooter` by copying every member so far:
     * `operations.members = createNodeArray([...operations.members, next])`. That is quadratic
     * in operations: 20,000 took 10 s instead of 4. This footer hands it an interface whose
     * `members` reads as empty and collects what is assigned, then sets the collected members
     * once. The printed text is the same (the snapshot and drift tests compare it). What reads
     * `members` meanwhile gets a frozen empty array, so a later openapi-typescript that pushed
     * into it instead of assigning would fail loudly rather than lose operations.
     */
    function operationsCollector(
        createNodeArray: (elements: unknown[]) => unknown,
    ): { nodes: unknown[]; finish(): void } {
        const NO_MEMBERS: readonly unknown[] = Object.freeze([]);
        const nodes: unknown[] = [];
        const finishers: (() => void)[] = [];
        nodes.push = (...added: unknown[]) => {
            for (const node of added as { name?: { text?: string }; members?: unknown }[]) {
                if (node?.name?.text !== "operations" || !Array.isArray(node.members) || node.members.length > 0) {
                    continue;
                }
                const collected: unknown[] = [];
                Object.defineProperty(node, "members", {
                    configurable: true,
                    enumerable: true,
                    get: () => NO_MEMBERS,
                    set: (members: unknown[]) => collected.push(...members),
                });
                finishers.push(() => {
                    Object.defineProperty(node, "members", {
                        configurable: true,
                        enumerable: true,
                        writable: true,
                        value: createNodeArray(collected),
                    });
                });
            }
            return Array.prototype.push.apply(nodes, added);
        };
        return { nodes, finish: () => finishers.forEach((finish) => finish()) };
    }

    report("loaded openapi-typescript", loading);
    parentPort!.on("message", ({ id, document }: SchemaJob) => {
        const started = performance.now();
        try {
            if (api instanceof Error) throw api;
            const { createNodeArray, transformSchema, scanDiscriminators, resolveRef, astToString } = api;
            const linearFooter = operationsCollector(createNodeArray);
            const schema = document as unknown as Parameters<OpenapiTypescript["transformSchema"]>[0];
            // Defaults are what the server assumes when a field is absent: optional for callers.
            const options = { silent: true, defaultNonNullable: false };
            // openapiTS()'s context (openapi-typescript 7.13, dist/index.cjs) for these options.
            const ctx = {
                additionalProperties: false,
                alphabetize: false,
                arrayLength: false,
                defaultNonNullable: options.defaultNonNullable,
                discriminators: scanDiscriminators(schema, options),
                emptyObjectsUnknown: false,
                enum: false,
                enumValues: false,
                conditionalEnums: false,
                dedupeEnums: false,
                excludeDeprecated: false,
                exportType: false,
                immutable: false,
                rootTypes: false,
                rootTypesNoSchemaPrefix: false,
                rootTypesKeepCasing: false,
                injectFooter: linearFooter.nodes,
                pathParamsAsTypes: false,
                postTransform: undefined,
                propertiesRequiredByDefault: false,
                redoc: undefined,
                silent: true,
                inject: undefined,
                transform: undefined,
                transformProperty: undefined,
                makePathsEnum: false,
                generatePathParams: false,
                readWriteMarkers: false,
                resolve($ref: string) {
                    return resolveRef(schema, $ref, { silent: true });
                },
            } as unknown as Parameters<OpenapiTypescript["transformSchema"]>[1];
            const nodes = transformSchema(schema, ctx);
            linearFooter.finish();
            // The files this thread has loaded (it loads with `require` only), for the check cache.
            const modules = Object.keys((require as { cache?: Record<string, unknown> }).cache ?? {});
            parentPort!.postMessage({ id, text: astToString(nodes), modules } satisfies SchemaAnswer);
        } catch (error) {
            parentPort!.postMessage(
                { id, error: String((error as Error | undefined)?.message || error) } satisfies SchemaAnswer,
            );
        }
        report("typed a document", started);
    });
}

/** What the worker is started with. */
export interface SchemaWorkerData {
    /** openapi-typescript's dist folder, resolved by the main thread. */
    readonly openapiTypescriptDist: string;
    /** The main thread uses Node's compile cache, so the worker should too. */
    readonly compileCache: boolean;
}

/** One document to type. */
export interface SchemaJob {
    readonly id: number;
    readonly document: Record<string, unknown>;
}

/** `schema.ts` text for a job, or why there is none. */
export type SchemaAnswer = {
    readonly id: number;
    readonly text: string;
    /** Every file the thread has loaded so far. */
    readonly modules: readonly string[];
    readonly error?: undefined;
} | {
    readonly id: number;
    readonly error: string;
    readonly text?: undefined;
    readonly modules?: undefined;
};
