import { HTTP_METHODS, type OperationSpec, type ParameterSpec, type SecurityRequirements } from "joinkit/runtime";
import type { HttpMethod } from "openapi-typescript-helpers";
import { escapePointer } from "../spec/json-pointer.js";
import { isUsableIdentifier, toIdentifier } from "./naming.js";
import { asObject, nonEmptyString, type Json, type ReadContext } from "./context.js";
import type { Catalogues } from "./error-catalogue.js";
import { readIdempotent, readRateLimit } from "./extensions.js";
import { readParameters, requiresInit } from "./parameter-object.js";
import { readRequestBody } from "./request-body-object.js";
import { readErrorDecoders, readResponses } from "./response-object.js";
import { readSecurity, type SecuritySchemeModel } from "./security-scheme-object.js";

/**
 * One operation: what the runtime is given (an `OperationSpec`, its error catalogues
 * named) and what the wrapper is made from.
 */
export interface OperationModel extends OperationSpec<string> {
    /** The wrapper's function name. */
    readonly name: string;
    readonly operationId?: string;
    readonly summary?: string;
    readonly description?: string;
    readonly deprecated: boolean;
    /** Whether the caller must pass `init` (required parameters or body). */
    readonly requiresInit: boolean;
    /** Every parameter (path-level ones merged in), with its style and explode resolved. */
    readonly parameters: readonly ParameterSpec[];
    /** The operation's `security` (else the document's): alternatives of scheme names. */
    readonly security: SecurityRequirements;
}

/** An operation as found in `paths`, before it is named. */
export interface FoundOperation {
    readonly method: HttpMethod;
    readonly path: string;
    readonly pointer: string;
    readonly op: Json;
    readonly pathItem: Json;
}

/** Every operation in `paths` openapi-fetch can call, in the spec's order. */
export function findOperations(paths: Json, context: ReadContext): FoundOperation[] {
    const found: FoundOperation[] = [];
    for (const [route, rawItem] of Object.entries(paths)) {
        const itemPointer = `#/paths/${escapePointer(route)}`;
        const pathItem = asObject(context.deref(rawItem, itemPointer).value);
        // OpenAPI 3.2's QUERY method and custom methods have no openapi-fetch call to wrap.
        for (const extra of ["query", "additionalOperations"]) {
            if (pathItem[extra] === undefined) continue;
            context.warn(
                `${itemPointer}/${extra}`,
                "openapi-3.2",
                `OpenAPI 3.2 \`${extra}\` operations are not emitted; call them with the raw client`,
            );
        }
        warnUnsupported(pathItem, itemPointer, context);
        for (const method of HTTP_METHODS) {
            if (pathItem[method] === undefined) continue;
            warnUnsupported(asObject(pathItem[method]), `${itemPointer}/${method}`, context);
            found.push({
                method,
                path: route,
                pointer: `${itemPointer}/${method}`,
                op: asObject(pathItem[method]),
                pathItem,
            });
        }
    }
    return found;
}

/** What a path item or an operation may declare that the generated client does not use. */
function warnUnsupported(object: Json, pointer: string, { warn }: ReadContext): void {
    if (object.servers !== undefined) {
        warn(
            `${pointer}/servers`,
            "unsupported",
            "`servers` here are not used: the client calls the document's servers (or the baseUrl it is given)",
        );
    }
    if (object.callbacks !== undefined) {
        warn(
            `${pointer}/callbacks`,
            "unsupported",
            "callbacks (requests the API sends to you) are not supported: no code is generated for them",
        );
    }
}

/**
 * The wrapper's name for each operation, by pointer. Usable operationIds claim their names
 * first, then ids that need converting, then names derived from method and path: a spec's
 * own name wins any collision.
 */
export function nameOperations(found: readonly FoundOperation[], { scope, warn }: ReadContext): Map<string, string> {
    const names = new Map<string, string>();
    const preference = (
        { op }: FoundOperation,
    ) => (typeof op.operationId !== "string" ? 2 : isUsableIdentifier(op.operationId) ? 0 : 1);
    const byPreference = [...found].sort((a, b) => preference(a) - preference(b));
    for (const entry of byPreference) {
        const id = typeof entry.op.operationId === "string" ? entry.op.operationId : undefined;
        // A spec's operationId is kept as written when it is already a usable name.
        const base = id !== undefined && isUsableIdentifier(id)
            ? id
            : toIdentifier(
                id ?? `${entry.method} ${entry.path.replace(/\{([^}]*)\}/g, "by $1")}`,
                "camel",
                entry.method,
            );
        const name = scope.claim(base, ["Operation"]);
        if (id !== undefined && name !== id) {
            warn(
                `${entry.pointer}/operationId`,
                "operation-name",
                `operationId ${JSON.stringify(id)} is emitted as ${name}`,
            );
        }
        names.set(entry.pointer, name);
    }
    return names;
}

export function readOperation(
    { method, path: route, pointer, op, pathItem }: FoundOperation,
    name: string,
    catalogues: Catalogues,
    securitySchemes: readonly SecuritySchemeModel[],
    context: ReadContext,
): OperationModel {
    return {
        name,
        operationId: typeof op.operationId === "string" ? op.operationId : undefined,
        method,
        path: route,
        summary: nonEmptyString(op.summary),
        description: nonEmptyString(op.description),
        deprecated: op.deprecated === true,
        requiresInit: requiresInit(op, pathItem, context.deref),
        errors: readErrorDecoders(op, pointer, name, catalogues, context),
        idempotent: readIdempotent(op["x-idempotent"], method, `${pointer}/x-idempotent`, context),
        parameters: readParameters(op, pathItem, pointer, context),
        requestBody: readRequestBody(op.requestBody, `${pointer}/requestBody`, context),
        responses: readResponses(op, pointer, context),
        rateLimit: readRateLimit(op["x-rate-limit"], `${pointer}/x-rate-limit`, context),
        security: readSecurity(
            op.security ?? context.document.security,
            securitySchemes,
            `${pointer}/security`,
            context,
        ),
    };
}
