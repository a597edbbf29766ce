import { escapePointer, resolvePointer } from "../spec/json-pointer.js";
import type { ApiModel } from "../model/index.js";
import type { Stage } from "../core/stage.js";

type Json = Record<string, unknown>;

/**
 * The document as openapi-typescript should see it, and the model it was read into. The
 * spec itself is valid; the patches below rewrite shapes for which openapi-typescript 7
 * emits types that do not compile, or that reject what the spec allows, into equivalent
 * ones it handles. They run as pipeline stages, in this order; the bundled document (what
 * docs are made from) is never modified.
 */
export interface TypesInput {
    readonly document: Json;
    readonly model: ApiModel;
}

/**
 * openapi-typescript keys its `operations` type by operationId and refuses duplicates.
 * Where codegen had to rename an operation (duplicate, reserved or invalid id), the types
 * use the same name as the wrapper; everything else is passed through untouched.
 */
export const useWrapperNamesAsOperationIds: Stage<TypesInput, TypesInput> = {
    name: "patch:operation-ids",
    run: ({ document, model }) => ({ document: withEmittedOperationIds(document, model), model }),
};

/**
 * `$ref`s into a component's inside (`…/Tag/allOf/0`, `…/parameters/limit/schema`,
 * `#/paths/…`) become indexed-access types that do not exist: the target is inlined. The
 * result is a copy, which the next patch may complete in place.
 */
export const inlineInnerRefs: Stage<TypesInput, TypesInput> = {
    name: "patch:inline-inner-refs",
    run: ({ document, model }) => ({ document: inlineInternalRefs(document) as Json, model }),
};

/**
 * A discriminator without a `mapping` makes openapi-typescript type the discriminating
 * property as the schema's *name*, replacing an `enum: ["user"]` the schema declares: the
 * mapping is completed from each target's single enum/const value. Runs on the copy
 * inlineInnerRefs made.
 */
export const completeDiscriminators: Stage<TypesInput, TypesInput> = {
    name: "patch:discriminator-mappings",
    run(input) {
        completeDiscriminatorMappings(input.document);
        return input;
    },
};

/** A `$ref` openapi-typescript turns into a named type: a whole component. */
const COMPONENT_REF = /^#\/components\/[^/]+\/[^/]+$/;

function inlineInternalRefs(document: Json): unknown {
    const copy = (node: unknown, inlining: readonly string[]): unknown => {
        if (node === null || typeof node !== "object") return node;
        if (Array.isArray(node)) return node.map((item) => copy(item, inlining));
        const ref = (node as Json).$ref;
        if (typeof ref === "string" && ref.startsWith("#") && !COMPONENT_REF.test(ref)) {
            const target = resolvePointer(document, ref);
            // A target that contains a ref to itself cannot be inlined; it is left untyped.
            if (target === undefined || inlining.includes(ref)) return {};
            const { $ref: _, ...siblings } = node as Json;
            const inlined = copy(target, [...inlining, ref]);
            return Object.keys(siblings).length > 0 && inlined && typeof inlined === "object" && !Array.isArray(inlined)
                ? { ...(inlined as Json), ...(copy(siblings, inlining) as Json) }
                : inlined;
        }
        const out: Json = {};
        for (const [key, value] of Object.entries(node)) out[key] = copy(value, inlining);
        return out;
    };
    return copy(document, []);
}

function completeDiscriminatorMappings(document: Json): void {
    const resolve = (value: unknown): Json | undefined => {
        const seen = new Set<string>();
        let current = value;
        while (current && typeof current === "object" && typeof (current as Json).$ref === "string") {
            const ref = (current as Json).$ref as string;
            if (seen.has(ref) || !ref.startsWith("#")) return undefined;
            seen.add(ref);
            current = resolvePointer(document, ref);
        }
        return current && typeof current === "object" && !Array.isArray(current) ? (current as Json) : undefined;
    };
    /** The single value a schema's discriminating property is pinned to, looking through allOf. */
    const pinnedValue = (schema: Json | undefined, property: string, depth = 0): string | undefined => {
        if (!schema || depth > 8) return undefined;
        const own = resolve((schema.properties as Json | undefined)?.[property]);
        if (own) {
            if (typeof own.const === "string") return own.const;
            if (Array.isArray(own.enum) && own.enum.length === 1 && typeof own.enum[0] === "string") return own.enum[0];
        }
        for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
            const value = pinnedValue(resolve(part), property, depth + 1);
            if (value !== undefined) return value;
        }
        return undefined;
    };
    const complete = (discriminator: Json, targets: readonly string[]) => {
        if (typeof discriminator.propertyName !== "string") return;
        const mapping = { ...((discriminator.mapping as Record<string, string> | undefined) ?? {}) };
        const mapped = new Set(Object.values(mapping));
        let changed = false;
        for (const ref of targets) {
            if (mapped.has(ref) || mapped.has(ref.split("/").pop()!)) continue;
            const value = pinnedValue(resolve({ $ref: ref }), discriminator.propertyName);
            if (value === undefined || value in mapping) continue;
            mapping[value] = ref;
            changed = true;
        }
        if (changed) discriminator.mapping = mapping;
    };

    const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
    // Inheritance: children name the base with a discriminator in their allOf.
    const children = new Map<string, string[]>();
    for (const [name, schema] of Object.entries(schemas)) {
        for (const part of Array.isArray((schema as Json)?.allOf) ? ((schema as Json).allOf as unknown[]) : []) {
            const ref = (part as Json | null)?.$ref;
            if (typeof ref === "string") {
                children.set(ref, [...(children.get(ref) ?? []), `#/components/schemas/${escapePointer(name)}`]);
            }
        }
    }
    for (const [name, schema] of Object.entries(schemas)) {
        const discriminator = (schema as Json | null)?.discriminator;
        if (discriminator && typeof discriminator === "object" && !(schema as Json).oneOf && !(schema as Json).anyOf) {
            complete(discriminator as Json, children.get(`#/components/schemas/${escapePointer(name)}`) ?? []);
        }
    }
    // Unions: oneOf/anyOf of refs, anywhere in the document.
    const visit = (node: unknown): void => {
        if (node === null || typeof node !== "object") return;
        if (Array.isArray(node)) return node.forEach(visit);
        const schema = node as Json;
        const union =
            (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined) as
                | unknown[]
                | undefined;
        if (union && schema.discriminator && typeof schema.discriminator === "object") {
            const refs = union.map((item) => (item as Json | null)?.$ref).filter((ref): ref is string =>
                typeof ref === "string"
            );
            complete(schema.discriminator as Json, refs);
        }
        Object.values(schema).forEach(visit);
    };
    visit(document);
}

function withEmittedOperationIds(bundled: Json, model: ApiModel): Json {
    const renamed = model.operations.filter((op) => op.operationId !== undefined && op.operationId !== op.name);
    if (renamed.length === 0) return bundled;
    const paths = { ...(bundled.paths as Record<string, Record<string, unknown>>) };
    for (const op of renamed) {
        const item = { ...paths[op.path] };
        item[op.method] = { ...(item[op.method] as object), operationId: op.name };
        paths[op.path] = item;
    }
    return { ...bundled, paths };
}
