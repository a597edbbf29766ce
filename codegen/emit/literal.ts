import { group, hang, layout, stringLiteral, type Doc } from "./layout.js";
import { isIdentifier } from "../model/naming.js";

/** A piece of code to embed as is, where `literal` would otherwise quote a value. */
export class Code {
    constructor(readonly text: string) {}
}

/**
 * Prints a JSON-like value as a TypeScript literal, the way a person would write it:
 * unquoted keys where possible, one property per line, trailing commas. Strings go through
 * JSON.stringify, so no text from a spec can end the literal early.
 */
export function literal(value: unknown, indent = ""): string {
    return layout(literalDoc(value, JSON.stringify).doc, indent, Infinity);
}

/**
 * The same literal for a generated file: laid out as dprint formats it at 120 columns (a
 * short literal that does not fit where it is placed breaks; strings quoted its way).
 */
export function literalLayout(value: unknown): Doc {
    return literalDoc(value, stringLiteral).doc;
}

interface LiteralDoc {
    readonly doc: Doc;
    /** Its text on one line (strings as JSON), or undefined if it spans lines. */
    readonly oneLine: string | undefined;
}

function literalDoc(value: unknown, quote: (text: string) => string): LiteralDoc {
    if (value instanceof Code) return { doc: value.text, oneLine: value.text };
    if (value === undefined) return { doc: "undefined", oneLine: "undefined" };
    if (typeof value === "string") return { doc: quote(value), oneLine: JSON.stringify(value) };
    if (typeof value === "number" || typeof value === "boolean" || value === null) {
        return { doc: JSON.stringify(value), oneLine: JSON.stringify(value) };
    }
    if (Array.isArray(value)) {
        if (value.length === 0) return { doc: "[]", oneLine: "[]" };
        const items = value.map((item) => literalDoc(item, quote));
        const oneLine = onOneLine(items.map((item) => item.oneLine));
        // dprint keeps an array holding objects or arrays on its line and breaks the last one.
        const hug = value.some((item) => typeof item === "object" && item !== null && !(item instanceof Code));
        return {
            doc: group("[", items.map((item) => item.doc), "]", {
                trailingComma: true,
                broken: oneLine === undefined,
                hug,
            }),
            oneLine: oneLine && `[${oneLine}]`,
        };
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return { doc: "{}", oneLine: "{}" };
    const properties = entries.map(([key, item]) => {
        const inner = literalDoc(item, quote);
        const name = propertyKey(key, quote);
        // A value too long for its line moves to the next one (a literal only if its bracket does not fit either).
        const doc = typeof item === "object" && item !== null && !(item instanceof Code) || typeof item === "string"
            ? [`${name}:`, hang(inner.doc, { inline: true })]
            : `${name}: ${inner.doc as string}`;
        return { doc, oneLine: inner.oneLine && `${propertyKey(key)}: ${inner.oneLine}` };
    });
    const oneLine = onOneLine(properties.map((property) => property.oneLine));
    return {
        doc: group("{", properties.map((property) => property.doc), "}", {
            spaced: true,
            trailingComma: true,
            broken: oneLine === undefined,
        }),
        oneLine: oneLine && `{ ${oneLine} }`,
    };
}

// Short, flat literals read best on one line, as a person would write them.
function onOneLine(parts: readonly (string | undefined)[]): string | undefined {
    if (parts.some((part) => part === undefined)) return undefined;
    const joined = parts.join(", ");
    return joined.length <= 72 ? joined : undefined;
}

export function propertyKey(key: string, quote: (text: string) => string = JSON.stringify): string {
    // `__proto__: …` (quoted or not) in an object literal sets the prototype instead of a property.
    if (key === "__proto__") return `[${quote("__proto__")}]`;
    return isIdentifier(key) ? key : quote(key);
}
