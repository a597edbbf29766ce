import { escapePointer } from "../spec/json-pointer.js";
import type { Json } from "../model/context.js";
import type { MockDocument } from "./document.js";
import type { Random } from "./random.js";
import { sampleRegex } from "./regex-sample.js";
import type { Direction, SchemaChecker } from "./schema-object.js";

/** A generated value, and whether it matches its schema (a pattern the sampler cannot satisfy, contradictory `allOf`s…). */
export interface Sample {
    readonly value: unknown;
    readonly valid: boolean;
}

// Below this depth optional properties are left out and arrays take their fewest items,
// so recursive schemas (trees, linked lists) end.
const FULL_DEPTH = 3;
const MAX_DEPTH = 12;
// Dates are drawn from one year after this instant: fixed, so the same seed gives the same dates.
const EPOCH = Date.UTC(2024, 0, 1);
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

/**
 * Values made from Schema Objects: the schema's own `example`/`examples`/`default` when it
 * has one that fits, otherwise data built from its keywords, deterministic for a given
 * `Random`. Every sample is checked with the same SchemaChecker that checks requests.
 */
export class SchemaSampler {
    constructor(
        private readonly document: MockDocument,
        private readonly checker: SchemaChecker,
    ) {}

    sample(schema: unknown, pointer: string, direction: Direction, random: Random, hint = "value"): Sample {
        let value: unknown;
        // A few tries: a oneOf branch or a pattern may come out wrong once and right the next.
        for (let attempt = 0; attempt < 4; attempt++) {
            value = this.generate(schema, pointer, direction, random, 0, hint);
            if (this.checker.matches(schema, pointer, value, direction)) return { value, valid: true };
        }
        return { value, valid: false };
    }

    private generate(
        raw: unknown,
        pointer: string,
        direction: Direction,
        random: Random,
        depth: number,
        hint: string,
    ): unknown {
        if (raw === true || raw === undefined || raw === null || typeof raw !== "object") return wordFor(hint, random);
        const { value: resolved, pointer: at } = this.document.deref(raw, pointer);
        if (resolved === undefined || resolved === null || typeof resolved !== "object") return wordFor(hint, random);
        const schema = this.flatten(resolved as Json, at);
        if (depth > MAX_DEPTH) {
            return schema.nullable === true || typeList(schema).includes("null")
                ? null
                : minimal(schema);
        }

        for (const example of examplesOf(schema)) {
            if (this.checker.matches(schema, at, example, direction)) return structuredClone(example);
        }
        if ("const" in schema) return structuredClone(schema.const);
        if (Array.isArray(schema.enum) && schema.enum.length > 0) {
            const options = schema.enum.filter((v) => v !== null);
            return structuredClone(random.pick(options.length > 0 ? options : schema.enum));
        }
        for (const keyword of ["oneOf", "anyOf"] as const) {
            const branches = schema[keyword];
            if (!Array.isArray(branches) || branches.length === 0) continue;
            return this.branch(schema, keyword, branches, at, direction, random, depth, hint);
        }

        const declared = typeList(schema);
        const types = declared.filter((t) => t !== "null");
        const type = types.length > 0 ? random.pick(types) : declared.includes("null") ? "null" : inferType(schema);
        switch (type) {
            case "null":
                return null;
            case "boolean":
                return random.next() < 0.5;
            case "integer":
            case "number":
                return numberFor(schema, type, random);
            case "array":
                return this.array(schema, at, direction, random, depth, hint);
            case "object":
                return this.object(schema, at, direction, random, depth);
            default:
                return this.string(schema, random, hint);
        }
    }

