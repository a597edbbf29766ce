/** JSON pointers (RFC 6901) as `$ref`s and problem reports use them: `#/a/b~1c`. */

export function escapePointer(segment: string): string {
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointer(segment: string): string {
    // Most segments are plain names: nothing to decode (the common case of every `$ref` followed).
    if (!segment.includes("%") && !segment.includes("~")) return segment;
    let decoded = segment;
    try {
        decoded = decodeURIComponent(segment);
    } catch {
        // A lone "%" is a literal percent sign in a pointer that was never URI-encoded.
    }
    return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The node a local pointer (`#/…`) names in `root`, or `undefined`. */
export function resolvePointer(root: unknown, pointer: string): unknown {
    return pointer
        .replace(/^#\/?/, "")
        .split("/")
        .filter((segment, _index, all) => !(all.length === 1 && segment === ""))
        .map(unescapePointer)
        .reduce<unknown>(
            (node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
            root,
        );
}

/**
 * `value` with its local `$ref`s followed to an object (a chain of them, a loop stopping at
 * `undefined`); `undefined` for a remote `$ref` or anything that is not an object.
 */
export function followLocalRefs<T extends object = Record<string, any>>(root: unknown, value: unknown): T | undefined {
    const seen = new Set<string>();
    let current = value as { $ref?: unknown } | undefined;
    while (current && typeof current === "object" && typeof current.$ref === "string") {
        if (!current.$ref.startsWith("#/") || seen.has(current.$ref)) return undefined;
        seen.add(current.$ref);
        current = resolvePointer(root, current.$ref) as { $ref?: unknown } | undefined;
    }
    return current && typeof current === "object" && !Array.isArray(current) ? (current as T) : undefined;
}
