import { serverUrl, type ServerSpec } from "joinkit/runtime";
import { asArray, asObject, nonEmptyString, type ReadContext } from "./context.js";

/** The document's `servers` the client can build a URL for, as the runtime takes them. */
export function readServers(value: unknown, { warn }: ReadContext): ServerSpec[] {
    return asArray(value).flatMap((raw, index) => {
        const server = asObject(raw);
        if (typeof server.url !== "string") {
            warn(`#/servers/${index}`, "server-url", "a server without a `url` string is left out of `servers`");
            return [];
        }
        const model = readServer(server);
        try {
            serverUrl(model);
        } catch (error) {
            // The client could not build this server's URL: leave it out, say why and where.
            warn(
                `#/servers/${index}/url`,
                "server-variables",
                `${(error as Error).message}; this server is left out of \`servers\``,
            );
            return [];
        }
        return [model];
    });
}

function readServer(server: Record<string, unknown>): ServerSpec {
    const variables = Object.entries(asObject(server.variables)).map(([name, rawVariable]) => {
        const variable = asObject(rawVariable);
        return [
            name,
            {
                default: String(variable.default ?? ""),
                enum: Array.isArray(variable.enum) ? variable.enum.map(String) : undefined,
                description: nonEmptyString(variable.description),
            },
        ] as const;
    });
    return {
        url: server.url as string,
        description: nonEmptyString(server.description),
        variables: variables.length > 0 ? Object.fromEntries(variables) : undefined,
    };
}
