import type { ServerSpec } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { NameScope, toIdentifier } from "./naming.js";
import type { SpecProblem } from "../core/spec-error.js";
import { asObject, createReadContext, nonEmptyString, type Json } from "./context.js";
import { Catalogues, type CatalogueModel } from "./error-catalogue.js";
import { findOperations, nameOperations, readOperation, type OperationModel } from "./operation-object.js";
import { readSecuritySchemes, type SecuritySchemeModel } from "./security-scheme-object.js";
import { readServers } from "./server-object.js";

export type { CatalogueModel } from "./error-catalogue.js";
export type { OperationModel } from "./operation-object.js";
export type { SecuritySchemeModel } from "./security-scheme-object.js";

/**
 * What the emitters need to know about one API, read from its bundled document. Shaped
 * like the document: one module per OpenAPI object in this folder reads that object.
 */
export interface ApiModel {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
    readonly servers: readonly ServerSpec[];
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

/**
 * Reads operations, servers and error catalogues out of a bundled OpenAPI document
 * (internal `$ref`s only). Never throws on odd input: what it cannot use becomes a warning
 * with the JSON pointer it concerns.
 */
export function readModel(document: Json, file: string): ApiModel {
    const warnings: SpecProblem[] = [];
    const context = createReadContext(document, file, new NameScope(RESERVED_NAMES), warnings);
    const catalogues = new Catalogues(context);
    const components = asObject(document.components);

    const found = findOperations(asObject(document.paths), context);
    const names = nameOperations(found, context);
    const securitySchemes = readSecuritySchemes(asObject(components.securitySchemes), context);
    const operations = found.map((entry) =>
        readOperation(entry, names.get(entry.pointer)!, catalogues, securitySchemes, context)
    );
    const schemaTypes = nameSchemaTypes(components, catalogues, context.scope);

    if (document.webhooks !== undefined) {
        context.warn(
            "#/webhooks",
            "unsupported",
            "webhooks (requests the API sends to you) are not supported yet: no code is generated for them",
        );
    }
    const info = asObject(document.info);
    return {
        title: nonEmptyString(info.title) ?? "API",
        version: typeof info.version === "string" ? info.version : String(info.version ?? ""),
        description: nonEmptyString(info.description),
        servers: readServers(document.servers, context),
        operations,
        catalogues: catalogues.all(),
        securitySchemes,
        schemaTypes,
        operationsFound: found.length,
        warnings,
    };
}

/**
 * Schema types are claimed after everything else: an error enum named after its component
 * already is that component's type, and the spec's operation names win any collision.
 */
function nameSchemaTypes(components: Json, catalogues: Catalogues, scope: NameScope): ApiModel["schemaTypes"] {
    const catalogueNames = new Set(catalogues.all().map((c) => c.name));
    return Object.keys(asObject(components.schemas)).flatMap((schema) => {
        const name = toIdentifier(schema, "pascal", "Schema");
        if (catalogueNames.has(name) && catalogues.get(`#/components/schemas/${escapePointer(schema)}`)) return [];
        return [{ name: scope.claim(name), schema }];
    });
}
