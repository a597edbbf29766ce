import openapiTS, { astToString } from "openapi-typescript";
import type { OpenAPI3 } from "openapi-typescript";
import type { ApiModel } from "./read-model.js";
import { SpecError } from "./spec-error.js";

/** `schema.ts`: the `paths`, `components` and `operations` types, by openapi-typescript. */
export async function emitSchema(bundled: Record<string, unknown>, model: ApiModel, file: string): Promise<string> {
    try {
        const nodes = await openapiTS(withEmittedOperationIds(bundled, model) as unknown as OpenAPI3, { silent: true });
        return astToString(nodes);
    } catch (error) {
        throw new SpecError([{ file, rule: "openapi-typescript", message: (error as Error).message, severity: "error" }]);
    }
}

/**
 * openapi-typescript keys its `operations` type by operationId and refuses duplicates.
 * Where codegen had to rename an operation (duplicate, reserved or invalid id), the types
 * use the same name as the wrapper; everything else is passed through untouched.
 */
function withEmittedOperationIds(bundled: Record<string, unknown>, model: ApiModel): Record<string, unknown> {
    const renamed = model.operations.filter((op) => op.operationId !== undefined && op.operationId !== op.name);
    if (renamed.length === 0) return bundled;
    const paths = { ...(bundled.paths as Record<string, Record<string, unknown>>) };
    for (const op of renamed) {
        const item = { ...paths[op.path] };
        item[op.method] = { ...(item[op.method] as object), operationId: op.name };
        paths[op.path] = item;
    }
    return { ...bundled, paths };
}
