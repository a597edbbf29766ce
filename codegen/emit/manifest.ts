import { contentHash } from "../core/hash.js";

/**
 * The manifest every generated folder carries: the files joinkit wrote there, with their
 * hashes. Emitted with the files; read back by output/ to decide what it owns.
 */
export const MANIFEST_FILE = ".joinkit-manifest.json";

/** The manifest for a folder of generated files; deterministic byte for byte. */
export function manifestText(source: string, files: ReadonlyMap<string, string>): string {
    const entries = [...files].filter(([name]) => name !== MANIFEST_FILE).sort((
        [a],
        [b],
    ) => (a < b ? -1 : a > b ? 1 : 0));
    const manifest = {
        generatedBy: "joinkit",
        note: "joinkit replaces and deletes only the files listed here; anything else in this folder is left alone.",
        source,
        files: Object.fromEntries(entries.map(([name, text]) => [name, contentHash(text)])),
    };
    return `${JSON.stringify(manifest, null, 4)}\n`;
}
