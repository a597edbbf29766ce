import { StructureKind, VariableDeclarationKind } from "ts-morph";
import { serverUrl } from "../src/runtime/servers.js";
import { literal } from "./literal.js";
import { RUNTIME_MODULE } from "./emit-operations.js";
import type { ApiModel } from "./read-model.js";
import { BLANK_LINE, printStatements } from "./ts-project.js";
import { tsdoc } from "./tsdoc.js";

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:\/\/[^/]/i;

/** `index.ts`: the API's entry point: types, enums, wrappers, servers and `createClient`. */
export function emitIndex(model: ApiModel, header: string): string {
    const first = model.servers[0];
    const firstUrl = first ? serverUrl(first) : undefined;
    // A relative (`/api/v1`) or protocol-relative (`//host/v1`) server is relative to
    // wherever the document was served from, which a client cannot know: no default.
    const defaultUrl = firstUrl !== undefined && ABSOLUTE_URL.test(firstUrl) ? firstUrl : undefined;
    const api = `${model.title} ${model.version}`.trim();
    const needsBaseUrl = defaultUrl === undefined;
    const why =
        firstUrl === undefined
            ? `${api}: the spec lists no server`
            : `${api}: the spec's server URL ${JSON.stringify(firstUrl)} is not absolute`;
    const requireBaseUrl = `if (typeof options.baseUrl !== "string" || !/^https?:\\/\\/[^/]/i.test(options.baseUrl)) {
        throw new TypeError(${JSON.stringify(`${why}, so createClient needs an absolute baseUrl such as "https://api.example.com${firstUrl?.replace(/^(\/\/[^/]*)/, "") ?? ""}"; got `)} + JSON.stringify(options.baseUrl));
    }`;
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
                needsBaseUrl
                    ? firstUrl === undefined
                        ? "The spec lists no server: pass an absolute `baseUrl`."
                        : `The spec's server URL \`${firstUrl}\` is relative to wherever the spec is served: pass an absolute \`baseUrl\`.`
                    : `\`baseUrl\` defaults to \`${defaultUrl}\`, the first server with its default variables.`,
            ]),
            parameters: needsBaseUrl
                ? [{ name: "options", type: "ClientOptions & { baseUrl: string }" }]
                : [{ name: "options", type: "ClientOptions", initializer: "{}" }],
            returnType: "ApiClient<paths>",
            statements: needsBaseUrl
                ? [requireBaseUrl, "return createApiClient<paths>(options);"]
                : [`return createApiClient<paths>({ ...options, baseUrl: options.baseUrl ?? ${JSON.stringify(defaultUrl)} });`],
        },
    ]);
}
