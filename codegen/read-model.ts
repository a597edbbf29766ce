import { serverUrl } from "../src/runtime/servers.js";
import { escapePointer, resolvePointer, unescapePointer } from "./json-pointer.js";
import { isUsableIdentifier, NameScope, toIdentifier } from "./naming.js";
import type { SpecProblem } from "./spec-error.js";

/** What the emitters need to know about one API, read from its bundled document. */
export interface ApiModel {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
    readonly servers: readonly ServerModel[];
    readonly operations: readonly OperationModel[];
    readonly catalogues: readonly CatalogueModel[];
    /** `components.securitySchemes` that a client can apply, in the spec's order. */
    readonly securitySchemes: readonly SecuritySchemeModel[];
    /** A named type export per component schema (`Todo` for `#/components/schemas/Todo`). */
    readonly schemaTypes: readonly { readonly name: string; readonly schema: string }[];
    /** Operations found in `paths`, emitted or not. */
    readonly operationsFound: number;
    readonly warnings: readonly SpecProblem[];
}

export type SecuritySchemeModel = { readonly name: string; readonly description?: string } & (
    | { readonly type: "http"; readonly scheme: string }
    | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly paramName: string }
    | { readonly type: "oauth2" | "openIdConnect" | "mutualTLS" }
);

export interface ServerModel {
    readonly url: string;
    readonly description?: string;
    readonly variables?: Readonly<Record<string, { default: string; enum?: string[]; description?: string }>>;
}

export interface OperationModel {
    /** The wrapper's function name. */
    readonly name: string;
    readonly operationId?: string;
    readonly method: string;
    readonly path: string;
    readonly summary?: string;
    readonly description?: string;
    readonly deprecated: boolean;
    /** Whether the caller must pass `init` (required parameters or body). */
    readonly requiresInit: boolean;
    readonly errors: readonly ErrorDecoderModel[];
    /** `x-idempotent` when given, else whether the HTTP method is idempotent. */
    readonly idempotent: boolean;
    /** Every parameter (path-level ones merged in), with its style and explode resolved. */
    readonly parameters: readonly ParameterModel[];
    readonly requestBody?: RequestBodyModel;
    /** Every declared response key with its media types (`[]` when it has no content). */
    readonly responses: Readonly<Record<string, readonly string[]>>;
    readonly rateLimit?: RateLimitModel;
    /** The operation's `security` (else the document's): alternatives of scheme names. */
    readonly security: readonly (readonly string[])[];
}

/** Mirrors the runtime's `RequestBodySpec`. */
export interface RequestBodyModel {
    readonly required: boolean;
    readonly mediaTypes: readonly string[];
    /** The spec's `encoding` per media type and property, where it says anything the runtime uses. */
    readonly encoding?: Readonly<Record<string, Readonly<Record<string, EncodingModel>>>>;
}

/** Mirrors the runtime's `EncodingSpec`. */
export interface EncodingModel {
    readonly contentType?: string;
    readonly style?: string;
    readonly explode?: boolean;
    readonly allowReserved?: boolean;
}

/** Mirrors the runtime's `ParameterSpec`. */
export interface ParameterModel {
    readonly name: string;
    readonly in: "path" | "query" | "header" | "cookie";
    readonly style: string;
    readonly explode: boolean;
    readonly required: boolean;
    readonly allowReserved?: boolean;
    readonly type?: "primitive" | "array" | "object";
    readonly contentType?: string;
}

export interface RateLimitModel {
    readonly requests: number;
    readonly perSeconds: number;
    readonly burst?: number;
    readonly maxInFlight?: number;
}

export interface ErrorDecoderModel {
    readonly status: string;
    /** Name of the catalogue's enum. */
    readonly catalogue: string;
    readonly field?: string;
}

