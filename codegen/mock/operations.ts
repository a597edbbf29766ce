import type { ParameterSpec } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { readModel, type OperationModel } from "../model/index.js";
import { asArray, asObject, type Json } from "../model/context.js";
import type { MockDocument } from "./document.js";

/** A parameter as the simulator reads it: the model's style and explode, and the schema its values are checked against. */
export interface MockParameter {
    readonly spec: ParameterSpec;
    /** The Parameter Object's pointer. */
    readonly pointer: string;
    readonly schema: unknown;
    readonly schemaPointer: string;
}

/** One media type of a request body or response. */
export interface MockMedia {
    readonly mediaType: string;
    readonly pointer: string;
    readonly media: Json;
}

/** One operation the simulator serves, with everything checking a request and answering it needs. */
export interface MockOperation {
    /** How tests name it: the operationId, else `METHOD /path`. */
    readonly id: string;
    /** The generated wrapper's name (also accepted where an operation is named). */
    readonly name: string;
    readonly method: string;
    readonly path: string;
    readonly pointer: string;
    readonly op: Json;
    readonly model: OperationModel;
    readonly parameters: readonly MockParameter[];
    readonly requestBody?: {
        readonly pointer: string;
        readonly required: boolean;
        readonly content: readonly MockMedia[];
    };
    /** The security requirements (the operation's, else the document's), as written, and where. */
    readonly security: { readonly requirements: readonly Json[]; readonly pointer: string };
    readonly route: Route;
}

/**
 * Every operation of the document, read through the generator's model (model/), so the
 * simulator and the generated clients agree on each parameter's style, explode and
 * location, and on which operations exist.
 */
export function readOperations(document: MockDocument): MockOperation[] {
    const model = readModel(document.parsed, document.displayName);
    const { deref, parsed } = document;
    return model.operations.map((operation) => {
        const pointer = `#/paths/${escapePointer(operation.path)}/${operation.method}`;
        const pathItemPointer = `#/paths/${escapePointer(operation.path)}`;
        const pathItem = asObject(deref(asObject(parsed.paths)[operation.path], pathItemPointer).value);
        const op = asObject(pathItem[operation.method]);
        const raw = new Map<string, { param: Json; pointer: string }>();
        for (const [list, base] of [[pathItem.parameters, pathItemPointer], [op.parameters, pointer]] as const) {
            asArray(list).forEach((entry, i) => {
                const found = deref(entry, `${base}/parameters/${i}`);
                const param = asObject(found.value);
                raw.set(`${param.in as string} ${param.name as string}`, { param, pointer: found.pointer });
            });
        }
        // "If in is header and the name is Accept, Content-Type or Authorization, the
        // parameter definition SHALL be ignored" (OpenAPI 3.x, Parameter Object).
        const parameters = operation.parameters.filter((spec) =>
            !(spec.in === "header" && IGNORED_HEADERS.test(spec.name))
        ).map((spec): MockParameter => {
            const { param, pointer: at } = raw.get(`${spec.in} ${spec.name}`) ?? { param: {}, pointer };
            const content = Object.entries(asObject(param.content))[0];
            const [schema, schemaPointer] = content
                ? [asObject(content[1]).schema, `${at}/content/${escapePointer(content[0])}/schema`]
                : [param.schema, `${at}/schema`];
            return { spec, pointer: at, schema, schemaPointer };
        });
        let requestBody: MockOperation["requestBody"];
        if (op.requestBody !== undefined) {
            const found = deref(op.requestBody, `${pointer}/requestBody`);
            const body = asObject(found.value);
            requestBody = {
                pointer: found.pointer,
                required: body.required === true,
                content: Object.entries(asObject(body.content)).map(([mediaType, media]) => ({
                    mediaType,
                    pointer: `${found.pointer}/content/${escapePointer(mediaType)}`,
                    media: asObject(media),
                })),
            };
        }
        const ownSecurity = op.security !== undefined;
        return {
            id: operation.operationId ?? `${operation.method.toUpperCase()} ${operation.path}`,
            name: operation.name,
            method: operation.method,
            path: operation.path,
            pointer,
            op,
            model: operation,
            parameters,
            requestBody,
            security: {
                requirements: asArray(ownSecurity ? op.security : parsed.security).map(asObject),
                pointer: ownSecurity ? `${pointer}/security` : "#/security",
            },
            route: compileRoute(operation.path),
        };
    });
}

