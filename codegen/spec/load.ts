import { Source, type Document } from "@redocly/openapi-core";
import { readSpec, type ReadSpec } from "./read.js";

/** A document read and parsed (read.ts), in the form Redocly's resolver, lint and bundler take it. */
export interface LoadedSpec extends ReadSpec {
    /** The parsed document, as Redocly's resolver expects it. */
    readonly document: Document;
}

/**
 * Reads and parses one OpenAPI document (YAML or JSON) once, with the parser Redocly lints
 * with (read.ts); every later stage shares the result. Refuses anything that is not an
 * OpenAPI 3.x document with a located error.
 */
export async function loadSpec(file: string, displayName = file): Promise<LoadedSpec> {
    const read = await readSpec(file, displayName);
    // A converted document has no text of its own: its Source is its JSON, so Redocly can
    // read it, and locations are reported as pointers only.
    const source = new Source(read.file, read.convertedFrom ? JSON.stringify(read.parsed, null, 2) : read.text);
    return { ...read, locate: read.locate, document: { source, parsed: read.parsed } };
}