    /** A branch of a oneOf/anyOf, with the discriminator's property set to the branch's name. */
    private branch(
        schema: Json,
        keyword: "oneOf" | "anyOf",
        branches: unknown[],
        at: string,
        direction: Direction,
        random: Random,
        depth: number,
        hint: string,
    ): unknown {
        const start = random.int(0, branches.length - 1);
        // The parent's own keywords (properties beside a oneOf) apply to every branch.
        const { [keyword]: _branches, discriminator: _discriminator, ...rest } = schema;
        let last: unknown;
        for (let i = 0; i < branches.length; i++) {
            const index = (start + i) % branches.length;
            const branchPointer = `${at}/${keyword}/${index}`;
            const value = this.generate(
                { allOf: [rest, branches[index]] },
                branchPointer,
                direction,
                random,
                depth,
                hint,
            );
            const discriminator = schema.discriminator as Json | undefined;
            if (
                discriminator && typeof discriminator.propertyName === "string" && value !== null
                && typeof value === "object" && !Array.isArray(value)
            ) {
                // The discriminator names the branch, unless the branch already fixes its own value (a const).
                const tag = discriminatorValue(discriminator, branches[index]);
                const tagged = tag === undefined ? value : { ...(value as Json), [discriminator.propertyName]: tag };
                if (this.checker.matches(schema, at, tagged, direction)) return tagged;
            }
            if (this.checker.matches(schema, at, value, direction)) return value;
            // Optional properties may make the value match a second branch of a oneOf: keep
            // only what this branch requires.
            const pruned = this.pruned(value, { allOf: [rest, branches[index]] }, branchPointer);
            if (pruned !== value && this.checker.matches(schema, at, pruned, direction)) return pruned;
            last = value;
        }
        return last;
    }

    /** An object value cut down to the properties its schema requires. */
    private pruned(value: unknown, schema: Json, pointer: string): unknown {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
        const required = this.flatten(schema, pointer).required;
        if (!Array.isArray(required)) return value;
        return Object.fromEntries(Object.entries(value as Json).filter(([key]) => required.includes(key)));
    }

    private array(
        schema: Json,
        at: string,
        direction: Direction,
        random: Random,
        depth: number,
        hint: string,
    ): unknown[] {
        const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
        const min = typeof schema.minItems === "number" ? schema.minItems : depth >= FULL_DEPTH ? 0 : 1;
        const max = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(min, prefix.length, 2);
        const count = Math.min(Math.max(min, prefix.length > 0 ? prefix.length : Math.min(min + 1, max)), max);
        const items: unknown[] = [];
        const seen = new Set<string>();
        for (let i = 0, tries = 0; items.length < count && tries < count * 5; tries++) {
            const [itemSchema, itemPointer] = i < prefix.length
                ? [prefix[i], `${at}/prefixItems/${i}`]
                : [schema.items, `${at}/items`];
            const item = this.generate(itemSchema, itemPointer, direction, random, depth + 1, singular(hint));
            if (schema.uniqueItems === true) {
                const key = JSON.stringify(item);
                if (seen.has(key)) continue;
                seen.add(key);
            }
            items.push(item);
            i++;
        }
        return items;
    }

    private object(schema: Json, at: string, direction: Direction, random: Random, depth: number): Json {
        const properties = (schema.properties ?? {}) as Json;
        const required = new Set(
            Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : [],
        );
        const value: Json = {};
        for (const [name, raw] of Object.entries(properties)) {
            const property = this.document.deref(raw, `${at}/properties/${escapePointer(name)}`).value as
                | Json
                | undefined;
            // Never send what only the other direction carries.
            if (direction === "request" && property?.readOnly === true) continue;
            if (direction === "response" && property?.writeOnly === true) continue;
            if (!required.has(name) && (depth >= FULL_DEPTH || property?.deprecated === true)) continue;
            value[name] = this.generate(
                raw,
                `${at}/properties/${escapePointer(name)}`,
                direction,
                random,
                depth + 1,
                name,
            );
        }
        for (const name of required) {
            if (Object.hasOwn(value, name)) continue;
            const property = this.document.deref(properties[name], `${at}/properties/${escapePointer(name)}`).value as
                | Json
                | undefined;
            if (direction === "request" && property?.readOnly === true) continue;
            if (direction === "response" && property?.writeOnly === true) continue;
            // Required but described elsewhere (additionalProperties) or not at all.
            const extra = schema.additionalProperties;
            value[name] = typeof extra === "object" && extra !== null
                ? this.generate(extra, `${at}/additionalProperties`, direction, random, depth + 1, name)
                : wordFor(name, random);
        }
        const extra = schema.additionalProperties;
        const wanted = typeof schema.minProperties === "number" ? schema.minProperties : 0;
        for (let i = 1; Object.keys(value).length < wanted && i < wanted + 50; i++) {
            if (Object.hasOwn(value, `key${i}`)) continue;
            value[`key${i}`] = typeof extra === "object" && extra !== null
                ? this.generate(extra, `${at}/additionalProperties`, direction, random, depth + 1, "value")
                : wordFor("value", random);
        }
        return value;
    }

