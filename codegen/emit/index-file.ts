import { serverUrl } from "joinkit/runtime";
import { RUNTIME_MODULE, specifier, type Siblings } from "./context.js";
import { call, group, hang, importDeclaration, layout, stringLiteral, typeArguments } from "./layout.js";
import { literalLayout } from "./literal.js";
import type { ApiModel, SecuritySchemeModel } from "../model/index.js";
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
    const secured = model.securitySchemes.length > 0;
    const schemes = Object.fromEntries(model.securitySchemes.map((scheme) => [scheme.name, scheme.spec]));
    const operationSecurity = Object.fromEntries(
        model.operations.filter((op) => op.security.length > 0).map((op) => [`${op.method} ${op.path}`, op.security]),
    );
    const optionsType = secured ? "ClientOptions & { credentials?: Credentials }" : "ClientOptions";
    const source = secured ? "rest" : "options";
    const credentialDocs = model.securitySchemes.map((scheme) =>
        `- \`${scheme.name}\`: ${describeScheme(scheme)}${scheme.description ? ` — ${scheme.description}` : ""}`
    );

    const imports = [
        importDeclaration(
            [
                "createApiClient",
                ...(secured ? ["withCredentials"] : []),
                "type ApiClient",
                "type ClientOptions",
                ...(secured
                    ? ["type Credentials as CredentialsOf", "type SecurityRequirements", "type SecuritySchemeSpec"]
                    : []),
                "type ServerSpec",
            ],
            RUNTIME_MODULE,
        ),
        importDeclaration(["paths"], specifier(siblings, "schema"), { typeOnly: true }),
    ];
    const reExports = [
        `export * from ${stringLiteral(specifier(siblings, "errors"))};\n`,
        `export * from ${stringLiteral(specifier(siblings, "operations"))};\n`,
        `export type * from ${stringLiteral(specifier(siblings, "schema"))};\n`,
    ];
    const constants = [
        tsdoc([`The servers of ${api}, in the spec's order.`]),
        layout(["export const servers = ", literalLayout(model.servers), " as const satisfies readonly ServerSpec[];"]),
        "\n",
        ...(secured
            ? [
                tsdoc([`The security schemes of ${api} (\`components.securitySchemes\`) that a client can apply.`]),
                layout([
                    "export const securitySchemes = ",
                    literalLayout(schemes),
                    " as const satisfies ",
                    typeArguments("Readonly", ["Record<string, SecuritySchemeSpec>"]),
                    ";",
                ]),
                "\n",
                tsdoc([
                    "Which schemes each operation takes: its `security`, else the document's; operations that take none are not listed.",
                ]),
                layout([
                    "const operationSecurity: Readonly<Record<string, SecurityRequirements>> = ",
                    literalLayout(operationSecurity),
                    ";",
                ]),
                "\n",
                tsdoc([
                    "Credentials per security scheme, each optional. Every call gets those its operation's `security` names, and every one is scrubbed from errors and logs.",
                    credentialDocs.join("\n"),
                ]),
                "export type Credentials = CredentialsOf<typeof securitySchemes>;\n",
            ]
            : []),
    ];

    // The body's statements; a blank line follows a block, as after the `if` below.
    const statements: string[] = [];
    if (needsBaseUrl) {
        const message = `${why}, so createClient needs an absolute baseUrl such as "https://api.example.com${
            firstUrl?.replace(/^(\/\/[^/]*)/, "") ?? ""
        }"; got `;
        // The message alone is longer than a line can hold, so the call always breaks this way.
        statements.push(
            [
                `if (typeof options.baseUrl !== "string" || !/^https?:\\/\\/[^/]/i.test(options.baseUrl)) {`,
                "    throw new TypeError(",
                `        ${stringLiteral(message)}`,
                "            + JSON.stringify(options.baseUrl),",
                "    );",
                "}",
            ].join("\n    ") + "\n",
        );
    }
    if (secured) statements.push("const { credentials, ...rest } = options;");
    const config = needsBaseUrl
        ? source
        : group(
            "{",
            [`...${source}`, [
                `baseUrl: ${source}.baseUrl`,
                hang(stringLiteral(defaultUrl!), { flat: " ?? ", broken: "?? " }),
            ]],
            "}",
            {
                spaced: true,
                trailingComma: true,
            },
        );
    const client = secured
        ? call("withCredentials", [config, "securitySchemes", "operationSecurity", "credentials"])
        : config;
    statements.push(layout(["return ", call("createApiClient<paths>", [client]), ";"], "    "));
    const parameter = needsBaseUrl ? `options: ${optionsType} & { baseUrl: string }` : `options: ${optionsType} = {}`;
    const createClient = [
        tsdoc([
            `Creates a client for ${api}.`,
            needsBaseUrl
                ? firstUrl === undefined
                    ? "The spec lists no server: pass an absolute `baseUrl`."
                    : `The spec's server URL \`${firstUrl}\` is relative to wherever the spec is served: pass an absolute \`baseUrl\`.`
                : `\`baseUrl\` defaults to \`${defaultUrl}\`, the first server with its default variables.`,
            secured
                ? "`credentials` (see {@link Credentials}) are applied per operation as the spec's `security` says."
                : undefined,
        ]),
        layout([
            "export function createClient",
            group("(", [parameter], ")", { trailingComma: true }),
            ": ApiClient<paths> {",
        ]),
        "\n",
        ...statements.map((statement) => `    ${statement}\n`),
        "}\n",
    ];
    return [imports.join(""), reExports.join(""), constants.join(""), createClient.join("")].join("\n");
}

function describeScheme({ spec: scheme }: SecuritySchemeModel): string {
    switch (scheme.type) {
        case "http":
            return scheme.scheme === "basic"
                ? "HTTP basic, `{ username, password }`"
                : "a bearer token (`Authorization: Bearer`)";
        case "apiKey":
            return `an API key sent in the ${scheme.in} \`${scheme.name}\``;
        case "mutualTLS":
            return "mutual TLS: configure it on `fetch`, not here";
        default:
            return `a${
                scheme.type === "oauth2" ? "n OAuth 2" : "n OpenID Connect"
            } access token, sent as \`Authorization: Bearer\``;
    }
}
