import type { EnumStyle } from "./errors-file.js";
import type { ApiModel } from "../model/index.js";

/** Generated code imports the runtime by the client package's name. */
export const RUNTIME_MODULE = "joinkit/runtime";

/** The output files, by what they hold. */
export type OutputName = "errors" | "index" | "operations" | "schema";

/** What every emitter is given. */
export interface EmitInput {
    readonly model: ApiModel;
    /** The document openapi-typescript types: the bundled one with the types-input patches applied. */
    readonly typesDocument: Record<string, unknown>;
    readonly enums: EnumStyle;
    /** The spec as named in messages. */
    readonly displayName: string;
    /** The siblings this emitter imports, as its table entry lists them: how to name each in an import. */
    readonly siblings: Siblings;
    /** Aborted when the run stops or ends: work still under way for it (in a worker) is let go. */
    readonly signal?: AbortSignal;
}

/** The siblings an emitter's table entry lists under `imports`. */
export type Siblings = Readonly<Partial<Record<OutputName, Sibling>>>;

/** Another output file, as an emitter refers to it. */
export interface Sibling {
    /** The module specifier that imports it from a sibling file (`"../errors.js"`). */
    readonly specifier: string;
}

/** The module specifier of a sibling the emitter listed among its imports. */
export function specifier(siblings: Siblings, name: OutputName): string {
    const sibling = siblings[name];
    if (sibling === undefined) throw new Error(`an emitter imports ${name} without listing it in EMITTERS`);
    return sibling.specifier;
}
