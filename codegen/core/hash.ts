import { createHash } from "node:crypto";

/** A file's content hash, as manifests and the check cache record it: `sha256:` and all 64 hex digits. */
export function contentHash(text: string | Uint8Array): string {
    return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** How a header names the text it was generated from: `sha256:` and the first 12 hex digits. */
export function specHash(text: string): string {
    return `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}
