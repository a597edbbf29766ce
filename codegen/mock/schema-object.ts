import { escapePointer } from "../spec/json-pointer.js";
import type { Json } from "../model/context.js";
import type { MockDocument } from "./document.js";

/**
 * Which way a value travels. A `readOnly` property is required only in responses and a
 * `writeOnly` one only in requests (OpenAPI 3.0 §4.7.25, 3.1's JSON Schema annotations).
 */
export type Direction = "request" | "response";

/** One way a value breaks its schema: where in the value, and which keyword of the spec it breaks. */
export interface SchemaProblem {
    /** JSON pointer into the value (`""` is the value itself, `/data/0/account` a nested one). */
    readonly at: string;
    /** JSON pointer of the schema keyword in the spec (`#/components/schemas/Account/properties/id/type`). */
    readonly pointer: string;
    readonly message: string;
}

type Problems = SchemaProblem[];

// The formats checked: the ones a client gets wrong in practice and a regular expression
// settles. Any other format is an annotation, as JSON Schema 2020-12 has it by default.
const FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
    "date-time": (v) =>
        /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v)
        && !Number.isNaN(Date.parse(v)),
    date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)),
    uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
    email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
    ipv4: (v) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(v),
};
const INTEGER_FORMATS: Readonly<Record<string, readonly [number, number]>> = {
    int32: [-(2 ** 31), 2 ** 31 - 1],
    int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** A value nested deeper than this is not checked further (a recursive schema meets a deep value). */
const MAX_DEPTH = 64;

/**
 * Checks values against OpenAPI Schema Objects, interpreting the spec itself (no code is
 * generated from it, so a hostile document cannot inject any) and naming, for every problem,
 * the keyword in the spec it breaks. Both dialects: 3.0 (`nullable`, boolean exclusive
 * bounds) and 3.1 (JSON Schema 2020-12: type arrays, `const`, `prefixItems`, `if`/`then`,
 * `$ref` beside other keywords).
 */
export class SchemaChecker {
    private readonly patterns = new Map<string, RegExp | undefined>();

    constructor(private readonly document: MockDocument) {}

    /** Every way `value` breaks the schema at `pointer` (`[]` when it matches). */
    check(schema: unknown, pointer: string, value: unknown, direction: Direction): SchemaProblem[] {
        const problems: Problems = [];
        this.visit(schema, pointer, value, "", direction, problems, 0, new Set());
        return problems;
    }

    /** Whether `value` matches: the same walk, stopping at nothing (it is cheap). */
    matches(schema: unknown, pointer: string, value: unknown, direction: Direction): boolean {
        return this.check(schema, pointer, value, direction).length === 0;
    }

    /** The compiled `pattern`, or undefined for one JavaScript cannot read (then it is not checked). */
    pattern(source: string): RegExp | undefined {
        if (!this.patterns.has(source)) {
            let regex: RegExp | undefined;
            for (const flags of ["u", ""]) {
                try {
                    regex = new RegExp(source, flags);
                    break;
                } catch {
                    // ECMA-262 without the u flag reads more of what specs write (`\-`, `[\w-.]`).
                }
            }
            this.patterns.set(source, regex);
        }
        return this.patterns.get(source);
    }

    private visit(
        raw: unknown,
        pointer: string,
        value: unknown,
        at: string,
        direction: Direction,
        problems: Problems,
        depth: number,
        refsHere: ReadonlySet<string>,
    ): void {
        if (raw === true || raw === undefined || depth > MAX_DEPTH) return;
        if (raw === false) {
            problems.push({ at, pointer, message: "is not allowed here (the schema is `false`)" });
            return;
        }
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return;
        const schema = raw as Json;
        const add = (keyword: string, message: string, where = at) =>
            problems.push({ at: where, pointer: `${pointer}/${escapePointer(keyword)}`, message });

        if (typeof schema.$ref === "string") {
            const ref = schema.$ref;
            // The same $ref again at the same place in the value: a schema that only refers to
            // itself, which constrains nothing more.
            if (!refsHere.has(ref)) {
                const target = this.document.deref(schema, pointer);
                if (target.value !== undefined) {
                    this.visit(
                        target.value,
                        target.pointer,
                        value,
                        at,
                        direction,
                        problems,
                        depth,
                        new Set([...refsHere, ref]),
                    );
                }
            }
            // 3.0: "any sibling elements of a $ref are ignored"; 3.1: they apply too.
            if (this.document.dialect === "3.0") return;
        }

        const nullable = schema.nullable === true;
        const types = typeList(schema.type);
        if (value === null && nullable) return;
        if (types.length > 0 && !types.some((type) => isOfType(value, type))) {
            add("type", `must be ${types.join(" or ")}${nullable ? " or null" : ""} (got ${describe(value)})`);
            return;
        }
        if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
            if (!(value === null && nullable)) {
                add(
                    "enum",
                    `must be one of ${schema.enum.slice(0, 8).map((o) => JSON.stringify(o)).join(", ")}${
                        schema.enum.length > 8 ? ", …" : ""
                    } (got ${short(value)})`,
                );
            }
        }
        if ("const" in schema && !deepEqual(schema.const, value)) {
            add("const", `must be ${JSON.stringify(schema.const)} (got ${short(value)})`);
        }

        if (typeof value === "string") this.string(schema, value, add);
        else if (typeof value === "number") number(schema, value, add);
        else if (Array.isArray(value)) this.array(schema, pointer, value, at, direction, problems, depth, add);
        else if (value !== null && typeof value === "object") {
            this.object(schema, pointer, value as Json, at, direction, problems, depth, add);
        }

        const sub = (s: unknown, p: string, out: Problems = problems) =>
            this.visit(s, p, value, at, direction, out, depth + 1, refsHere);
        if (Array.isArray(schema.allOf)) schema.allOf.forEach((s, i) => sub(s, `${pointer}/allOf/${i}`));
        for (const keyword of ["anyOf", "oneOf"] as const) {
            const branches = schema[keyword];
            if (!Array.isArray(branches) || branches.length === 0) continue;
            const chosen = this.discriminated(schema, branches, value);
            if (chosen !== undefined) {
                sub(branches[chosen], `${pointer}/${keyword}/${chosen}`);
                continue;
            }
            const results = branches.map((s, i) => {
                const out: Problems = [];
                sub(s, `${pointer}/${keyword}/${i}`, out);
                return out;
            });
            const passed = results.filter((r) => r.length === 0).length;
            if (passed === 0) {
                // The closest branch: fewest problems, a branch of the wrong type last.
                const score = (r: Problems) =>
                    r.length + (r.some((p) => p.at === at && p.pointer.endsWith("/type")) ? 1000 : 0);
                const closest = results.reduce((best, r) => (score(r) < score(best) ? r : best));
                add(
                    keyword,
                    `matches none of the ${branches.length} schemas in ${keyword} (closest: ${
                        closest[0] ? `${closest[0].at || "the value"} ${closest[0].message}` : "?"
                    })`,
                );
            } else if (keyword === "oneOf" && passed > 1) {
                add(keyword, `matches ${passed} of the schemas in oneOf; it must match exactly one`);
            }
        }
        if (schema.not !== undefined) {
            const out: Problems = [];
            sub(schema.not, `${pointer}/not`, out);
            if (out.length === 0) add("not", "must not match the schema in `not`");
        }
        if (schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined)) {
            const out: Problems = [];
            sub(schema.if, `${pointer}/if`, out);
            if (out.length === 0 && schema.then !== undefined) sub(schema.then, `${pointer}/then`);
            if (out.length > 0 && schema.else !== undefined) sub(schema.else, `${pointer}/else`);
        }
    }

    /** The branch a discriminator names for this value, when it names one the spec lists. */
    private discriminated(schema: Json, branches: readonly unknown[], value: unknown): number | undefined {
        const discriminator = schema.discriminator as Json | undefined;
        if (!discriminator || typeof discriminator.propertyName !== "string") return undefined;
        if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
        const tag = (value as Json)[discriminator.propertyName];
        if (typeof tag !== "string") return undefined;
        const mapping = (discriminator.mapping ?? {}) as Record<string, unknown>;
        const target = typeof mapping[tag] === "string"
            ? (mapping[tag] as string).startsWith("#") ? mapping[tag] : `#/components/schemas/${mapping[tag]}`
            : `#/components/schemas/${escapePointer(tag)}`;
        const index = branches.findIndex((b) => (b as Json | undefined)?.$ref === target);
        return index === -1 ? undefined : index;
    }

    private string(schema: Json, value: string, add: (k: string, m: string) => void): void {
        const length = typeof schema.minLength === "number" || typeof schema.maxLength === "number"
            ? [...value].length
            : 0;
        if (typeof schema.minLength === "number" && length < schema.minLength) {
            add("minLength", `must be at least ${schema.minLength} characters long (got ${length})`);
        }
        if (typeof schema.maxLength === "number" && length > schema.maxLength) {
            add("maxLength", `must be at most ${schema.maxLength} characters long (got ${length})`);
        }
        if (typeof schema.pattern === "string") {
            const regex = this.pattern(schema.pattern);
            if (regex && !regex.test(value)) {
                add("pattern", `must match the pattern ${schema.pattern} (got ${short(value)})`);
            }
        }
        const format = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
        if (format && !format(value)) add("format", `must be a valid ${schema.format as string} (got ${short(value)})`);
    }

    private array(
        schema: Json,
        pointer: string,
        value: unknown[],
        at: string,
        direction: Direction,
        problems: Problems,
        depth: number,
        add: (k: string, m: string) => void,
    ): void {
        if (typeof schema.minItems === "number" && value.length < schema.minItems) {
            add("minItems", `must have at least ${schema.minItems} item(s) (got ${value.length})`);
        }
        if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
            add("maxItems", `must have at most ${schema.maxItems} item(s) (got ${value.length})`);
        }
        if (schema.uniqueItems === true) {
            const seen = new Set<string>();
            for (const item of value) {
                const key = canonical(item);
                if (seen.has(key)) {
                    add("uniqueItems", `must not repeat an item (${short(item)} appears twice)`);
                    break;
                }
                seen.add(key);
            }
        }
        const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
        value.forEach((item, i) => {
            const [itemSchema, itemPointer] = i < prefix.length
                ? [prefix[i], `${pointer}/prefixItems/${i}`]
                : [schema.items, `${pointer}/items`];
            if (itemSchema !== undefined) {
                this.visit(itemSchema, itemPointer, item, `${at}/${i}`, direction, problems, depth + 1, new Set());
            }
        });
        if (schema.contains !== undefined) {
            const count = value.filter((item) => this.matches(schema.contains, `${pointer}/contains`, item, direction))
                .length;
            const min = typeof schema.minContains === "number" ? schema.minContains : 1;
            if (count < min) {
                add("contains", `must contain at least ${min} item(s) matching \`contains\` (got ${count})`);
            }
            if (typeof schema.maxContains === "number" && count > schema.maxContains) {
                add("maxContains", `must contain at most ${schema.maxContains} item(s) matching \`contains\``);
            }
        }
    }

    private object(
        schema: Json,
        pointer: string,
        value: Json,
        at: string,
        direction: Direction,
        problems: Problems,
        depth: number,
        add: (k: string, m: string, where?: string) => void,
    ): void {
        const properties = (schema.properties ?? {}) as Json;
        const keys = Object.keys(value);
        if (Array.isArray(schema.required)) {
            for (const name of schema.required) {
                if (typeof name !== "string" || Object.hasOwn(value, name)) continue;
                // A readOnly property is required only in responses, a writeOnly one only in requests.
                const property = this.document.deref(properties[name], `${pointer}/properties/${escapePointer(name)}`)
                    .value as Json | undefined;
                if (direction === "request" && property?.readOnly === true) continue;
                if (direction === "response" && property?.writeOnly === true) continue;
                add("required", "is required", `${at}/${escapePointer(name)}`);
            }
        }
        if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) {
            add("minProperties", `must have at least ${schema.minProperties} propert(ies) (got ${keys.length})`);
        }
        if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
            add("maxProperties", `must have at most ${schema.maxProperties} propert(ies) (got ${keys.length})`);
        }
        const patternProperties = Object.entries((schema.patternProperties ?? {}) as Json);
        for (const key of keys) {
            const where = `${at}/${escapePointer(key)}`;
            let known = false;
            if (Object.hasOwn(properties, key)) {
                known = true;
                this.visit(
                    properties[key],
                    `${pointer}/properties/${escapePointer(key)}`,
                    value[key],
                    where,
                    direction,
                    problems,
                    depth + 1,
                    new Set(),
                );
            }
            for (const [source, sub] of patternProperties) {
                if (!this.pattern(source)?.test(key)) continue;
                known = true;
                this.visit(
                    sub,
                    `${pointer}/patternProperties/${escapePointer(source)}`,
                    value[key],
                    where,
                    direction,
                    problems,
                    depth + 1,
                    new Set(),
                );
            }
            if (known || schema.additionalProperties === undefined || schema.additionalProperties === true) continue;
            if (schema.additionalProperties === false) {
                add("additionalProperties", "is not a property the schema allows (additionalProperties: false)", where);
            } else {
                this.visit(
                    schema.additionalProperties,
                    `${pointer}/additionalProperties`,
                    value[key],
                    where,
                    direction,
                    problems,
                    depth + 1,
                    new Set(),
                );
            }
        }
        if (schema.propertyNames !== undefined) {
            for (const key of keys) {
                this.visit(
                    schema.propertyNames,
                    `${pointer}/propertyNames`,
                    key,
                    `${at}/${escapePointer(key)}`,
                    direction,
                    problems,
                    depth + 1,
                    new Set(),
                );
            }
        }
        for (const [name, needed] of Object.entries((schema.dependentRequired ?? {}) as Json)) {
            if (!Object.hasOwn(value, name) || !Array.isArray(needed)) continue;
            for (const other of needed) {
                if (typeof other === "string" && !Object.hasOwn(value, other)) {
                    add("dependentRequired", `is required when ${name} is given`, `${at}/${escapePointer(other)}`);
                }
            }
        }
    }
}

