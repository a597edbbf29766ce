import { createRequire } from "node:module";
import type TypeScript from "typescript";

// Words that cannot name a function or variable in strict-mode ES modules, names the
// generated files' own scope uses, and exports that change what the module is: a module
// namespace with a callable `then` is a thenable, so `await import()` of it never settles.
const RESERVED = new Set(
    (
        "break case catch class const continue debugger default delete do else enum export extends false finally "
        + "for function if import in instanceof new null return super switch this throw true try typeof var void "
        + "while with yield let static implements interface package private protected public await arguments eval "
        + "undefined NaN Infinity then __esModule __proto__ constructor"
    ).split(" "),
);

/**
 * Whether a name is an identifier to the TypeScript compiler that will compile the output
 * (the installed `typescript`, whose Unicode tables may lag the runtime's regular
 * expressions: U+A7D2 is `\p{ID_Start}` to Node but not an identifier to TypeScript 5.9).
 * ASCII names are decided without loading the compiler.
 */
export function isIdentifier(name: string): boolean {
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) return true;
    if (name === "" || /^[\x00-\x7f]*$/.test(name)) return false;
    const ts = compiler();
    const target = ts.ScriptTarget.ESNext;
    let first = true;
    for (const char of name) {
        const code = char.codePointAt(0)!;
        if (first ? !ts.isIdentifierStart(code, target) : !ts.isIdentifierPart(code, target)) return false;
        first = false;
    }
    return true;
}

let loaded: typeof TypeScript | undefined;
function compiler(): typeof TypeScript {
    // The compiler the user's project has (openapi-typescript's peer); loaded only for non-ASCII names.
    loaded ??= createRequire(import.meta.url)("typescript") as typeof TypeScript;
    return loaded;
}

/** Splits text into words at anything that is not a letter or digit, and at camelCase humps. */
export function words(text: string): string[] {
    return text
        .replace(/([\p{Ll}\d])(\p{Lu})/gu, "$1 $2")
        .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
        .split(/[^\p{L}\p{Nd}]+/u)
        .filter((word) => word.length > 0);
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

export function pascalCase(text: string): string {
    return words(text).map(capitalize).join("");
}

export function camelCase(text: string): string {
    const pascal = pascalCase(text);
    return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** Whether a spec's own name can be used as it is. */
export function isUsableIdentifier(name: string): boolean {
    return isIdentifier(name) && !RESERVED.has(name);
}

/** Makes any text a valid, non-reserved identifier in the given case, as TypeScript's scanner sees it. */
export function toIdentifier(text: string, style: "camel" | "pascal", fallback: string): string {
    let name = style === "camel" ? camelCase(text) : pascalCase(text);
    // Keep only the characters the compiler accepts inside an identifier.
    name = [...name].filter((char) => isIdentifier(`a${char}`)).join("");
    if (name === "") name = fallback;
    if (!isIdentifier(name)) name = `_${name}`;
    if (RESERVED.has(name)) name = `${name}_`;
    return name;
}

/**
 * Hands out names that are unique in one scope, numbering the later ones. Each base name
 * remembers the last number it handed out, so n claims of one name take n steps, not n²/2.
 */
export class NameScope {
    private readonly taken = new Set<string>();
    private readonly nextNumber = new Map<string, number>();
    /** Candidate names tried so far: what numbering costs (the linear-time test reads it). */
    probes = 0;

    constructor(reserved: Iterable<string> = []) {
        for (const name of reserved) this.taken.add(name);
    }

    /** Claims `base` (or `base2`, `base3`, …) together with each `base + suffix`. */
    claim(base: string, suffixes: readonly string[] = []): string {
        const key = `${base}\u0000${suffixes.join("\u0000")}`;
        for (let n = this.nextNumber.get(key) ?? 1;; n++) {
            this.probes += 1;
            const name = n === 1 ? base : `${base}${n}`;
            const group = [name, ...suffixes.map((suffix) => name + suffix)];
            if (group.every((candidate) => !this.taken.has(candidate))) {
                for (const candidate of group) this.taken.add(candidate);
                this.nextNumber.set(key, n + 1);
                return name;
            }
        }
    }
}
