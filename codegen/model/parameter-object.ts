import {
    defaultExplode,
    defaultStyle,
    PARAMETER_STYLES,
    type ParameterLocation,
    type ParameterSpec,
    type ParameterStyle,
} from "joinkit/runtime";
import { asArray, asObject, type Deref, type Json, type ReadContext } from "./context.js";

const LOCATIONS = Object.keys(PARAMETER_STYLES) as ParameterLocation[];

/**
 * The operation's parameters, path-level ones included (an operation's own parameter with
 * the same name and location wins), each with its style and explode as OpenAPI defines
 * the defaults, and what its schema allows (primitive, array, object) when it says.
 */
export function readParameters(
    op: Json,
    pathItem: Json,
    pointer: string,
    { deref, warn }: ReadContext,
): ParameterSpec[] {
    const byKey = new Map<string, ParameterSpec>();
    const all = [
        ...asArray(pathItem.parameters).map((p, i) =>
            [p, `${pointer.replace(/\/[^/]+$/, "")}/parameters/${i}`] as const
        ),
        ...asArray(op.parameters).map((p, i) => [p, `${pointer}/parameters/${i}`] as const),
    ];
    for (const [raw, given] of all) {
        const { value, pointer: at } = deref(raw, given);
        const param = asObject(value);
        const location = LOCATIONS.find((l) => l === param.in);
        if (!location) {
            warn(
                value === undefined ? given : `${at}/in`,
                "parameter-location",
                value === undefined
                    ? "the parameter cannot be read (a $ref to nothing); it is left out of the wrapper"
                    : param.in === "querystring"
                    ? `OpenAPI 3.2 \`in: querystring\` (the whole query string as one value) is not supported: the wrapper has no parameter for ${
                        JSON.stringify(param.name)
                    } and sends no query string for it; add it with middleware`
                    : `\`in: ${
                        JSON.stringify(param.in)
                    }\` is not a parameter location (path, query, header, cookie); the parameter is left out of the wrapper`,
            );
            continue;
        }
        if (typeof param.name !== "string" || param.name === "") {
            warn(`${at}/name`, "parameter-name", "a parameter without a name is left out of the wrapper");
            continue;
        }
        const fallback = defaultStyle(location);
        let style = (typeof param.style === "string" ? param.style : fallback) as ParameterStyle;
        if (!PARAMETER_STYLES[location].includes(style)) {
            warn(
                `${at}/style`,
                "parameter-style",
                `style ${JSON.stringify(style)} is not defined for ${location} parameters; ${fallback} is used`,
            );
            style = fallback;
        }
        const content = Object.keys(asObject(param.content));
        if (content.length > 1) {
            warn(
                `${at}/content`,
                "parameter-content",
                `a parameter's content holds one media type; ${JSON.stringify(content[0])} is used, ${
                    content.slice(1).map((type) => JSON.stringify(type)).join(", ")
                } not`,
            );
        }
        byKey.set(`${location} ${param.name}`, {
            name: param.name,
            in: location,
            style,
            explode: typeof param.explode === "boolean" ? param.explode : defaultExplode(style),
            required: location === "path" || param.required === true,
            ...(location === "query" && param.allowReserved === true ? { allowReserved: true } : {}),
            ...(content.length > 0
                ? { contentType: content[0] }
                : schemaKind(deref(param.schema, `${at}/schema`).value, deref)),
        });
    }
    return [...byKey.values()];
}

/** Whether the caller must pass `init`: a path or required parameter, or a required body. */
export function requiresInit(op: Json, pathItem: Json, deref: Deref): boolean {
    const parameters = [...asArray(pathItem.parameters), ...asArray(op.parameters)].map((p) =>
        asObject(deref(p, "").value)
    );
    if (parameters.some((p) => p.required === true || p.in === "path")) return true;
    return asObject(deref(op.requestBody, "").value).required === true;
}

/** `{ type }` for a schema that is clearly a primitive, an array or an object; `{}` when it does not say. */
function schemaKind(raw: unknown, deref: Deref): { type?: "primitive" | "array" | "object" } {
    const schema = asObject(raw);
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) =>
        typeof t === "string" && t !== "null"
    );
    if (types.length === 1) {
        if (types[0] === "array") return { type: "array" };
        if (types[0] === "object") return { type: "object" };
        return { type: "primitive" };
    }
    if (
        types.length === 0 && Array.isArray(schema.enum)
        && schema.enum.every((v) => v === null || typeof v !== "object")
    ) return { type: "primitive" };
    if (types.length === 0 && (schema.properties !== undefined || schema.additionalProperties !== undefined)) {
        return { type: "object" };
    }
    for (const key of ["allOf"] as const) {
        const parts = asArray(schema[key]).map((part) => schemaKind(deref(part, "").value, deref).type);
        if (parts.length > 0 && parts.every((t) => t === parts[0])) return parts[0] ? { type: parts[0] } : {};
    }
    return {};
}
