import path from "node:path";
import { bundleSpec } from "./spec/bundle.js";
import { checkRefCycles } from "./spec/ref-cycles.js";
import { ConfinedResolver, locateRefusals } from "./spec/confined-resolver.js";
import type { EnumStyle } from "./emit/errors-file.js";
import { warmUpSchemaEmitter } from "./emit/schema-file.js";
import { clashingExports, EMITTERS, siblingsOf, type EmitInput, type Emitter } from "./emit/emitters.js";
import { fileHeader } from "./emit/header.js";
import { configForSpec, gradeProblems, lintSpec, loadLintConfig, type LintConfig } from "./spec/lint.js";
import { loadSpec, type LoadedSpec } from "./spec/load.js";
import { readModel, type ApiModel } from "./model/index.js";
import { MANIFEST_FILE, manifestText } from "./emit/manifest.js";
import { confinementFor } from "./core/project.js";
import type { SpecProblem } from "./core/spec-error.js";
import { createContext, rejoin, runAhead, runStage, type Stage, type StageContext } from "./core/stage.js";
import { typecheckOutput } from "./emit/typecheck.js";
import { completeDiscriminators, inlineInnerRefs, useWrapperNamesAsOperationIds } from "./emit/types-input.js";

export interface GenerateOptions {
    /** How the spec is named in messages (defaults to the path as given). */
    displayName?: string;
    /** A Redocly config file; defaults to the nearest `redocly.yaml` in the project (see loadLintConfig). */
    configFile?: string;
    /** Error catalogues as TypeScript enums (default) or `as const` objects with a union type. */
    enums?: EnumStyle;
    /**
     * Type-check the output under `strict` before returning it, and refuse it (located in
     * the generated files) if it does not compile. The folder it is checked as.
     */
    typecheckAs?: string;
    /** Treat every lint error as fatal, as for the project's own specs (`--strict`). */
    strict?: boolean;
    /** Where the run works from: its project bounds what may be read (defaults to the process's). */
    cwd?: string;
    /** Fetch `$ref`s to http(s) URLs (`--allow-remote-refs`); each URL is passed to `onFetch`. */
    allowRemoteRefs?: boolean;
    /** Load a config's plugins (`--allow-config-plugins`). */
    allowConfigPlugins?: boolean;
    onFetch?: (url: string) => void;
}

export interface GeneratedApi {
    /** The spec as named in messages. */
    readonly specName: string;
    /** File name → contents, for one output folder. */
    readonly files: ReadonlyMap<string, string>;
    readonly model: ApiModel;
    /** Every file the output depends on: the spec and the files its `$ref`s reach. */
    readonly dependencies: readonly string[];
    /** Lint warnings and what codegen could not use; none of them stopped generation. */
    readonly warnings: readonly SpecProblem[];
}

/** A spec read and linted: what `joinkit lint` reports. */
export interface LintedApi {
    readonly spec: LoadedSpec;
    /** Lint warnings (any error stopped the run with a SpecError instead). */
    readonly problems: readonly SpecProblem[];
    /** The spec and every file its `$ref`s reach. */
    readonly dependencies: readonly string[];
}

/** A spec read, checked and bundled: what both code and docs are made from. */
export interface PreparedApi {
    readonly spec: LoadedSpec;
    readonly bundled: Record<string, unknown>;
    readonly model: ApiModel;
    readonly dependencies: readonly string[];
}

