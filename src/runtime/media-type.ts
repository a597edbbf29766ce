/** How joinkit writes or reads a body of a given media type. */
export type MediaKind = "json" | "form" | "multipart" | "event-stream" | "text" | "binary";

/** The media type without parameters, lower-cased; `undefined` when there is none. */
export function mediaTypeOf(contentType: string | null | undefined): string | undefined {
    if (contentType === null || contentType === undefined) return undefined;
    // Runs several times per call: slicing allocates less than split(";")[0].
    const semicolon = contentType.indexOf(";");
    const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
    return type === "" ? undefined : type;
}

/** `application/json` or any `+json` type, parameters ignored. */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
    const type = mediaTypeOf(contentType);
    return type === "application/json" || type?.endsWith("+json") === true;
}

// Types that are text whatever their top-level type says.
const TEXT_TYPES = new Set([
    "application/xml",
    "application/javascript",
    "application/ecmascript",
    "application/yaml",
    "application/x-yaml",
    "application/graphql",
    "application/sql",
    "application/sdp",
    "application/x-ndjson",
    "application/jsonl",
    "application/csv",
]);

/**
 * JSON, form-urlencoded, multipart, event stream, text (`text/*`, XML, YAML, …) or binary
 * (everything else: images, `application/octet-stream`, `*\/*`, …).
 */
export function mediaKind(contentType: string | null | undefined): MediaKind {
    const type = mediaTypeOf(contentType);
    if (type === undefined) return "binary";
    if (type === "application/json" || type.endsWith("+json")) return "json";
    if (type === "application/x-www-form-urlencoded") return "form";
    if (type.startsWith("multipart/")) return "multipart";
    if (type === "text/event-stream") return "event-stream";
    if (type.startsWith("text/") || type.endsWith("+xml") || TEXT_TYPES.has(type)) return "text";
    return "binary";
}

/** A declared media type (possibly `text/*` or `*\/*`) against what came; a missing type matches text ones. */
export function mediaTypeMatches(declared: string, received: string | undefined): boolean {
    const want = mediaTypeOf(declared) ?? "";
    if (want === "*/*") return true;
    if (received === undefined) return want.startsWith("text/") && want !== "text/event-stream";
    if (want === received) return true;
    if (want.endsWith("/*")) return received.startsWith(want.slice(0, -1));
    // `application/json` declared, `application/problem+json` received, and the reverse: both JSON.
    return isJsonMediaType(want) && isJsonMediaType(received);
}
