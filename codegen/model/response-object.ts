import { isErrorResponseKey, type ErrorDecoder, type OperationSpec } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import type { Catalogues } from "./error-catalogue.js";
import { asObject, type Json, type ReadContext } from "./context.js";

/** Every declared response key with its media types (`[]` when it has no content). */
export function readResponses(op: Json, pointer: string, { deref, warn }: ReadContext): OperationSpec["responses"] {
    return Object.fromEntries(
        Object.entries(asObject(op.responses)).map(([status, raw]) => {
            const { value, pointer: at } = deref(raw, `${pointer}/responses/${escapePointer(status)}`);
            const response = asObject(value);
            if (response.links !== undefined) {
                warn(
                    `${at}/links`,
                    "unsupported",
                    "links (how a response's values feed other operations) are not followed: no code is generated for them",
                );
            }
            return [status, Object.keys(asObject(response.content))];
        }),
    );
}

/**
 * How to read a catalogue member out of each error response: a body that is itself an
 * enum (a text code), or a JSON object whose `code` property is one. A shared response
 * (`$ref` to components/responses) names its catalogue there.
 */
export function readErrorDecoders(
    op: Json,
    pointer: string,
    name: string,
    catalogues: Catalogues,
    { deref }: ReadContext,
): ErrorDecoder<string>[] {
    const errors: ErrorDecoder<string>[] = [];
    for (const [status, rawResponse] of Object.entries(asObject(op.responses))) {
        if (!isErrorResponseKey(status)) continue;
        const responseRef = deref(rawResponse, `${pointer}/responses/${escapePointer(status)}`);
        const response = asObject(responseRef.value);
        for (const [mediaType, rawMedia] of Object.entries(asObject(response.content))) {
            const mediaPointer = `${responseRef.pointer}/content/${escapePointer(mediaType)}`;
            const schemaRef = deref(asObject(rawMedia).schema, `${mediaPointer}/schema`);
            const schema = asObject(schemaRef.value);
            if (Array.isArray(schema.enum)) {
                const catalogue = catalogues.at(schemaRef.pointer, schema, `${name} error`);
                if (catalogue) errors.push({ status, catalogue: catalogue.name });
                continue;
            }
            const codeRef = deref(asObject(schema.properties).code, `${schemaRef.pointer}/properties/code`);
            const code = asObject(codeRef.value);
            if (Array.isArray(code.enum)) {
                const catalogue = catalogues.at(codeRef.pointer, code, `${name} error code`);
                if (catalogue) errors.push({ status, catalogue: catalogue.name, field: "code" });
            }
        }
    }
    return dedupe(errors);
}

function dedupe(decoders: ErrorDecoder<string>[]): ErrorDecoder<string>[] {
    const seen = new Set<string>();
    return decoders.filter((d) => {
        const key = `${d.status} ${d.catalogue} ${d.field ?? ""}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
