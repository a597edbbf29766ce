import { StructureKind, VariableDeclarationKind, type FunctionDeclarationStructure, type ImportDeclarationStructure, type VariableStatementStructure } from "ts-morph";
import { Code, literal } from "./literal.js";
import { RUNTIME_MODULE, specifier, type Siblings } from "./emit-context.js";
import type { ApiModel, OperationModel } from "./model/index.js";
import { BLANK_LINE, printStatements } from "./ts-project.js";
import { tsdoc } from "./tsdoc.js";

/**
 * `operations.ts`: for each operation, the metadata the runtime needs (`<name>Operation`)
 * and a typed wrapper function documented from the spec.
 */
export function emitOperations(model: ApiModel, siblings: Siblings): string {
    const catalogues = [...new Set(model.operations.flatMap((op) => op.errors.map((e) => e.catalogue)))].sort();
    const imports: ImportDeclarationStructure[] = [
        {
            kind: StructureKind.ImportDeclaration,
            moduleSpecifier: RUNTIME_MODULE,
            namedImports: [
                "callOperation",
                "type ApiClient",
                "type CallOptions",
                "type OperationInit",
                "type OperationResult",
                "type OperationSpec",
                "type ParseAs",
            ],
        },
        ...(catalogues.length > 0
            ? [{ kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier(siblings, "errors"), namedImports: catalogues } as const]
            : []),
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier(siblings, "schema"), isTypeOnly: true, namedImports: ["paths"] },
    ];
    const declarations = model.operations.flatMap((op) => [operationSpec(op), wrapper(op)]);
    return printStatements([...imports, BLANK_LINE, ...declarations]);
}

function operationSpec(op: OperationModel): VariableStatementStructure {
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
    return {
        kind: StructureKind.VariableStatement,
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        docs: tsdoc([`How the runtime calls {@link ${op.name}} and decodes its errors.`]),
        declarations: [{ name: `${op.name}Operation`, type: "OperationSpec", initializer: literal(value) }],
    };
}

function wrapper(op: OperationModel): FunctionDeclarationStructure {
    const operationType = `paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method)}]`;
    const codes = [...new Set(op.errors.map((e) => e.catalogue))];
    const resultType = `${operationType}, ${codes.length > 0 ? codes.join(" | ") : "never"}`;
    return {
        kind: StructureKind.Function,
        isExported: true,
        name: op.name,
        typeParameters: [{ name: "Parse", constraint: "ParseAs | undefined", default: "undefined" }],
        docs: tsdoc(
            [op.summary, op.description, `\`${op.method.toUpperCase()} ${op.path}\``],
            op.deprecated ? [{ tagName: "deprecated" }] : [],
        ),
        parameters: [
            { name: "client", type: "ApiClient<paths>" },
            { name: "init", type: `OperationInit<${operationType}>`, hasQuestionToken: !op.requiresInit },
            { name: "options", type: "CallOptions<Parse>", hasQuestionToken: true },
        ],
        returnType: `Promise<OperationResult<${resultType}, Parse>>`,
        statements: [`return callOperation(client, ${op.name}Operation, init, options);`],
    };
}
