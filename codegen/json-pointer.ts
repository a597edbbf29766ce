/** JSON pointers (RFC 6901) as `$ref`s and problem reports use them: `#/a/b~1c`. */

export function escapePointer(segment: string): string {
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointer(segment: string): string {
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
        .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), root);
}
