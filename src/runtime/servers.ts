import type { ServerSpec } from "./contract.js";

/**
 * The concrete URL of a server: each `{variable}` replaced by the given value or its
 * default. A value outside the variable's `enum` is refused, because it would send
 * credentials to a host the spec does not name.
 */
export function serverUrl(server: ServerSpec, values: Readonly<Record<string, string | undefined>> = {}): string {
    return server.url.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
        const variable = server.variables?.[name];
        if (!variable) throw new Error(`Server URL ${server.url} has no variable "${name}"`);
        const value = values[name] ?? variable.default;
        if (variable.enum && !variable.enum.includes(value)) {
            throw new Error(
                `"${value}" is not a valid ${name} for ${server.url}; expected one of: ${variable.enum.join(", ")}`,
            );
        }
        return value;
    });
}