export interface CatalogueModel {
    readonly name: string;
    readonly description?: string;
    /** Where in the document the enum is declared. */
    readonly pointer: string;
    readonly members: readonly { name: string; value: string | number; description?: string }[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Names the generated files' module scope already uses. */
export const RESERVED_NAMES = [
    "paths",
    "components",
    "operations",
    "webhooks",
    "$defs",
    "servers",
    "createClient",
    "callOperation",
    "ApiClient",
    "CallOptions",
    "OperationInit",
    "OperationResult",
    "OperationSpec",
    "ClientOptions",
    "ServerSpec",
    "createApiClient",
    "securitySchemes",
    "operationSecurity",
    "withCredentials",
    "Credentials",
    "CredentialsOf",
    "SecuritySchemeSpec",
    "SecurityRequirements",
];

type Json = Record<string, unknown>;

/**
 * Reads operations, servers and error catalogues out of a bundled OpenAPI document
 * (internal `$ref`s only). Never throws on odd input: what it cannot use becomes a warning
 * with the JSON pointer it concerns.
 */
export function readModel(document: Json, file: string): ApiModel {
    const warnings: SpecProblem[] = [];
    const warn = (pointer: string, rule: string, message: string) =>
        warnings.push({ file, pointer, rule, message, severity: "warning" });
    const deref = createDeref(document);
    const scope = new NameScope(RESERVED_NAMES);
    const catalogues = new Map<string, CatalogueModel>();

    const info = asObject(document.info);
    const found: { method: string; path: string; pointer: string; op: Json; pathItem: Json }[] = [];
    for (const [route, rawItem] of Object.entries(asObject(document.paths))) {
        const itemPointer = `#/paths/${escapePointer(route)}`;
        const pathItem = asObject(deref(rawItem, itemPointer).value);
        // OpenAPI 3.2's QUERY method and custom methods have no openapi-fetch call to wrap.
        for (const extra of ["query", "additionalOperations"]) {
            if (pathItem[extra] === undefined) continue;
            warn(`${itemPointer}/${extra}`, "openapi-3.2", `OpenAPI 3.2 \`${extra}\` operations are not emitted; call them with the raw client`);
        }
        for (const method of METHODS) {
            if (pathItem[method] === undefined) continue;
            const op = asObject(pathItem[method]);
            found.push({ method, path: route, pointer: `${itemPointer}/${method}`, op, pathItem });
        }
    }

    // Usable operationIds claim their names first, then ids that need converting, then
    // names derived from method and path: a spec's own name wins any collision.
    const names = new Map<string, string>();
    const preference = ({ op }: (typeof found)[number]) =>
        typeof op.operationId !== "string" ? 2 : isUsableIdentifier(op.operationId) ? 0 : 1;
    const byPreference = [...found].sort((a, b) => preference(a) - preference(b));
    for (const entry of byPreference) {
        const id = typeof entry.op.operationId === "string" ? entry.op.operationId : undefined;
        // A spec's operationId is kept as written when it is already a usable name.
        const base =
            id !== undefined && isUsableIdentifier(id)
                ? id
                : toIdentifier(id ?? `${entry.method} ${entry.path.replace(/\{([^}]*)\}/g, "by $1")}`, "camel", entry.method);
        const name = scope.claim(base, ["Operation"]);
        if (id !== undefined && name !== id) {
            warn(`${entry.pointer}/operationId`, "operation-name", `operationId ${JSON.stringify(id)} is emitted as ${name}`);
        }
        names.set(entry.pointer, name);
    }

    const catalogueFor = (schemaPointer: string, schema: Json, fallbackName: string): CatalogueModel | undefined => {
        const existing = catalogues.get(schemaPointer);
        if (existing) return existing;
        const members = readMembers(schema, schemaPointer, warn);
        if (members.length === 0) return undefined;
        const catalogue: CatalogueModel = {
            name: scope.claim(toIdentifier(componentCatalogueName(schemaPointer) ?? fallbackName, "pascal", "ErrorCode")),
            description: typeof schema.description === "string" ? schema.description : undefined,
            pointer: schemaPointer,
            members,
        };
        catalogues.set(schemaPointer, catalogue);
        return catalogue;
    };

    const securitySchemes = readSecuritySchemes(asObject(asObject(document.components).securitySchemes), deref, warn);
    const operations: OperationModel[] = found.map(({ method, path: route, pointer, op, pathItem }) => {
        const name = names.get(pointer)!;
        const errors: ErrorDecoderModel[] = [];
        for (const [status, rawResponse] of Object.entries(asObject(op.responses))) {
            if (!/^(default|[45](\d\d|XX))$/i.test(status)) continue;
            const responsePointer = `${pointer}/responses/${escapePointer(status)}`;
            // A shared response (`$ref` to components/responses) names its catalogue there.
            const responseRef = deref(rawResponse, responsePointer);
            const response = asObject(responseRef.value);
            for (const [mediaType, rawMedia] of Object.entries(asObject(response.content))) {
                const mediaPointer = `${responseRef.pointer}/content/${escapePointer(mediaType)}`;
                const schemaRef = deref(asObject(rawMedia).schema, `${mediaPointer}/schema`);
                const schema = asObject(schemaRef.value);
                if (Array.isArray(schema.enum)) {
                    const catalogue = catalogueFor(schemaRef.pointer, schema, `${name} error`);
                    if (catalogue) errors.push({ status, catalogue: catalogue.name });
                    continue;
                }
                const codeRef = deref(asObject(schema.properties).code, `${schemaRef.pointer}/properties/code`);
                const code = asObject(codeRef.value);
                if (Array.isArray(code.enum)) {
                    const catalogue = catalogueFor(codeRef.pointer, code, `${name} error code`);
                    if (catalogue) errors.push({ status, catalogue: catalogue.name, field: "code" });
                }
            }
        }
        return {
            name,
            operationId: typeof op.operationId === "string" ? op.operationId : undefined,
            method,
            path: route,
            summary: nonEmptyString(op.summary),
            description: nonEmptyString(op.description),
            deprecated: op.deprecated === true,
            requiresInit: requiresInit(op, pathItem, deref),
            errors: dedupeDecoders(errors),
            idempotent: readIdempotent(op["x-idempotent"], method, `${pointer}/x-idempotent`, warn),
            parameters: readParameters(op, pathItem, pointer, deref, warn),
            requestBody: readRequestBody(op.requestBody, deref),
            responses: Object.fromEntries(
                Object.entries(asObject(op.responses)).map(([status, raw]) => [
                    status,
                    Object.keys(asObject(asObject(deref(raw, `${pointer}/responses/${escapePointer(status)}`).value).content)),
                ]),
            ),
            rateLimit: readRateLimit(op["x-rate-limit"], `${pointer}/x-rate-limit`, warn),
            security: readSecurity(op.security ?? document.security, securitySchemes, `${pointer}/security`, warn),
        };
    });

    // Schema types are claimed after everything else: an error enum named after its component
    // already is that component's type, and the spec's operation names win any collision.
    const catalogueNames = new Set([...catalogues.values()].map((c) => c.name));
    const schemaTypes = Object.keys(asObject(asObject(document.components).schemas)).flatMap((schema) => {
        const name = toIdentifier(schema, "pascal", "Schema");
        if (catalogueNames.has(name) && catalogues.get(`#/components/schemas/${escapePointer(schema)}`)) return [];
        return [{ name: scope.claim(name), schema }];
    });

    return {
        title: nonEmptyString(info.title) ?? "API",
        version: typeof info.version === "string" ? info.version : String(info.version ?? ""),
        description: nonEmptyString(info.description),
        servers: readServers(document.servers, warn),
        operations,
        catalogues: [...catalogues.values()],
        securitySchemes,
        schemaTypes,
        operationsFound: found.length,
        warnings,
    };
}

/**
 * A catalogue declared in a component is named after the component, whichever operation
 * meets it first: `Error` → `ErrorCode` for `#/components/schemas/Error/properties/code`,
 * `NotFound` → `NotFoundErrorCode` for a shared response's code. Undefined elsewhere.
 */
function componentCatalogueName(pointer: string): string | undefined {
    const [, kind, rawName, rest] = /^#\/components\/(schemas|responses)\/([^/]+)(\/.*)?$/.exec(pointer) ?? [];
    if (!kind || !rawName) return undefined;
    const name = unescapePointer(rawName);
    if (kind === "schemas" && rest === undefined) return name;
    const suffix = kind === "schemas" ? "Code" : "ErrorCode";
    return /code$/i.test(name) ? name : `${name} ${suffix}`;
}

function readMembers(
    schema: Json,
    pointer: string,
    warn: (pointer: string, rule: string, message: string) => void,
): CatalogueModel["members"][number][] {
    const values = schema.enum as unknown[];
    const names = schema["x-enum-varnames"] ?? schema["x-enumNames"];
    const descriptions = schema["x-enum-descriptions"] ?? schema["x-enumDescriptions"];
    const scope = new NameScope();
    const members: { name: string; value: string | number; description?: string }[] = [];
    values.forEach((value, index) => {
        if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
            warn(`${pointer}/enum/${index}`, "enum-value", `${JSON.stringify(value)} cannot be a TypeScript enum value; left out of the enum`);
            return;
        }
        const given = Array.isArray(names) && typeof names[index] === "string" ? (names[index] as string) : undefined;
        const derived = typeof value === "number" ? `Code ${String(value).replace("-", "minus ").replace(".", "_")}` : value;
        const name = scope.claim(toIdentifier(given ?? derived, "pascal", "Empty"));
        members.push({ name, value, description: describeMember(descriptions, index, value) });
    });
    return members;
}

function describeMember(descriptions: unknown, index: number, value: string | number): string | undefined {
    if (Array.isArray(descriptions)) return nonEmptyString(descriptions[index]);
    if (descriptions && typeof descriptions === "object") return nonEmptyString((descriptions as Json)[String(value)]);
    return undefined;
}

function requiresInit(op: Json, pathItem: Json, deref: Deref): boolean {
    const parameters = [...asArray(pathItem.parameters), ...asArray(op.parameters)].map((p) => asObject(deref(p, "").value));
    if (parameters.some((p) => p.required === true || p.in === "path")) return true;
    return asObject(deref(op.requestBody, "").value).required === true;
}

// RFC 9110 §9.2.2: repeating these has the same effect as sending them once.
const IDEMPOTENT_METHODS = new Set(["get", "head", "options", "trace", "put", "delete"]);

function readIdempotent(value: unknown, method: string, pointer: string, warn: (p: string, r: string, m: string) => void): boolean {
    if (typeof value === "boolean") return value;
    if (value !== undefined) warn(pointer, "x-idempotent", `expected true or false; ${method.toUpperCase()}'s default applies`);
    return IDEMPOTENT_METHODS.has(method);
}



function readRateLimit(value: unknown, pointer: string, warn: (p: string, r: string, m: string) => void): RateLimitModel | undefined {
    if (value === undefined) return undefined;
    const { requests, perSeconds, burst, maxInFlight } = asObject(value);
    const positive = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n > 0;
    const count = (n: unknown) => n === undefined || (typeof n === "number" && Number.isSafeInteger(n) && n >= 1);
    if (positive(requests) && positive(perSeconds) && count(burst) && count(maxInFlight)) {
        return {
            requests: requests as number,
            perSeconds: perSeconds as number,
            ...(burst !== undefined ? { burst: burst as number } : {}),
            ...(maxInFlight !== undefined ? { maxInFlight: maxInFlight as number } : {}),
        };
    }
    warn(pointer, "x-rate-limit", "expected { requests, perSeconds: <positive number>, burst?, maxInFlight?: <whole number ≥ 1> }; ignored");
    return undefined;
}

function readSecuritySchemes(schemes: Json, deref: Deref, warn: (p: string, r: string, m: string) => void): SecuritySchemeModel[] {
    return Object.entries(schemes).flatMap(([name, raw]): SecuritySchemeModel[] => {
        const pointer = `#/components/securitySchemes/${escapePointer(name)}`;
        const scheme = asObject(deref(raw, pointer).value);
        const description = nonEmptyString(scheme.description);
        if (scheme.type === "http" && typeof scheme.scheme === "string") {
            const lower = scheme.scheme.toLowerCase();
            if (lower === "bearer" || lower === "basic") return [{ name, description, type: "http", scheme: lower }];
        } else if (scheme.type === "apiKey" && typeof scheme.name === "string" && ["header", "query", "cookie"].includes(scheme.in as string)) {
            return [{ name, description, type: "apiKey", in: scheme.in as "header" | "query" | "cookie", paramName: scheme.name }];
        } else if (scheme.type === "oauth2" || scheme.type === "openIdConnect" || scheme.type === "mutualTLS") {
            return [{ name, description, type: scheme.type }];
        }
        warn(pointer, "security-scheme", "a scheme joinkit cannot apply (HTTP schemes other than bearer and basic, or malformed); pass its credentials with middleware");
        return [];
    });
}

function readSecurity(
    value: unknown,
    schemes: readonly SecuritySchemeModel[],
    pointer: string,
    warn: (p: string, r: string, m: string) => void,
): string[][] {
    const known = new Set(schemes.map((s) => s.name));
    return asArray(value).flatMap((requirement) => {
        const names = Object.keys(asObject(requirement));
        const unknown = names.filter((name) => !known.has(name));
        if (unknown.length === 0) return [names];
        warn(pointer, "security", `security scheme ${unknown.map((n) => JSON.stringify(n)).join(", ")} is not one joinkit can apply; that alternative is left out`);
        return [];
    });
}

const LOCATIONS = ["path", "query", "header", "cookie"] as const;
const STYLES: Readonly<Record<(typeof LOCATIONS)[number], readonly string[]>> = {
    path: ["simple", "label", "matrix"],
    query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    header: ["simple"],
    cookie: ["form"],
};

/**
 * The operation's parameters, path-level ones included (an operation's own parameter with
 * the same name and location wins), each with its style and explode as OpenAPI defines
 * the defaults, and what its schema allows (primitive, array, object) when it says.
 */
function readParameters(op: Json, pathItem: Json, pointer: string, deref: Deref, warn: (p: string, r: string, m: string) => void): ParameterModel[] {
    const byKey = new Map<string, ParameterModel>();
    const all = [
        ...asArray(pathItem.parameters).map((p, i) => [p, `${pointer.replace(/\/[^/]+$/, "")}/parameters/${i}`] as const),
        ...asArray(op.parameters).map((p, i) => [p, `${pointer}/parameters/${i}`] as const),
    ];
    for (const [raw, at] of all) {
        const param = asObject(deref(raw, at).value);
        const location = LOCATIONS.find((l) => l === param.in);
        if (typeof param.name !== "string" || !location) continue;
        const defaultStyle = location === "query" || location === "cookie" ? "form" : "simple";
        let style = typeof param.style === "string" ? param.style : defaultStyle;
        if (!STYLES[location].includes(style)) {
            warn(`${at}/style`, "parameter-style", `style ${JSON.stringify(style)} is not defined for ${location} parameters; ${defaultStyle} is used`);
            style = defaultStyle;
        }
        const content = Object.keys(asObject(param.content));
        byKey.set(`${location} ${param.name}`, {
            name: param.name,
            in: location,
            style,
            explode: typeof param.explode === "boolean" ? param.explode : style === "form",
            required: location === "path" || param.required === true,
            ...(location === "query" && param.allowReserved === true ? { allowReserved: true } : {}),
            ...(content.length > 0 ? { contentType: content[0] } : schemaKind(deref(param.schema, `${at}/schema`).value, deref)),
        });
    }
    return [...byKey.values()];
}

/** `{ type }` for a schema that is clearly a primitive, an array or an object; `{}` when it does not say. */
function schemaKind(raw: unknown, deref: Deref): { type?: "primitive" | "array" | "object" } {
    const schema = asObject(raw);
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => typeof t === "string" && t !== "null");
    if (types.length === 1) {
        if (types[0] === "array") return { type: "array" };
        if (types[0] === "object") return { type: "object" };
        return { type: "primitive" };
    }
    if (types.length === 0 && Array.isArray(schema.enum) && schema.enum.every((v) => v === null || typeof v !== "object")) return { type: "primitive" };
    if (types.length === 0 && (schema.properties !== undefined || schema.additionalProperties !== undefined)) return { type: "object" };
    for (const key of ["allOf"] as const) {
        const parts = asArray(schema[key]).map((part) => schemaKind(deref(part, "").value, deref).type);
        if (parts.length > 0 && parts.every((t) => t === parts[0])) return parts[0] ? { type: parts[0] } : {};
    }
    return {};
}