function typeList(type: unknown): string[] {
    if (typeof type === "string") return [type];
    return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

function isOfType(value: unknown, type: string): boolean {
    switch (type) {
        case "null":
            return value === null;
        case "boolean":
            return typeof value === "boolean";
        case "string":
            return typeof value === "string";
        case "integer":
            return typeof value === "number" && Number.isInteger(value);
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "array":
            return Array.isArray(value);
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        default:
            // An unknown type name constrains nothing (lint reports it).
            return true;
    }
}

function number(schema: Json, value: number, add: (k: string, m: string) => void): void {
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
    if (typeof minimum === "number") {
        if (exclusiveMinimum === true ? value <= minimum : value < minimum) {
            add("minimum", `must be ${exclusiveMinimum === true ? ">" : ">="} ${minimum} (got ${value})`);
        }
    }
    if (typeof maximum === "number") {
        if (exclusiveMaximum === true ? value >= maximum : value > maximum) {
            add("maximum", `must be ${exclusiveMaximum === true ? "<" : "<="} ${maximum} (got ${value})`);
        }
    }
    if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum) {
        add("exclusiveMinimum", `must be > ${exclusiveMinimum} (got ${value})`);
    }
    if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum) {
        add("exclusiveMaximum", `must be < ${exclusiveMaximum} (got ${value})`);
    }
    if (typeof multipleOf === "number" && multipleOf > 0) {
        const quotient = value / multipleOf;
        if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
            add("multipleOf", `must be a multiple of ${multipleOf} (got ${value})`);
        }
    }
    const range = typeof schema.format === "string" ? INTEGER_FORMATS[schema.format] : undefined;
    if (range && Number.isInteger(value) && (value < range[0] || value > range[1])) {
        add("format", `must fit ${schema.format as string} (got ${value})`);
    }
}

/** A short description of a value's JSON type, for messages. */
export function describe(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

/** A value as it appears in a message: JSON, cut short. */
export function short(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function deepEqual(a: unknown, b: unknown): boolean {
    return a === b || canonical(a) === canonical(b);
}

/** JSON with object keys sorted: equal values, equal text. */
function canonical(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v) ?? "undefined";
}
