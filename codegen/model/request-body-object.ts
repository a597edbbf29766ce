import { FORM_STYLES, type EncodingSpec, type ParameterStyle, type RequestBodySpec } from "joinkit/runtime";
import { asObject, type ReadContext } from "./context.js";

/** The request body's media types and the `encoding` the runtime uses; undefined when there is none. */
export function readRequestBody(raw: unknown, { deref }: ReadContext): RequestBodySpec | undefined {
    if (raw === undefined) return undefined;
    const body = asObject(deref(raw, "").value);
    const content = asObject(body.content);
    const encoding: Record<string, Record<string, EncodingSpec>> = {};
    for (const [mediaType, rawMedia] of Object.entries(content)) {
        const properties: Record<string, EncodingSpec> = {};
        for (const [property, rawEncoding] of Object.entries(asObject(asObject(rawMedia).encoding))) {
            const given = asObject(rawEncoding);
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
