import openapiTS, { astToString } from "openapi-typescript";
import type { OpenAPI3 } from "openapi-typescript";

/** `schema.ts`: the `paths` and `components` types, by openapi-typescript. */
export async function emitSchema(bundled: Record<string, unknown>): Promise<string> {
    const nodes = await openapiTS(bundled as unknown as OpenAPI3, { silent: true });
    return astToString(nodes);
}
