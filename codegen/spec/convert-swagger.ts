import { createRequire } from "node:module";

type Json = Record<string, unknown>;

interface Swagger2OpenApi {
    convertObj(
        swagger: Json,
        options: { patch: boolean; warnOnly: boolean; resolve: boolean; direct: boolean },
    ): Promise<Json>;
}

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with swagger2openapi (the converter most
 * tools use). External `$ref`s are not followed here (`resolve: false`): nothing is
 * fetched, and Redocly's bundler resolves local files afterwards as for any document.
 * Small errors it can fix (`patch`) are fixed; what it cannot convert throws.
 */
export async function convertSwagger2(document: Json): Promise<Json> {
    // CommonJS without types; loaded on first use, so OpenAPI 3 documents never pay for it.
    const converter = createRequire(import.meta.url)("swagger2openapi") as Swagger2OpenApi;
    // `direct` resolves to the converted document instead of the options object.
    return converter.convertObj(structuredClone(document), {
        patch: true,
        warnOnly: true,
        resolve: false,
        direct: true,
    });
}
