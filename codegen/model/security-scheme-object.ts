import type { SecurityRequirements, SecuritySchemeSpec } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { asArray, asObject, nonEmptyString, type Json, type ReadContext } from "./context.js";

/** A scheme from `components.securitySchemes` that a client can apply. */
export interface SecuritySchemeModel {
    /** Its key in `components.securitySchemes`. */
    readonly name: string;
    readonly description?: string;
    /** What the runtime is given. */
    readonly spec: SecuritySchemeSpec;
}

/** `components.securitySchemes`, in the spec's order; a scheme joinkit cannot apply is left out with a warning. */
export function readSecuritySchemes(schemes: Json, { deref, warn }: ReadContext): SecuritySchemeModel[] {
    return Object.entries(schemes).flatMap(([name, raw]): SecuritySchemeModel[] => {
        const pointer = `#/components/securitySchemes/${escapePointer(name)}`;
        const scheme = asObject(deref(raw, pointer).value);
        const description = nonEmptyString(scheme.description);
        if (scheme.type === "http" && typeof scheme.scheme === "string") {
            const lower = scheme.scheme.toLowerCase();
            if (lower === "bearer" || lower === "basic") {
                return [{ name, description, spec: { type: "http", scheme: lower } }];
            }
        } else if (
            scheme.type === "apiKey" && typeof scheme.name === "string"
            && ["header", "query", "cookie"].includes(scheme.in as string)
        ) {
            return [{
                name,
                description,
                spec: { type: "apiKey", in: scheme.in as "header" | "query" | "cookie", name: scheme.name },
            }];
        } else if (scheme.type === "oauth2" || scheme.type === "openIdConnect" || scheme.type === "mutualTLS") {
            return [{ name, description, spec: { type: scheme.type } }];
        }
        warn(
            pointer,
            "security-scheme",
            "a scheme joinkit cannot apply (HTTP schemes other than bearer and basic, or malformed); pass its credentials with middleware",
        );
        return [];
    });
}

/** An operation's `security` (else the document's), less the alternatives naming a scheme joinkit cannot apply. */
export function readSecurity(
    value: unknown,
    schemes: readonly SecuritySchemeModel[],
    pointer: string,
    { warn }: ReadContext,
): SecurityRequirements {
    const known = new Set(schemes.map((s) => s.name));
    return asArray(value).flatMap((requirement) => {
        const names = Object.keys(asObject(requirement));
        const unknown = names.filter((name) => !known.has(name));
        if (unknown.length === 0) return [names];
        warn(
            pointer,
            "security",
            `security scheme ${
                unknown.map((n) => JSON.stringify(n)).join(", ")
            } is not one joinkit can apply; that alternative is left out`,
        );
        return [];
    });
}
