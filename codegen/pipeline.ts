import path from "node:path";
import type { Config } from "@redocly/openapi-core";
import { bundleSpec } from "./bundle-spec.js";
import { checkRefCycles } from "./check-refs.js";
import { ConfinedResolver, locateRefusals } from "./confined-resolver.js";
import { emitErrors, type EnumStyle } from "./emit-errors.js";
import { emitIndex } from "./emit-index.js";
import { emitOperations } from "./emit-operations.js";
import { emitSchema, emitSchemaTypes, warmUpSchemaEmitter } from "./emit-schema.js";
import { fileHeader } from "./header.js";
import { configForSpec, gradeProblems, lintSpec, loadLintConfig } from "./lint-spec.js";
import { loadSpec, type LoadedSpec } from "./load-spec.js";
import { MANIFEST_FILE, manifestText } from "./output.js";
import { confinementFor } from "./project.js";
import { readModel, type ApiModel } from "./read-model.js";
import { SpecError, type SpecProblem } from "./spec-error.js";
import { createContext, runStage, type Stage, type StageContext } from "./stage.js";
import { typecheckOutput } from "./typecheck-output.js";
import { printable } from "./terminal.js";

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
    readonly lintProblems: readonly SpecProblem[];
    readonly dependencies: readonly string[];
}

/**
 * The whole pipeline for one spec, top to bottom. Nothing is written: callers decide where
 * the files go (`generate`) or compare them with what is on disk (`check`).
 *
 *   read + parse once → refuse $ref loops → lint, every $ref confined to the project
 *   (errors and refused refs stop here) → bundle external refs
 *   → read the model → types (openapi-typescript, in a worker) ∥ errors, operations, index
 *     (ts-morph structures, dprint)
 *
 * Every stage follows one convention (see stage.ts): it takes the previous stage's result
 * and the context, problems are collected, and an error stops the run at the end of the
 * stage with a SpecError carrying every problem found so far.
 */
export async function generateApi(specFile: string, options: GenerateOptions = {}): Promise<GeneratedApi> {
    warmUpSchemaEmitter();
    const { spec, bundled, model, lintProblems, dependencies } = await prepareApi(specFile, options);

    const header = fileHeader(spec);
    const schema = emitSchema(bundled, model, spec.displayName); // in its worker, alongside:
    const [errors, operations, index] = refuseIfEmitFails(spec.displayName, () => [
        emitErrors(model, header, options.enums),
        emitOperations(model, header),
        emitIndex(model, header),
    ]);
    const files = new Map([
        ["errors.ts", errors],
        ["index.ts", index],
        ["operations.ts", operations],
        // openapi-typescript copies descriptions into comments as they are: escape control
        // characters there too (outside comments it has none raw, so this changes no meaning).
        ["schema.ts", printable(`${header}\n${await schema}${emitSchemaTypes(model)}`)],
    ]);
    if (options.typecheckAs !== undefined) refuseIfNotCompiling(files, options.typecheckAs);
    files.set(MANIFEST_FILE, manifestText(path.basename(spec.file), files));
    return { specName: spec.displayName, dependencies, files, model, warnings: [...lintProblems, ...model.warnings] };
}

/** The first half of the pipeline, up to the model; shared by `generate` and `docs`. */
export async function prepareApi(specFile: string, options: GenerateOptions = {}): Promise<PreparedApi> {
    const context = createContext(options.displayName ?? specFile);
    const linted = await lintStages(specFile, options, context);
    const lintProblems = [...context.problems];
    const bundled = await runStage(bundle, linted, context);
    const model = await runStage(readTheModel, bundled, context);
    return { spec: linted.spec, bundled, model, lintProblems, dependencies: [...context.dependencies].sort() };
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

// ---------------------------------------------------------------------------------------
// The stages, in the order they run.

async function lintStages(specFile: string, options: GenerateOptions, context: StageContext): Promise<Linted> {
    const spec = await runStage(read, { specFile, displayName: options.displayName }, context);
    await runStage(refuseRefCycles, spec, context);
    const configured = await runStage(configure, { spec, options }, context);
    return runStage(lint, configured, context);
}

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
    readonly config: Config;
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
        const found = await loadLintConfig(spec.file, options.configFile, { ...access, allowPlugins: options.allowConfigPlugins === true });
        const { config, ownSpec } = configForSpec(found, spec.file);
        const resolver = new ConfinedResolver(config.resolve, { root: access.root, allowRemote: options.allowRemoteRefs === true, onFetch: options.onFetch });
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
        const refused = await locateRefusals(resolver, spec.document, (file) => (file === spec.file ? spec.displayName : path.relative(process.cwd(), file)));
        const confined = linted.filter((p) => !(p.rule === "no-unresolved-refs" && resolver.refusals.some((r) => p.message.includes(r.reason))));
        context.problems.push(...refused, ...gradeProblems(confined, strict));
        return configured;
    },
};

/** External `$ref`s pulled into the document, internal ones kept (so types keep their names). */
const bundle: Stage<Linted, Record<string, unknown>> = {
    name: "bundle",
    refuseThrown: (message) => message,
    async run({ spec, config, resolver }, context) {
        const bundled = await bundleSpec(spec, config, resolver);
        for (const file of resolver.getFiles()) context.dependencies.add(file);
        return bundled;
    },
};

/** What codegen and docs are made from; what it cannot use becomes warnings (never errors). */
const readTheModel: Stage<Record<string, unknown>, ApiModel> = {
    name: "model",
    run(bundled, context) {
        return readModel(bundled, context.displayName);
    },
};

/** The gate: output that does not compile is never written. */
function refuseIfNotCompiling(files: ReadonlyMap<string, string>, outDir: string): void {
    const problems = typecheckOutput(files, path.resolve(outDir), path.relative(process.cwd(), outDir) || outDir);
    if (problems.length === 0) return;
    throw new SpecError([
        ...problems,
        {
            file: problems[0]!.file,
            rule: "typecheck",
            message:
                "the generated client does not compile under strict, so it was not written. This is a joinkit bug: please report it with the spec; without `--typecheck` it is written anyway.",
            severity: "error",
        },
    ]);
}

/** Printing or formatting should never fail on a model readModel accepted; if it does, say so, located. */
function refuseIfEmitFails<T>(file: string, emit: () => T): T {
    try {
        return emit();
    } catch (error) {
        throw new SpecError([{ file, rule: "emit", message: `could not print the client: ${(error as Error).message ?? String(error)}`, severity: "error" }]);
    }
}