const FORM_STYLES = ["form", "spaceDelimited", "pipeDelimited", "deepObject"];

function readRequestBody(raw: unknown, deref: Deref): OperationModel["requestBody"] {
    if (raw === undefined) return undefined;
    const body = asObject(deref(raw, "").value);
    const content = asObject(body.content);
    const encoding: Record<string, Record<string, EncodingModel>> = {};
    for (const [mediaType, rawMedia] of Object.entries(content)) {
        const properties: Record<string, EncodingModel> = {};
        for (const [property, rawEncoding] of Object.entries(asObject(asObject(rawMedia).encoding))) {
            const given = asObject(rawEncoding);
            const model: EncodingModel = {
                ...(typeof given.contentType === "string" ? { contentType: given.contentType } : {}),
                ...(typeof given.style === "string" && FORM_STYLES.includes(given.style) ? { style: given.style } : {}),
                ...(typeof given.explode === "boolean" ? { explode: given.explode } : {}),
                ...(given.allowReserved === true ? { allowReserved: true } : {}),
            };
            if (Object.keys(model).length > 0) properties[property] = model;
        }
        if (Object.keys(properties).length > 0) encoding[mediaType] = properties;
    }
    return {
        required: body.required === true,
        mediaTypes: Object.keys(content),
        ...(Object.keys(encoding).length > 0 ? { encoding } : {}),
    };
}

