import { emitErrors, type EnumStyle } from "./errors-file.js";
import { emitIndex } from "./index-file.js";
import { emitOperations } from "./operations-file.js";
import { emitSchema } from "./schema-file.js";
import type { EmitInput, OutputName, Sibling, Siblings } from "./context.js";
import type { ApiModel } from "../model/index.js";

export type { EmitInput, OutputName } from "./context.js";

export interface Emitter {
    /** Its file name in the output folder. */
    readonly file: string;
    /** Works off the main thread (openapi-typescript): started before the others, so both run at once. */
    readonly inWorker?: boolean;
    /** The siblings it imports from (or re-exports). */
    readonly imports: readonly OutputName[];
    /** The names it exports for a model: no two files may export the same name (index re-exports them all). */
    exports(model: ApiModel, enums: EnumStyle): readonly string[];
    /** The file's text but its header. */
    emit(input: EmitInput): string | Promise<string>;
}

/**
 * The output files, in the order they are listed and written: each one's name, what it
 * exports and what it imports. Emitters name their siblings only through this table.
 */
export const EMITTERS: Readonly<Record<OutputName, Emitter>> = {
    errors: {
        file: "errors.ts",
        imports: [],
        // An `as const` catalogue is a value and a type of one name: one export.
        exports: (model) => model.catalogues.map((c) => c.name),
        emit: ({ model, enums }) => emitErrors(model, enums),
    },
    index: {
        file: "index.ts",
        imports: ["errors", "operations", "schema"],
        exports: (
            model,
        ) => [
            "servers",
            ...(model.securitySchemes.length > 0 ? ["securitySchemes", "Credentials"] : []),
            "createClient",
        ],
        emit: ({ model, siblings }) => emitIndex(model, siblings),
    },
    operations: {
        file: "operations.ts",
        imports: ["errors", "schema"],
        exports: (model) => model.operations.flatMap((op) => [`${op.name}Operation`, op.name]),
        emit: ({ model, siblings }) => emitOperations(model, siblings),
    },
    schema: {
        file: "schema.ts",
        inWorker: true,
        imports: [],
        exports: (
            model,
        ) => ["paths", "webhooks", "components", "$defs", "operations", ...model.schemaTypes.map((t) => t.name)],
        emit: ({ model, typesDocument, displayName, signal }) => emitSchema(typesDocument, model, displayName, signal),
    },
};

/** How a sibling file imports one of the outputs: its name with the `.js` a compiled module has. */
export function siblingsOf(emitter: Emitter): Siblings {
    const table: Partial<Record<OutputName, Sibling>> = {};
    for (const name of emitter.imports) table[name] = { specifier: `./${EMITTERS[name].file.replace(/\.ts$/, ".js")}` };
    return table;
}

/** Names two output files would both export, which `export *` in index.ts would silently drop. */
export function clashingExports(model: ApiModel, enums: EnumStyle): string[] {
    const owner = new Map<string, OutputName>();
    const clashes: string[] = [];
    for (const [name, emitter] of Object.entries(EMITTERS) as [OutputName, Emitter][]) {
        for (const exported of emitter.exports(model, enums)) {
            const first = owner.get(exported);
            if (first !== undefined && first !== name) {
                clashes.push(`${exported} (${EMITTERS[first].file}, ${emitter.file})`);
            } else owner.set(exported, name);
        }
    }
    return clashes;
}
