import { RUNTIME_MODULE, specifier, type Siblings } from "./context.js";
import {
    call,
    group,
    hang,
    importDeclaration,
    indexedAccess,
    layout,
    stringLiteral,
    typeArguments,
    union,
    type Doc,
} from "./layout.js";
import { Code, literalLayout } from "./literal.js";
import type { ApiModel, OperationModel } from "../model/index.js";
import { tsdoc } from "./tsdoc.js";

/**
 * `operations.ts`: for each operation, the metadata the runtime needs (`<name>Operation`)
 * and a typed wrapper function documented from the spec.
 */
export function emitOperations(model: ApiModel, siblings: Siblings): string {
    const catalogues = [...new Set(model.operations.flatMap((op) => op.errors.map((e) => e.catalogue)))].sort();
    const imports = [
        importDeclaration(
            [
                "callOperation",
                "type ApiClient",
                "type CallOptions",
                "type OperationInit",
                "type OperationResult",
                "type OperationSpec",
                "type ParseAs",
            ],
            RUNTIME_MODULE,
        ),
        ...(catalogues.length > 0 ? [importDeclaration(catalogues, specifier(siblings, "errors"))] : []),
        importDeclaration(["paths"], specifier(siblings, "schema"), { typeOnly: true }),
    ];
    // One string per operation, joined once: a document of 50,000 operations stays linear.
    const declarations = model.operations.map((op) => `${operationSpec(op)}\n${wrapper(op)}`);
    return declarations.length === 0 ? imports.join("") : `${imports.join("")}\n${declarations.join("\n")}`;
}

function operationSpec(op: OperationModel): string {
    const value = {
        method: op.method,
        path: op.path,
        parameters: op.parameters,
        requestBody: op.requestBody,
        responses: op.responses,
        errors: op.errors.map((e) => ({ status: e.status, catalogue: new Code(e.catalogue), field: e.field })),
        idempotent: op.idempotent,
        rateLimit: op.rateLimit,
    };
    const docs = tsdoc([`How the runtime calls {@link ${op.name}} and decodes its errors.`]);
    // A name too long for `…: OperationSpec = {` on one line moves the type, or the value, to the next.
    const declaration = [
        `export const ${op.name}Operation:`,
        hang(["OperationSpec =", hang(literalLayout(value), { inline: true })], { inline: true }),
        ";",
    ];
    return `${docs}${layout(declaration)}\n`;
}

function wrapper(op: OperationModel): string {
    const operationType = indexedAccess("paths", stringLiteral(op.path), stringLiteral(op.method));
    const codes = [...new Set(op.errors.map((e) => e.catalogue))];
    const signature: Doc[] = [
        `export function ${op.name}`,
        group("<", ["Parse extends ParseAs | undefined = undefined"], ">", { trailingComma: true }),
        group(
            "(",
            [
                "client: ApiClient<paths>",
                [op.requiresInit ? "init: " : "init?: ", typeArguments("OperationInit", [operationType])],
                "options?: CallOptions<Parse>",
            ],
            ")",
            { trailingComma: true },
        ),
        ": ",
        typeArguments("Promise", [
            typeArguments("OperationResult", [operationType, codes.length > 0 ? union(codes) : "never", "Parse"]),
        ]),
        " {",
    ];
    const docs = tsdoc([op.summary, op.description, `\`${op.method.toUpperCase()} ${op.path}\``], {
        deprecated: op.deprecated,
    });
    const body = layout(
        ["return ", call("callOperation", ["client", `${op.name}Operation`, "init", "options"]), ";"],
        "    ",
    );
    return `${docs}${layout(signature)}\n    ${body}\n}\n`;
}