    private string(schema: Json, random: Random, hint: string): string {
        let text = typeof schema.format === "string" ? formatted(schema.format, random) : undefined;
        if (typeof schema.pattern === "string") {
            const regex = this.checker.pattern(schema.pattern);
            for (let tries = 0; tries < 20 && regex; tries++) {
                const candidate = sampleRegex(schema.pattern, random);
                if (candidate !== undefined && regex.test(candidate) && fitsLength(schema, candidate)) return candidate;
            }
        }
        text ??= wordFor(hint, random);
        const min = typeof schema.minLength === "number" ? schema.minLength : 0;
        const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
        while ([...text].length < min) text += random.hex(Math.min(16, min - [...text].length));
        if ([...text].length > max) text = [...text].slice(0, max).join("");
        return text;
    }

    /**
     * The schema with its `allOf` merged in: properties and `required` united, bounds
     * tightened, the first branch's type, enum, format or pattern kept. Merged property
     * schemas that both constrain become an `allOf` of their own.
     */
    private flatten(schema: Json, pointer: string, seen = new Set<string>()): Json {
        if (!Array.isArray(schema.allOf) || schema.allOf.length === 0) return schema;
        const { allOf, ...own } = schema;
        let merged: Json = { ...own };
        (allOf as unknown[]).forEach((part, i) => {
            const { value, pointer: at } = this.document.deref(part, `${pointer}/allOf/${i}`);
            if (value === null || typeof value !== "object" || seen.has(at)) return;
            const flat = this.flatten(value as Json, at, new Set([...seen, at]));
            merged = mergeSchemas(merged, flat);
        });
        return merged;
    }
}

function mergeSchemas(a: Json, b: Json): Json {
    const out: Json = { ...b, ...a };
    const aTypes = typeList(a);
    const bTypes = typeList(b);
    if (aTypes.length > 0 && bTypes.length > 0) {
        const both = aTypes.filter((t) => bTypes.includes(t) || (t === "integer" && bTypes.includes("number")));
        out.type = both.length > 0 ? both : aTypes;
    }
    if (a.properties || b.properties) {
        const properties: Json = { ...(b.properties as Json | undefined) };
        for (const [name, schema] of Object.entries((a.properties ?? {}) as Json)) {
            properties[name] = name in properties && !isEmptySchema(properties[name])
                ? isEmptySchema(schema) ? properties[name] : { allOf: [schema, properties[name]] }
                : schema;
        }
        out.properties = properties;
    }
    if (Array.isArray(a.required) || Array.isArray(b.required)) {
        out.required = [...new Set([...((a.required as unknown[]) ?? []), ...((b.required as unknown[]) ?? [])])];
    }
    for (const key of ["minimum", "minLength", "minItems", "minProperties"]) {
        if (typeof a[key] === "number" && typeof b[key] === "number") out[key] = Math.max(a[key], b[key]);
    }
    for (const key of ["maximum", "maxLength", "maxItems", "maxProperties"]) {
        if (typeof a[key] === "number" && typeof b[key] === "number") out[key] = Math.min(a[key], b[key]);
    }
    if (a.additionalProperties === false || b.additionalProperties === false) out.additionalProperties = false;
    out.nullable = a.nullable === true && b.nullable === true ? true : undefined;
    if (a.items !== undefined && b.items !== undefined) out.items = { allOf: [a.items, b.items] };
    return out;
}

function isEmptySchema(schema: unknown): boolean {
    if (schema === true) return true;
    if (schema === null || typeof schema !== "object") return false;
    return Object.keys(schema).every((k) => ["description", "title", "example", "examples", "deprecated"].includes(k));
}

