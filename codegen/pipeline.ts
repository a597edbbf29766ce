import path from "node:path";
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
    const spec = await loadSpec(specFile, options.displayName);
    checkRefCycles(spec);

    const access = confinementFor(specFile, options.cwd);
    const found = await loadLintConfig(specFile, options.configFile, { ...access, allowPlugins: options.allowConfigPlugins === true });
    const { config, ownSpec } = configForSpec(found, specFile);
    const resolver = new ConfinedResolver(config.resolve, { root: access.root, allowRemote: options.allowRemoteRefs === true, onFetch: options.onFetch });
    const linted = await refuseOnThrow(spec.displayName, "lint", lintSpec(spec, config, resolver));
    // A refused $ref is reported once, where it is written, not again as merely unresolved.
    const refused = await locateRefusals(resolver, spec.document, (file) => (file === spec.file ? spec.displayName : path.relative(process.cwd(), file)));
    const confined = linted.filter((p) => !(p.rule === "no-unresolved-refs" && resolver.refusals.some((r) => p.message.includes(r.reason))));
    const lintProblems = gradeProblems(confined, ownSpec || options.strict === true);
    if (refused.length > 0) throw new SpecError([...refused, ...lintProblems.filter((p) => p.severity === "error")]);
    if (lintProblems.some((p) => p.severity === "error")) throw new SpecError(lintProblems);

    const bundled = await refuseOnThrow(spec.displayName, "bundle", bundleSpec(spec, config, resolver));
    const model = readModel(bundled, spec.displayName);
    const dependencies = [...new Set([spec.file, ...resolver.getFiles()])].sort();
    return { spec, bundled, model, lintProblems, dependencies };
}

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

/** Redocly throws (rather than reports) on some malformed input; name the spec and stage. */
async function refuseOnThrow<T>(file: string, stage: string, work: Promise<T>): Promise<T> {
    try {
        return await work;
    } catch (error) {
        if (error instanceof SpecError) throw error;
        throw new SpecError([{ file, rule: stage, message: (error as Error).message ?? String(error), severity: "error" }]);
    }
}
