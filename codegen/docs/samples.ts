import { followLocalRefs } from "../spec/json-pointer.js";
import { Code, literal, propertyKey } from "../emit/literal.js";
import type { StatusCodes } from "./errors.js";
import type { ApiModel, OperationModel, SecuritySchemeModel } from "../model/index.js";
import { asArray } from "../model/context.js";

type Json = Record<string, any>;

/** A code sample as Redoc's `x-codeSamples` takes it. */
export interface CodeSample {
    readonly lang: "TypeScript";
    readonly label: string;
    readonly source: string;
}

export const GENERATED_LABEL = "Generated client";

/** What a sample needs besides the operation: where the generated client is imported from. */
export interface SampleContext {
    readonly document: Json;
    readonly model: ApiModel;
    /** Module specifier of the generated package (`joinkit/apis/<name>`, or a relative path). */
    readonly generatedModule: string;
}

/**
 * A TypeScript sample that calls `op` with the generated client: `createClient` with the
 * credentials its security needs, the wrapper with every required parameter and a body
 * built from the schema (values from the spec's examples where it has them), then the
 * error handled by `kind` and, where the operation has an error catalogue, by `code`.
 * Built from the model alone, so any spec gets one; every string from the spec goes
 * through JSON.stringify.
 */
export function generatedClientSample(
    op: OperationModel,
    codes: readonly StatusCodes[],
    context: SampleContext,
): CodeSample {
    const catalogue = firstCode(codes);
    const imports = ["createClient", op.name, ...(catalogue ? [catalogue.catalogue] : [])].sort((a, b) =>
        a.localeCompare(b)
    );
    const init = initFor(op, context.document);
    const call = init === undefined ? `${op.name}(client)` : `${op.name}(client, ${fitted(init, 30 + op.name.length)})`;
    const lines = [
        importLine(imports, context.generatedModule),
        "",
        `const client = createClient(${clientOptions(op, context.model)});`,
        "",
        `const { data, error } = await ${call};`,
        ...errorHandling(op, catalogue),
    ];
    return { lang: "TypeScript", label: GENERATED_LABEL, source: narrow(lines) };
}

/** The sample's text, indented by two spaces a level: the request panel is narrow. */
export function narrow(lines: readonly string[]): string {
    return `${lines.join("\n").replace(/^(?: {4})+/gm, (indent) => " ".repeat(indent.length / 2))}\n`;
}

/** An object literal on one line when it fits the panel beside `used` characters, else one property a line. */
export function fitted(value: Record<string, unknown>, used: number): string {
    const flat = literal(value, "");
    if (used + flat.length <= 56 || flat.includes("\n")) return flat;
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{\n${entries.map(([key, item]) => `    ${propertyKey(key)}: ${literal(item, "    ")},\n`).join("")}}`;
}

/** One import, its names one per line when it would not fit the narrow sample panel. */
export function importLine(names: readonly string[], module: string): string {
    const line = `import { ${names.join(", ")} } from ${JSON.stringify(module)};`;
    return line.length <= 60
        ? line
        : `import {\n${names.map((n) => `    ${n},\n`).join("")}} from ${JSON.stringify(module)};`;
}

/** The first code the operation declares at a 4xx status (else any status), for the sample's `code` check. */
export function firstCode(codes: readonly StatusCodes[]): { catalogue: string; member: string } | undefined {
    const ordered = [...codes].sort((a, b) => rank(a) - rank(b));
    const pick = ordered.find((c) => c.members.length > 0);
    return pick ? { catalogue: pick.catalogue.name, member: pick.members[0]!.name } : undefined;
}

function rank(codes: StatusCodes): number {
    if (!codes.declared) return 3;
    if (/^4\d\d$/.test(codes.status) && codes.status !== "429") return 0;
    return /^4/i.test(codes.status) ? 1 : 2;
}

/** `if (error) switch (error.kind) …`, the cases a caller of this operation meets. */
export function errorHandling(
    op: OperationModel,
    catalogue: { catalogue: string; member: string } | undefined,
    indent = "",
): string[] {
    const problem = Object.entries(op.responses).some(([status, types]) =>
        /^(default|[45])/i.test(status) && types.some((t) => /problem\+json/i.test(t))
    );
    const detail = problem ? "error.problem?.detail ?? error.message" : "error.message";
    const http = [
        ...(catalogue
            ? [`if (error.code === ${catalogue.catalogue}.${catalogue.member}) {`, "    // handle this code", "}"]
            : []),
        `console.error(error.status, ${catalogue ? "error.code, " : ""}${detail});`,
    ];
    const body = [
        "if (error) {",
        "    switch (error.kind) {",
        '        case "http":',
        ...http.map((line) => `            ${line}`),
        "            break;",
        '        case "rate-limited":',
        '            console.error("retry after", error.retryAfterMs);',
        "            break;",
        `        default: // network, timeout${op.idempotent ? " (retried first)" : ""}, invalid-request, …`,
        "            console.error(error.kind, error.message);",
        "    }",
        "} else {",
        "    console.log(data);",
        "}",
    ];
    return ["", ...body].map((line) => (line === "" ? "" : indent + line));
}