/**
 * The whole pipeline for one spec, top to bottom. Nothing is written: callers decide where
 * the files go (`generate`) or compare them with what is on disk (`check`).
 *
 *   read + parse once → refuse $ref loops → config + confined resolver
 *   → bundle external refs → read the model                        ← run ahead of lint:
 *   → patch the document for openapi-typescript (three named patches)
 *   → start the types (openapi-typescript, in its worker)             ─┐ at once
 *   → lint (errors and refused refs stop here, before anything above) ─┘
 *   → emit every other file of the EMITTERS table (printed already formatted by emit/layout.ts,
 *     no formatter run) and take the types, each under the one header
 *   → type-check the output (opt-in) → manifest
 *
 * The types are most of a run and need only the patched document, so they are started
 * before lint and lint runs on this thread meanwhile. Lint still has the first word: the
 * stages run ahead keep their problems until lint has passed (core/stage.ts, runAhead/rejoin),
 * so a document lint refuses is refused with lint's problems, as if nothing had run ahead.
 *
 * Every stage follows one convention (core/stage.ts): it takes the previous stage's result and
 * the context; problems are collected; an error stops the run at the end of its stage with
 * a SpecError carrying every problem found so far. `JOINKIT_TIMINGS=1` times each stage.
 */
export async function generateApi(specFile: string, options: GenerateOptions = {}): Promise<GeneratedApi> {
    warmUpSchemaEmitter(); // if the command has not already: openapi-typescript loads meanwhile
    const context = createContext(options.displayName ?? specFile);
    const run = new AbortController(); // lets go of the worker's job if the run stops first
    try {
        const started = await typesAheadOfLint(specFile, options, context, run.signal);
        const emitted = await runStage(emit, started, context);
        const checked = options.typecheckAs === undefined
            ? emitted
            : await runStage(typecheck(options.typecheckAs), emitted, context);
        const files = await runStage(addManifest, { spec: started.spec, files: checked }, context);
        return {
            specName: started.spec.displayName,
            dependencies: [...context.dependencies].sort(),
            files,
            model: started.input.model,
            warnings: [...context.problems],
        };
    } finally {
        run.abort();
    }
}

/**
 * read → refuse $ref loops → config; then bundle → model → patches → start the types, run
 * ahead of lint; then lint. What it returns is all emitting needs: the parsed document (and
 * the bundled one) can go once it has returned, while openapi-typescript still works.
 */
async function typesAheadOfLint(
    specFile: string,
    options: GenerateOptions,
    context: StageContext,
    signal: AbortSignal,
): Promise<WorkersStarted> {
    const configured = await configuredStages(specFile, options, context);
    const ahead = await runAhead(context, async (early) => {
        const bundled = await runStage(bundle, configured, early);
        const model = await runStage(readTheModel, bundled, early);
        const renamed = await runStage(useWrapperNamesAsOperationIds, { document: bundled, model }, early);
        const inlined = await runStage(inlineInnerRefs, renamed, early);
        const typesInput = await runStage(completeDiscriminators, inlined, early);
        const input = { model, typesDocument: typesInput.document, enums: options.enums ?? "enum", signal } as const;
        return runStage(startWorkers, { spec: configured.spec, input }, early);
    });
    await runStage(lint, configured, context);
    return rejoin(ahead, context);
}

/** The pipeline up to the model: what docs are made from. */
export async function prepareApi(specFile: string, options: GenerateOptions = {}): Promise<PreparedApi> {
    const context = createContext(options.displayName ?? specFile);
    const linted = await lintStages(specFile, options, context);
    const bundled = await runStage(bundle, linted, context);
    const model = await runStage(readTheModel, bundled, context);
    return { spec: linted.spec, bundled, model, dependencies: [...context.dependencies].sort() };
}

/**
 * The spec read and bundled (external `$ref`s pulled in, every one confined to the project
 * as for generate), without lint or the model: what `joinkit mock` serves when a document
 * spans several files.
 */
export async function bundleApi(specFile: string, options: GenerateOptions = {}): Promise<Record<string, unknown>> {
    const context = createContext(options.displayName ?? specFile);
    return runStage(bundle, await configuredStages(specFile, options, context), context);
}

/**
 * `joinkit lint`: the pipeline up to and including lint. Problems that stop generation
 * (unreadable or unparsable documents, `$ref` loops, refused `$ref`s, lint errors) throw a
 * SpecError carrying every problem found and the dependencies known; the rest are returned.
 */
