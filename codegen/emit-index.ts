import { StructureKind, VariableDeclarationKind } from "ts-morph";
import { serverUrl } from "joinkit/runtime";
import { literal } from "./literal.js";
import { RUNTIME_MODULE, specifier, type Siblings } from "./emit-context.js";
import type { ApiModel, SecuritySchemeModel } from "./model/index.js";
import { BLANK_LINE, printStatements, type Statement } from "./ts-project.js";
import { tsdoc } from "./tsdoc.js";

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:\/\/[^/]/i;

/** `index.ts`: the API's entry point: types, enums, wrappers, servers and `createClient`. */
export function emitIndex(model: ApiModel, siblings: Siblings): string {
    const first = model.servers[0];
    const firstUrl = first ? serverUrl(first) : undefined;
    // A relative (`/api/v1`) or protocol-relative (`//host/v1`) server is relative to
    // wherever the document was served from, which a client cannot know: no default.
    const defaultUrl = firstUrl !== undefined && ABSOLUTE_URL.test(firstUrl) ? firstUrl : undefined;
    const api = `${model.title} ${model.version}`.trim();
    const needsBaseUrl = defaultUrl === undefined;
    const why = firstUrl === undefined
        ? `${api}: the spec lists no server`
        : `${api}: the spec's server URL ${JSON.stringify(firstUrl)} is not absolute`;
    const requireBaseUrl = `if (typeof options.baseUrl !== "string" || !/^https?:\\/\\/[^/]/i.test(options.baseUrl)) {
        throw new TypeError(${
        JSON.stringify(`${why}, so createClient needs an absolute baseUrl such as "https://api.example.com${firstUrl?.replace(/^(\/\/[^/]*)/, "") ?? ""}"; got `)
    } + JSON.stringify(options.baseUrl));
    }`;
    const secured = model.securitySchemes.length > 0;
    const schemes = Object.fromEntries(model.securitySchemes.map((scheme) => [scheme.name, scheme.spec]));
    const operationSecurity = Object.fromEntries(
        model.operations.filter((op) => op.security.length > 0).map((op) => [`${op.method} ${op.path}`, op.security]),
    );
    const optionsType = secured ? "ClientOptions & { credentials?: Credentials }" : "ClientOptions";
    const clientOptions = (base: string) => secured ? `withCredentials(${base}, securitySchemes, operationSecurity, credentials)` : base;
    const destructure = secured ? ["const { credentials, ...rest } = options;"] : [];
    const source = secured ? "rest" : "options";
    const credentialDocs = model.securitySchemes.map((scheme) => `- \`${scheme.name}\`: ${describeScheme(scheme)}${scheme.description ? ` — ${scheme.description}` : ""}`);

    return printStatements([
        {
            kind: StructureKind.ImportDeclaration,
            moduleSpecifier: RUNTIME_MODULE,
            namedImports: [
                "createApiClient",
                ...(secured ? ["withCredentials"] : []),
                "type ApiClient",
                "type ClientOptions",
                ...(secured ? ["type Credentials as CredentialsOf", "type SecurityRequirements", "type SecuritySchemeSpec"] : []),
                "type ServerSpec",
            ],
        },
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier(siblings, "schema"), isTypeOnly: true, namedImports: ["paths"] },
        BLANK_LINE,
        { kind: StructureKind.ExportDeclaration, moduleSpecifier: specifier(siblings, "errors") },
        { kind: StructureKind.ExportDeclaration, moduleSpecifier: specifier(siblings, "operations") },
        { kind: StructureKind.ExportDeclaration, moduleSpecifier: specifier(siblings, "schema"), isTypeOnly: true },
        BLANK_LINE,
        {
            kind: StructureKind.VariableStatement,
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            docs: tsdoc([`The servers of ${api}, in the spec's order.`]),
            declarations: [{ name: "servers", initializer: `${literal(model.servers)} as const satisfies readonly ServerSpec[]` }],
        },
        ...(secured
            ? ([
                {
                    kind: StructureKind.VariableStatement,
                    isExported: true,
                    declarationKind: VariableDeclarationKind.Const,
                    docs: tsdoc([`The security schemes of ${api} (\`components.securitySchemes\`) that a client can apply.`]),
                    declarations: [
                        {
                            name: "securitySchemes",
                            initializer: `${literal(schemes)} as const satisfies Readonly<Record<string, SecuritySchemeSpec>>`,
                        },
                    ],
                },
                {
                    kind: StructureKind.VariableStatement,
                    declarationKind: VariableDeclarationKind.Const,
                    docs: tsdoc(["Which schemes each operation takes: its `security`, else the document's; operations that take none are not listed."]),
                    declarations: [
                        {
                            name: "operationSecurity",
                            type: "Readonly<Record<string, SecurityRequirements>>",
                            initializer: literal(operationSecurity),
                        },
                    ],
                },
                {
                    kind: StructureKind.TypeAlias,
                    isExported: true,
                    name: "Credentials",
                    docs: tsdoc([
                        "Credentials per security scheme, each optional. Every call gets those its operation's `security` names, and every one is scrubbed from errors and logs.",
                        credentialDocs.join("\n"),
                    ]),
                    type: "CredentialsOf<typeof securitySchemes>",
                },
            ] satisfies Statement[])
            : []),
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
                secured ? "`credentials` (see {@link Credentials}) are applied per operation as the spec's `security` says." : undefined,
            ]),
            parameters: needsBaseUrl
                ? [{ name: "options", type: `${optionsType} & { baseUrl: string }` }]
                : [{ name: "options", type: optionsType, initializer: "{}" }],
            returnType: "ApiClient<paths>",
            statements: needsBaseUrl
                ? [requireBaseUrl, ...destructure, `return createApiClient<paths>(${clientOptions(source)});`]
                : [
                    ...destructure,
                    `return createApiClient<paths>(${clientOptions(`{ ...${source}, baseUrl: ${source}.baseUrl ?? ${JSON.stringify(defaultUrl)} }`)});`,
                ],
        },
    ]);
}

function describeScheme({ spec: scheme }: SecuritySchemeModel): string {
    switch (scheme.type) {
        case "http":
            return scheme.scheme === "basic" ? "HTTP basic, `{ username, password }`" : "a bearer token (`Authorization: Bearer`)";
        case "apiKey":
            return `an API key sent in the ${scheme.in} \`${scheme.name}\``;
        case "mutualTLS":
            return "mutual TLS: configure it on `fetch`, not here";
        default:
            return `a${scheme.type === "oauth2" ? "n OAuth 2" : "n OpenID Connect"} access token, sent as \`Authorization: Bearer\``;
    }
}