function clientOptions(op: OperationModel, model: ApiModel): string {
    const schemes = new Map(model.securitySchemes.map((s) => [s.name, s]));
    const chosen = op.security.find((alternative) => alternative.every((name) => schemes.has(name))) ?? [];
    const credentials: Record<string, unknown> = {};
    for (const name of chosen) {
        const scheme = schemes.get(name)!;
        if (scheme.spec.type === "mutualTLS") continue;
        credentials[name] = credentialValue(scheme);
    }
    return Object.keys(credentials).length > 0 ? fitted({ credentials }, 30) : "";
}

function credentialValue(scheme: SecuritySchemeModel): unknown {
    const variable = scheme.name.replace(/[^A-Za-z0-9]+/g, "_").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
    const env = (suffix: string) => new Code(`process.env[${JSON.stringify(`${variable}${suffix}`)}]!`);
    if (scheme.spec.type === "http" && scheme.spec.scheme === "basic") {
        return { username: env("_USERNAME"), password: env("_PASSWORD") };
    }
    return env("");
}

/** The wrapper's first argument: required parameters and the body; undefined when it needs none. */
export function initFor(op: OperationModel, document: Json): Record<string, unknown> | undefined {
    const operation = (document.paths?.[op.path]?.[op.method] ?? {}) as Json;
    const pathItem = (document.paths?.[op.path] ?? {}) as Json;
    const declared = [...asArray(pathItem.parameters), ...asArray(operation.parameters)].map((p) =>
        followLocalRefs<Json>(document, p) ?? {}
    );
    const params: Record<string, Record<string, unknown>> = {};
    for (const param of op.parameters) {
        if (!param.required) continue;
        const raw = [...declared].reverse().find((p) => p.name === param.name && p.in === param.in) ?? {};
        const value = raw.example ?? firstExample(raw.examples)
            ?? valueFor(document, raw.schema, param.name, new Set(), 0, firstMediaSchema(raw.content));
        (params[param.in] ??= {})[param.name] = value;
    }
    const init: Record<string, unknown> = {};
    if (Object.keys(params).length > 0) init.params = params;
    const body = followLocalRefs<Json>(document, operation.requestBody);
    if (body && op.requestBody && op.requestBody.mediaTypes.length > 0) {
        const mediaTypes = op.requestBody.mediaTypes;
        const json = mediaTypes.find((t) => isJson(t));
        const mediaType = json ?? mediaTypes[0]!;
        // Without a JSON type, the runtime picks by the body's kind; naming it is always right.
        if (!json && mediaTypes.length > 1) init.contentType = mediaType;
        const media = (body.content?.[mediaType] ?? {}) as Json;
        if (op.requestBody.required || Object.keys(params).length === 0 || json) {
            init.body = bodyFor(document, mediaType, media);
        }
    }
    return op.requiresInit || Object.keys(init).length > 0 ? init : undefined;
}

function bodyFor(document: Json, mediaType: string, media: Json): unknown {
    const kind = mediaKind(mediaType);
    if (kind === "text") {
        const example = media.example ?? firstExample(media.examples);
        return typeof example === "string" ? example : "…";
    }
    if (kind === "binary") return new Code("new Blob([])");
    const example = media.example ?? firstExample(media.examples);
    return valueFor(document, media.schema, "body", new Set(), 0, undefined, example, kind === "multipart");
}

function mediaKind(mediaType: string): "json" | "form" | "multipart" | "text" | "binary" {
    const base = mediaType.split(";")[0]!.trim().toLowerCase();
    if (isJson(base)) return "json";
    if (base === "application/x-www-form-urlencoded") return "form";
    if (base.startsWith("multipart/")) return "multipart";
    if (base.startsWith("text/") || base === "application/xml" || base.endsWith("+xml")) return "text";
    return "binary";
}

function isJson(mediaType: string): boolean {
    const base = mediaType.split(";")[0]!.trim().toLowerCase();
    return base === "application/json" || base.endsWith("+json") || base === "*/*json";
}

const MAX_DEPTH = 6;

/**
 * A value of `schema`'s type: the spec's example where it gives one (for the whole value,
 * or for this property in the enclosing example), else a placeholder of the right type;
 * objects hold their required, writable properties.
 */
