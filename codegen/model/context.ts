import { resolvePointer } from "../spec/json-pointer.js";
import type { NameScope } from "./naming.js";
import type { SpecProblem } from "../core/spec-error.js";

export type Json = Record<string, unknown>;

/** Follows internal `$ref`s to their target, reporting where the target lives. */
export type Deref = (value: unknown, pointer: string) => { value: unknown; pointer: string };

/** What every reader of an OpenAPI object gets: the document, names, and a place for warnings. */
export interface ReadContext {
    readonly document: Json;
    readonly deref: Deref;
    /** The generated files' module scope: every exported name is claimed here. */
    readonly scope: NameScope;
    /** What the reader cannot use: located by JSON pointer, never thrown. */
    warn(pointer: string, rule: string, message: string): void;
}

export function createReadContext(
    document: Json,
    file: string,
    scope: NameScope,
    warnings: SpecProblem[],
): ReadContext {
    // Once per place and message: a path-level parameter or a shared response is read for each operation.
    const said = new Set<string>();
    return {
        document,
        deref: createDeref(document),
        scope,
        warn: (pointer, rule, message) => {
            const key = `${pointer}\0${rule}\0${message}`;
            if (said.has(key)) return;
            said.add(key);
            warnings.push({ file, pointer, rule, message, severity: "warning" });
        },
    };
}

/** Follows internal `$ref`s in `document` (the model readers' and the simulator's one rule for it). */
export function createDeref(document: Json): Deref {
    return (value, pointer) => {
        const seen = new Set<string>();
        let current = value;
        let at = pointer;
        while (current && typeof current === "object" && typeof (current as Json).$ref === "string") {
            const ref = (current as Json).$ref as string;
            if (!ref.startsWith("#/") || seen.has(ref)) return { value: undefined, pointer: at };
            seen.add(ref);
            current = resolvePointer(document, ref);
            at = ref;
        }
        return { value: current, pointer: at };
    };
}

export function asObject(value: unknown): Json {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

export function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

export function nonEmptyString(value: unknown): string | undefined {
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