const IGNORED_HEADERS = /^(accept|content-type|authorization)$/i;

/** A path template split into segments, each literal text or a pattern capturing its parameters. */
export interface Route {
    readonly segments: readonly RouteSegment[];
    /** Query pairs written into the path key itself (`/responses?beta=true`): a request must carry them. */
    readonly query: readonly (readonly [string, string])[];
    /** Literal segments rank above mixed ones, mixed above bare parameters (OpenAPI: concrete paths first). */
    readonly rank: readonly number[];
}

type RouteSegment =
    | { readonly literal: string }
    | { readonly pattern: RegExp; readonly names: readonly string[] };

export function compileRoute(template: string): Route {
    // A `#…` in a path key only tells operations apart in the document; it is never sent.
    const hash = template.indexOf("#");
    const withQuery = hash === -1 ? template : template.slice(0, hash);
    const questionMark = withQuery.indexOf("?");
    const path = questionMark === -1 ? withQuery : withQuery.slice(0, questionMark);
    const query = questionMark === -1
        ? []
        : withQuery.slice(questionMark + 1).split("&").filter(Boolean).map((pair): [string, string] => {
            const at = pair.indexOf("=");
            const [key, value] = at === -1 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
            return [safeDecode(key) ?? key, safeDecode(value) ?? value];
        });
    const segments = path.split("/").slice(1).map((raw): RouteSegment => {
        if (!/\{[^{}]+\}/.test(raw)) return { literal: raw };
        const names: string[] = [];
        const source = raw.split(/(\{[^{}]+\})/).map((part) => {
            const name = /^\{([^{}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            names.push(name);
            return "(.+?)";
        }).join("");
        return { pattern: new RegExp(`^${source}$`, "s"), names };
    });
    return {
        segments,
        query,
        // A key with its own query pairs is the more specific of two that share a path.
        rank: [
            ...segments.map((
                s,
            ) => ("literal" in s ? 2 : s.names.length === 1 && s.pattern.source === "^(.+?)$" ? 0 : 1)),
            query.length > 0 ? 1 : 0,
        ],
    };
}

/** The raw text of each path parameter when `rawPath` (percent-encoding intact) fits the route. */
export function matchRoute(
    route: Route,
    rawPath: string,
    query: readonly (readonly [string, string])[],
): Record<string, string> | undefined {
    for (const [key, value] of route.query) {
        if (!query.some(([k, v]) => k === key && safeDecode(v) === value)) return undefined;
    }
    const parts = rawPath.split("/").slice(1);
    if (parts.length !== route.segments.length) return undefined;
    const values: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
        const segment = route.segments[i]!;
        const part = parts[i]!;
        if ("literal" in segment) {
            if (part !== segment.literal && safeDecode(part) !== segment.literal) return undefined;
            continue;
        }
        const match = segment.pattern.exec(part);
        if (!match) return undefined;
        segment.names.forEach((name, j) => (values[name] = match[j + 1]!));
    }
    return values;
}

/** Route ranks compared segment by segment: the more concrete route first. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
    return 0;
}

/**
 * The path prefixes the document's servers put before every path (`/v1` of
 * `https://api.example.com/v1`; variables at their defaults), longest first: a client
 * pointed at the simulator with the server's path still in its base URL is served too.
 */
export function serverPrefixes(document: MockDocument): string[] {
    const prefixes = new Set<string>();
    for (const server of asArray(document.parsed.servers).map(asObject)) {
        if (typeof server.url !== "string") continue;
        const variables = asObject(server.variables);
        const url = server.url.replace(
            /\{([^{}]+)\}/g,
            (_, name: string) => String(asObject(variables[name]).default ?? ""),
        );
        let pathname: string;
        try {
            pathname = new URL(url, "http://simulator.invalid").pathname;
        } catch {
            continue;
        }
        const prefix = pathname.replace(/\/+$/, "");
        if (prefix !== "") prefixes.add(prefix);
    }
    return [...prefixes].sort((a, b) => b.length - a.length);
}

export function safeDecode(text: string): string | undefined {
    try {
        return decodeURIComponent(text);
    } catch {
        return undefined;
    }
}
