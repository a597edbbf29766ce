import { isIdentifier } from "./naming.js";

/** A piece of code to embed as is, where `literal` would otherwise quote a value. */
export class Code {
    constructor(readonly text: string) {}
}

/**
 * Prints a JSON-like value as a TypeScript literal, the way a person would write it:
 * unquoted keys where possible, one property per line, trailing commas. Strings go through
 * JSON.stringify, so no text from a spec can end the literal early.
 */
export function literal(value: unknown, indent = "", step = "    "): string {
    if (value instanceof Code) return value.text;
    if (value === undefined) return "undefined";
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
        return JSON.stringify(value);
    }
    const inner = indent + step;
    if (Array.isArray(value)) {
        if (value.length === 0) return "[]";
        const items = value.map((item) => literal(item, inner, step));
        return fitsOnOneLine(items) ? `[${items.join(", ")}]` : `[\n${items.map((item) => `${inner}${item},\n`).join("")}${indent}]`;
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return "{}";
    const properties = entries.map(([key, item]) => `${propertyKey(key)}: ${literal(item, inner, step)}`);
    return fitsOnOneLine(properties)
        ? `{ ${properties.join(", ")} }`
        : `{\n${properties.map((property) => `${inner}${property},\n`).join("")}${indent}}`;
}

// Short, flat literals read best on one line, as a person would write them.
function fitsOnOneLine(parts: readonly string[]): boolean {
    return parts.every((part) => !part.includes("\n")) && parts.join(", ").length <= 72;
}

export function propertyKey(key: string): string {
    // `__proto__: …` (quoted or not) in an object literal sets the prototype instead of a property.
    if (key === "__proto__") return `["__proto__"]`;
    return isIdentifier(key) ? key : JSON.stringify(key);
}