export async function lintApi(specFile: string, options: GenerateOptions = {}): Promise<LintedApi> {
    const context = createContext(options.displayName ?? specFile);
    const { spec } = await lintStages(specFile, options, context);
    return { spec, problems: [...context.problems], dependencies: [...context.dependencies].sort() };
}

async function configuredStages(
    specFile: string,
    options: GenerateOptions,
    context: StageContext,
): Promise<Configured> {
    const spec = await runStage(read, { specFile, displayName: options.displayName }, context);
    await runStage(refuseRefCycles, spec, context);
    return runStage(configure, { spec, options }, context);
}

async function lintStages(specFile: string, options: GenerateOptions, context: StageContext): Promise<Linted> {
    return runStage(lint, await configuredStages(specFile, options, context), context);
}

// ---------------------------------------------------------------------------------------
// The stages, in the order they run. (The document patches are in types-input.ts.)

/** Read and parse once; every later stage shares the parsed document. */
const read: Stage<{ specFile: string; displayName?: string }, LoadedSpec> = {
    name: "read",
    async run({ specFile, displayName }, context) {
        const spec = await loadSpec(specFile, displayName);
        context.dependencies.add(spec.file);
        return spec;
    },
};

/** `$ref` chains that loop name no schema, and Redocly's resolver throws on them: refuse them located. */
const refuseRefCycles: Stage<LoadedSpec, LoadedSpec> = {
    name: "ref-cycles",
    run(spec) {
        checkRefCycles(spec);
        return spec;
    },
};

interface Configured {
    readonly spec: LoadedSpec;
    readonly config: LintConfig;
    /** The spec is one the config lists under `apis:`: its lint errors all stop generation. */
    readonly strict: boolean;
    /** Shared by lint and bundle, so each external file is read once, and only inside the confinement. */
    readonly resolver: ConfinedResolver;
}

/** The lint config (refusing one that would run or fetch code) and the confined `$ref` resolver. */
const configure: Stage<{ spec: LoadedSpec; options: GenerateOptions }, Configured> = {
    name: "config",
    async run({ spec, options }) {
        const access = confinementFor(spec.file, options.cwd);
        const found = await loadLintConfig(spec.file, options.configFile, {
            ...access,
            allowPlugins: options.allowConfigPlugins === true,
        });
        const { config, ownSpec } = configForSpec(found, spec.file);
        const resolver = new ConfinedResolver(config.resolve, {
            root: access.root,
            allowRemote: options.allowRemoteRefs === true,
            onFetch: options.onFetch,
        });
        return { spec, config, strict: ownSpec || options.strict === true, resolver };
    },
};

type Linted = Configured;

/** Redocly lint, every `$ref` confined to the project; a refused `$ref` is reported once, where it is written. */
const lint: Stage<Configured, Linted> = {
    name: "lint",
    refuseThrown: (message) => message,
    async run(configured, context) {
        const { spec, config, strict, resolver } = configured;
        let linted: SpecProblem[];
        try {
            linted = await lintSpec(spec, config, resolver);
        } finally {
            for (const file of resolver.getFiles()) context.dependencies.add(file);
        }
        const refused = await locateRefusals(
            resolver,
            spec.document,
            (file) => (file === spec.file ? spec.displayName : path.relative(process.cwd(), file)),
        );
        const confined = linted.filter((p) =>
            !(p.rule === "no-unresolved-refs" && resolver.refusals.some((r) => p.message.includes(r.reason)))
        );
        context.problems.push(...refused, ...gradeProblems(confined, strict));
        return configured;
    },
};

/**
 * External `$ref`s pulled into the document, internal ones kept (so types keep their names).
 * Redocly bundles the documents it resolves in place: it gets copies of the ones lint reads.
 */
const bundle: Stage<Configured, Record<string, unknown>> = {
    name: "bundle",
    refuseThrown: (message) => message,
    async run({ spec, config, resolver }, context) {
        const own = resolver.forBundling();
        const bundled = await bundleSpec(spec, config, own);
        for (const file of own.getFiles()) context.dependencies.add(file);
        return bundled;
    },
};

