import { StructureKind, VariableDeclarationKind } from "ts-morph";
import { serverUrl } from "../src/runtime/servers.js";
import { literal } from "./literal.js";
import { RUNTIME_MODULE } from "./emit-operations.js";
import type { ApiModel } from "./read-model.js";
import { BLANK_LINE, printStatements } from "./ts-project.js";
import { tsdoc } from "./tsdoc.js";

/** `index.ts`: the API's entry point: types, enums, wrappers, servers and `createClient`. */
export function emitIndex(model: ApiModel, header: string): string {
    const first = model.servers[0];
    const defaultUrl = first ? serverUrl(first) : undefined;
    const api = `${model.title} ${model.version}`.trim();
    return printStatements(header, [
        {
            kind: StructureKind.ImportDeclaration,
            moduleSpecifier: RUNTIME_MODULE,
            namedImports: ["createApiClient", "type ApiClient", "type ClientOptions", "type ServerSpec"],
        },
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./schema.js", isTypeOnly: true, namedImports: ["paths"] },
        BLANK_LINE,
        { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./errors.js" },
        { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./operations.js" },
        { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./schema.js", isTypeOnly: true },
        BLANK_LINE,
        {
            kind: StructureKind.VariableStatement,
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            docs: tsdoc([`The servers of ${api}, in the spec's order.`]),
            declarations: [{ name: "servers", initializer: `${literal(model.servers)} as const satisfies readonly ServerSpec[]` }],
        },
        {
            kind: StructureKind.Function,
            isExported: true,
            name: "createClient",
            docs: tsdoc([
                `Creates a client for ${api}.`,
                defaultUrl === undefined
                    ? "The spec lists no server: pass `baseUrl`."
                    : `\`baseUrl\` defaults to \`${defaultUrl}\`, the first server with its default variables.`,
            ]),
            parameters: [{ name: "options", type: "ClientOptions", initializer: "{}" }],
            returnType: "ApiClient<paths>",
            statements: [
                defaultUrl === undefined
                    ? "return createApiClient<paths>(options);"
                    : `return createApiClient<paths>({ ...options, baseUrl: options.baseUrl ?? ${JSON.stringify(defaultUrl)} });`,
            ],
        },
    ]);
}