function typeList(schema: Json): string[] {
    const type = schema.type;
    if (typeof type === "string") return [type];
    return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

function inferType(schema: Json): string {
    if (schema.properties || schema.additionalProperties || schema.required || schema.minProperties) return "object";
    if (schema.items || schema.prefixItems || schema.minItems) return "array";
    if (
        typeof schema.minimum === "number" || typeof schema.maximum === "number"
        || typeof schema.multipleOf === "number"
    ) {
        return "number";
    }
    return "string";
}

/** The schema's own examples, in the order a reader sees them: `example`, then 3.1's `examples`, then `default`. */
function examplesOf(schema: Json): unknown[] {
    return [
        ...("example" in schema && schema.example !== undefined ? [schema.example] : []),
        ...(Array.isArray(schema.examples) ? schema.examples : []),
        ...("default" in schema && schema.default !== undefined ? [schema.default] : []),
    ];
}

/** The least value of the schema's type, for a recursion that has gone deep enough. */
function minimal(schema: Json): unknown {
    const type = typeList(schema)[0] ?? inferType(schema);
    return type === "object" ? {} : type === "array" ? [] : type === "string" ? "" : type === "boolean" ? false : 0;
}

function discriminatorValue(discriminator: Json, branch: unknown): string | undefined {
    const ref = (branch as Json | undefined)?.$ref;
    if (typeof ref !== "string") return undefined;
    const mapping = (discriminator.mapping ?? {}) as Record<string, unknown>;
    const mapped = Object.entries(mapping).find(([, target]) =>
        target === ref || (typeof target === "string" && `#/components/schemas/${target}` === ref)
    );
    return mapped ? mapped[0] : ref.split("/").at(-1);
}

function numberFor(schema: Json, type: "integer" | "number", random: Random): number {
    const step = typeof schema.multipleOf === "number" && schema.multipleOf > 0
        ? schema.multipleOf
        : type === "integer"
        ? 1
        : 0.25;
    let low = typeof schema.minimum === "number" ? schema.minimum : undefined;
    let high = typeof schema.maximum === "number" ? schema.maximum : undefined;
    if (typeof schema.exclusiveMinimum === "number") low = Math.max(low ?? -Infinity, schema.exclusiveMinimum + step);
    else if (schema.exclusiveMinimum === true && low !== undefined) low += step;
    if (typeof schema.exclusiveMaximum === "number") high = Math.min(high ?? Infinity, schema.exclusiveMaximum - step);
    else if (schema.exclusiveMaximum === true && high !== undefined) high -= step;
    low ??= high !== undefined ? Math.min(1, high) : 1;
    high ??= Math.max(low, 1000);
    const first = Math.ceil(low / step);
    const last = Math.floor(high / step);
    if (last < first) return low;
    const value = random.int(first, Math.min(last, first + 999)) * step;
    return Number(value.toFixed(10));
}

function formatted(format: string, random: Random): string | undefined {
    const instant = new Date(EPOCH + random.int(0, 365 * 24 * 3600) * 1000).toISOString().replace(".000Z", "Z");
    switch (format) {
        case "date-time":
            return instant;
        case "date":
            return instant.slice(0, 10);
        case "time":
            return instant.slice(11);
        case "uuid":
            return `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-${random.pick(["8", "9", "a", "b"])}${
                random.hex(3)
            }-${random.hex(12)}`;
        case "email":
            return `${random.pick(WORDS)}@example.com`;
        case "uri":
        case "url":
        case "uri-reference":
        case "iri":
            return `https://example.com/${random.pick(WORDS)}`;
        case "hostname":
            return `${random.pick(WORDS)}.example.com`;
        case "ipv4":
            return `192.0.2.${random.int(1, 254)}`;
        case "ipv6":
            return `2001:db8::${random.int(1, 65535).toString(16)}`;
        case "byte":
            return Buffer.from(random.pick(WORDS)).toString("base64");
        case "password":
            return `secret-${random.hex(8)}`;
        default:
            return undefined;
    }
}

/** A plausible string for a property named `hint`: an ID looks like an ID, anything else like a word. */
function wordFor(hint: string, random: Random): string {
    if (/(^|[^a-z])id$|Id$|_id$|^id/i.test(hint)) return random.hex(24);
    return `${random.pick(WORDS)}-${random.hex(4)}`;
}

function singular(hint: string): string {
    return hint.endsWith("s") ? hint.slice(0, -1) : hint;
}

function fitsLength(schema: Json, text: string): boolean {
    const length = [...text].length;
    return (typeof schema.minLength !== "number" || length >= schema.minLength)
        && (typeof schema.maxLength !== "number" || length <= schema.maxLength);
}
