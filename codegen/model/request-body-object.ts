import { FORM_STYLES, type EncodingSpec, type ParameterStyle, type RequestBodySpec } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { asObject, type ReadContext } from "./context.js";

/** The request body's media types and the `encoding` the runtime uses; undefined when there is none. */
export function readRequestBody(
    raw: unknown,
    given: string,
    { deref, warn }: ReadContext,
): RequestBodySpec | undefined {
    if (raw === undefined) return undefined;
    const { value, pointer } = deref(raw, given);
    const body = asObject(value);
    const content = asObject(body.content);
    const encoding: Record<string, Record<string, EncodingSpec>> = {};
    for (const [mediaType, rawMedia] of Object.entries(content)) {
        const properties: Record<string, EncodingSpec> = {};
        for (const [property, rawEncoding] of Object.entries(asObject(asObject(rawMedia).encoding))) {
            const given = asObject(rawEncoding);
            const at = `${pointer}/content/${escapePointer(mediaType)}/encoding/${escapePointer(property)}`;
            if (typeof given.style === "string" && !FORM_STYLES.includes(given.style as ParameterStyle)) {
                warn(
                    `${at}/style`,
                    "encoding-style",
                    `style ${JSON.stringify(given.style)} is not one a form property can have (${
                        FORM_STYLES.join(", ")
                    }); the default is used`,
                );
            }
            if (given.headers !== undefined) {
                warn(
                    `${at}/headers`,
                    "unsupported",
                    "per-part headers are not sent: a multipart part carries only its Content-Type",
                );
            }
            const model: EncodingSpec = {
                ...(typeof given.contentType === "string" ? { contentType: given.contentType } : {}),
                ...(typeof given.style === "string" && FORM_STYLES.includes(given.style as ParameterStyle)
                    ? { style: given.style as ParameterStyle }
                    : {}),
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