/** What codegen and docs are made from; what it cannot use becomes warnings (never errors). */
const readTheModel: Stage<Record<string, unknown>, ApiModel> = {
    name: "model",
    run(bundled, context) {
        const model = readModel(bundled, context.displayName);
        context.problems.push(...model.warnings);
        return model;
    },
};

type EmitStart = Omit<EmitInput, "siblings" | "displayName">;

interface WorkersStarted {
    /** What the header and the manifest name: not the parsed document. */
    readonly spec: Pick<LoadedSpec, "file" | "hash" | "displayName">;
    readonly input: Omit<EmitStart, "typesDocument">;
    /** The texts of the emitters that work off this thread, under way. */
    readonly inWorker: ReadonlyMap<Emitter, Promise<string>>;
}

/** Starts the emitters that work in a worker (openapi-typescript), so they run while this thread goes on. */
const startWorkers: Stage<{ spec: LoadedSpec; input: EmitStart }, WorkersStarted> = {
    name: "emit:start-worker",
    run({ spec, input: { typesDocument, ...input } }, context) {
        const emitters = Object.values(EMITTERS).filter((e) => e.inWorker);
        const inWorker = new Map(
            emitters.map((
                e,
            ) => [
                e,
                Promise.resolve(
                    e.emit({ ...input, typesDocument, displayName: context.displayName, siblings: siblingsOf(e) }),
                ),
            ]),
        );
        // If the run stops before the emit stage takes these answers, they must not go unhandled.
        for (const pending of inWorker.values()) pending.catch(() => undefined);
        return { spec: { file: spec.file, hash: spec.hash, displayName: spec.displayName }, input, inWorker };
    },
};

/**
 * Every file of the EMITTERS table, each under the one file header: the others are printed
 * here while the worker's are under way. Printing should never fail on a model readModel
 * accepted, and if it does, it is reported located, as a joinkit bug.
 */
const emit: Stage<WorkersStarted, Map<string, string>> = {
    name: "emit",
    refuseThrown: (message) => `could not print the client: ${message}`,
    async run({ spec, input, inWorker }, context) {
        const clashes = clashingExports(input.model, input.enums);
        if (clashes.length > 0) throw new Error(`two files would export the same name: ${clashes.join(", ")}`);
        const header = fileHeader(spec);
        const emitters = Object.values(EMITTERS);
        // The worker's emitters have their document already; the others never read it.
        const start = (emitter: Emitter) =>
            emitter.emit({
                ...input,
                typesDocument: {},
                displayName: context.displayName,
                siblings: siblingsOf(emitter),
            });
        const texts = await Promise.all(emitters.map((e) => inWorker.get(e) ?? start(e)));
        return new Map(emitters.map((emitter, i) => [emitter.file, `${header}\n${texts[i]}`]));
    },
};

/** The opt-in gate (`--typecheck`): output that does not compile is never written. */
function typecheck(outDir: string): Stage<Map<string, string>, Map<string, string>> {
    return {
        name: "typecheck",
        run(files, context) {
            const problems = typecheckOutput(
                files,
                path.resolve(outDir),
                path.relative(process.cwd(), outDir) || outDir,
            );
            if (problems.length === 0) return files;
            context.problems.push(...problems, {
                file: problems[0]!.file,
                rule: "typecheck",
                message:
                    "the generated client does not compile under strict, so it was not written. This is a joinkit bug: please report it with the spec; without `--typecheck` it is written anyway.",
                severity: "error",
            });
            return files;
        },
    };
}

/** The manifest: which files in the output folder are joinkit's (see output/folder.ts). */
const addManifest: Stage<{ spec: Pick<LoadedSpec, "file">; files: Map<string, string> }, Map<string, string>> = {
    name: "manifest",
    run({ spec, files }) {
        return new Map([...files, [MANIFEST_FILE, manifestText(path.basename(spec.file), files)]]);
    },
};
