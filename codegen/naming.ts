// Words that cannot name a function or variable in strict-mode ES modules, plus names the
// generated files' own scope uses.
const RESERVED = new Set(
    (
        "break case catch class const continue debugger default delete do else enum export extends false finally " +
        "for function if import in instanceof new null return super switch this throw true try typeof var void " +
        "while with yield let static implements interface package private protected public await arguments eval " +
        "undefined NaN Infinity"
    ).split(" "),
);

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
    return /^[\p{ID_Start}$_][\p{ID_Continue}$]*$/u.test(name) && !RESERVED.has(name);
}

/** Makes any text a valid, non-reserved JavaScript identifier in the given case. */
export function toIdentifier(text: string, style: "camel" | "pascal", fallback: string): string {
    let name = style === "camel" ? camelCase(text) : pascalCase(text);
    // \p{L} admits letters TypeScript rejects in identifiers (e.g. some marks): keep ASCII-safe.
    name = name.replace(/[^\p{ID_Continue}$]/gu, "");
    if (name === "") name = fallback;
    if (/^\p{Nd}/u.test(name) || !/^[\p{ID_Start}$_]/u.test(name)) name = `_${name}`;
    if (RESERVED.has(name)) name = `${name}_`;
    return name;
}

/** Hands out names that are unique in one scope, numbering the later ones. */
export class NameScope {
    private readonly taken = new Set<string>();

    constructor(reserved: Iterable<string> = []) {
        for (const name of reserved) this.taken.add(name);
    }

    /** Claims `base` (or `base2`, `base3`, …) together with each `base + suffix`. */
    claim(base: string, suffixes: readonly string[] = []): string {
        for (let n = 1; ; n++) {
            const name = n === 1 ? base : `${base}${n}`;
            const group = [name, ...suffixes.map((suffix) => name + suffix)];
            if (group.every((candidate) => !this.taken.has(candidate))) {
                for (const candidate of group) this.taken.add(candidate);
                return name;
            }
        }
    }
}