function valueFor(
    document: Json,
    rawSchema: unknown,
    name: string,
    seen: ReadonlySet<string>,
    depth: number,
    fallbackSchema?: unknown,
    example?: unknown,
    multipart = false,
): unknown {
    const ref = typeof (rawSchema as Json)?.$ref === "string" ? ((rawSchema as Json).$ref as string) : undefined;
    if (ref && seen.has(ref)) return null;
    const inner = ref ? new Set([...seen, ref]) : seen;
    const schema = followLocalRefs<Json>(document, rawSchema) ?? followLocalRefs<Json>(document, fallbackSchema) ?? {};
    if (depth > MAX_DEPTH) return null;
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum)) {
        const allowed = schema.enum.filter((v: unknown) => v !== null);
        if (example !== undefined && allowed.some((v: unknown) => v === example)) return example;
        if (allowed.length > 0) return allowed[0];
    }
    for (const key of ["oneOf", "anyOf"] as const) {
        const options = asArray(schema[key]).filter((s) => !isNullSchema(document, s));
        if (options.length > 0 && schema.properties === undefined) {
            return valueFor(document, options[0], name, inner, depth + 1, undefined, example, multipart);
        }
    }
    const type = typeOf(schema);
    if (type === "object") return objectFor(document, schema, inner, depth, example, multipart);
    if (type === "array") {
        const min = typeof schema.minItems === "number" ? schema.minItems : 0;
        const given = Array.isArray(example) ? example : [];
        if (min === 0 && given.length === 0) return [];
        return [valueFor(document, schema.items, name, inner, depth + 1, undefined, given[0], multipart)];
    }
    const own = schema.example ?? firstOf(schema.examples) ?? schema.default;
    if (type === "string") {
        if (multipart && (schema.format === "binary" || schema.contentMediaType)) return new Code("new Blob([])");
        if (typeof example === "string") return example;
        if (typeof own === "string") return own;
        return placeholderString(schema, name);
    }
    if (type === "integer" || type === "number") {
        if (typeof example === "number") return example;
        if (typeof own === "number") return own;
        return typeof schema.minimum === "number" ? schema.minimum : 1;
    }
    if (type === "boolean") return typeof example === "boolean" ? example : typeof own === "boolean" ? own : true;
    if (type === "null") return null;
    if (example !== undefined && example !== null) return example;
    return own ?? null;
}

function objectFor(
    document: Json,
    schema: Json,
    seen: ReadonlySet<string>,
    depth: number,
    example: unknown,
    multipart: boolean,
): Record<string, unknown> {
    const { properties, required } = mergedObject(document, schema, seen);
    const given = example && typeof example === "object" && !Array.isArray(example) ? (example as Json) : {};
    const out: Record<string, unknown> = {};
    for (const key of required) {
        const property = properties[key];
        const resolved = followLocalRefs<Json>(document, property) ?? {};
        if (resolved.readOnly === true) continue;
        out[key] = valueFor(document, property ?? {}, key, seen, depth + 1, undefined, given[key], multipart);
    }
    return out;
}

/** Properties and required keys of an object schema, `allOf` parts merged in. */
function mergedObject(
    document: Json,
    schema: Json,
    seen: ReadonlySet<string>,
): { properties: Json; required: string[] } {
    const properties: Json = {};
    const required: string[] = [];
    const visit = (raw: unknown, depth: number) => {
        const ref = typeof (raw as Json)?.$ref === "string" ? ((raw as Json).$ref as string) : undefined;
        if (depth > MAX_DEPTH || (ref && seen.has(ref))) return;
        const part = followLocalRefs<Json>(document, raw);
        if (!part) return;
        for (const sub of asArray(part.allOf)) visit(sub, depth + 1);
        Object.assign(properties, part.properties ?? {});
        for (const key of asArray(part.required)) {
            if (typeof key === "string" && !required.includes(key)) required.push(key);
        }
    };
    visit(schema, 0);
    return { properties, required };
}

function typeOf(schema: Json): string | undefined {
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t: unknown) =>
        typeof t === "string" && t !== "null"
    );
    if (types.length > 0) return types[0];
    if (schema.properties || schema.additionalProperties || asArray(schema.allOf).length > 0) return "object";
    if (schema.items) return "array";
    if (schema.type === "null") return "null";
    return undefined;
}

function isNullSchema(document: Json, raw: unknown): boolean {
    const schema = followLocalRefs<Json>(document, raw) ?? {};
    return schema.type === "null"
        || (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null);
}

function placeholderString(schema: Json, name: string): string {
    switch (schema.format) {
        case "date-time":
            return "2026-01-01T00:00:00Z";
        case "date":
            return "2026-01-01";
        case "email":
            return "user@example.com";
        case "uuid":
            return "00000000-0000-0000-0000-000000000000";
        case "uri":
        case "url":
            return "https://example.com";
        default:
            return `<${name}>`;
    }
}

function firstExample(examples: unknown): unknown {
    if (!examples || typeof examples !== "object" || Array.isArray(examples)) return undefined;
    for (const example of Object.values(examples as Json)) {
        if (example && typeof example === "object" && "value" in example) return (example as Json).value;
    }
    return undefined;
}

function firstOf(value: unknown): unknown {
    return Array.isArray(value) ? value[0] : undefined;
}

function firstMediaSchema(content: unknown): unknown {
    if (!content || typeof content !== "object") return undefined;
    return (Object.values(content as Json)[0] as Json | undefined)?.schema;
}