function readServers(value: unknown, warn: (p: string, r: string, m: string) => void): ServerModel[] {
    return asArray(value).flatMap((raw, index) => {
        const server = asObject(raw);
        if (typeof server.url !== "string") return [];
        const model = readServer(server);
        try {
            serverUrl(model);
        } catch (error) {
            // The client could not build this server's URL: leave it out, say why and where.
            warn(`#/servers/${index}/url`, "server-variables", `${(error as Error).message}; this server is left out of \`servers\``);
            return [];
        }
        return [model];
    });
}

function readServer(server: Json): ServerModel {
    const variables = Object.entries(asObject(server.variables)).map(([name, rawVariable]) => {
        const variable = asObject(rawVariable);
        return [
            name,
            {
                default: String(variable.default ?? ""),
                enum: Array.isArray(variable.enum) ? variable.enum.map(String) : undefined,
                description: nonEmptyString(variable.description),
            },
        ] as const;
    });
    return {
        url: server.url as string,
        description: nonEmptyString(server.description),
        variables: variables.length > 0 ? Object.fromEntries(variables) : undefined,
    };
}

function dedupeDecoders(decoders: ErrorDecoderModel[]): ErrorDecoderModel[] {
    const seen = new Set<string>();
    return decoders.filter((d) => {
        const key = `${d.status} ${d.catalogue} ${d.field ?? ""}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

type Deref = (value: unknown, pointer: string) => { value: unknown; pointer: string };

/** Follows internal `$ref`s to their target, reporting where the target lives. */
function createDeref(document: Json): Deref {
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

function asObject(value: unknown): Json {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function nonEmptyString(value: unknown): string | undefined {
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

