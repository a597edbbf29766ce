import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { getLineColLocation, parseYaml, Source, type Document } from "@redocly/openapi-core";
import { SpecError, type SpecProblem } from "./spec-error.js";

/** Documents larger than this are refused before parsing, so a huge file cannot exhaust memory. */
export const MAX_SPEC_BYTES = 32 * 1024 * 1024;
/**
 * Nodes a document may hold once its YAML aliases are expanded. The parser shares aliased
 * nodes, so a "billion laughs" document parses small, but every later stage walks it in
 * full: refuse it here. Far above any real API (DigitalOcean's has about 100,000).
 */
export const MAX_EXPANDED_NODES = 5_000_000;

export interface LoadedSpec {
    /** Absolute path. */
    readonly file: string;
    /** The path as shown in messages. */
    readonly displayName: string;
    /** `sha256:` plus the first 12 hex digits of the file's bytes. */
    readonly hash: string;
    /** The parsed document, as Redocly's resolver expects it. */
    readonly document: Document;
    /** Line and column (1-based) of the node at a JSON pointer, when it can be found. */
    locate(pointer: string): { line: number; column: number } | undefined;
}

/**
 * Reads and parses one OpenAPI document (YAML or JSON) once, with the parser Redocly lints
 * with; every later stage shares the result. Refuses anything that is not an OpenAPI 3.x
 * document with a located error.
 */
export async function loadSpec(file: string, displayName = file): Promise<LoadedSpec> {
    const absolute = path.resolve(file);
    const fail = (rule: string, message: string, line?: number, column?: number): never => {
        throw new SpecError([{ file: displayName, line, column, rule, message, severity: "error" } satisfies SpecProblem]);
    };

    const size = await stat(absolute).then(
        (s) => s.size,
        (error: NodeJS.ErrnoException) => fail("read", `cannot read the file (${error.code ?? error.message})`),
    );
    if (size > MAX_SPEC_BYTES) {
        fail("size", `the document is ${size} bytes; joinkit reads documents up to ${MAX_SPEC_BYTES} bytes`);
    }
    const text = await readFile(absolute, "utf8");
    if (text.trim() === "") fail("parse", "the file is empty");

    let parsed: unknown;
    try {
        parsed = parseYaml(text, { filename: absolute });
    } catch (error) {
        const mark = (error as { mark?: { line: number; column: number } }).mark;
        const reason = (error as { reason?: string }).reason ?? (error as Error).message.split("\n")[0]!;
        fail("parse", reason, mark && mark.line + 1, mark && mark.column + 1);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        fail("openapi-version", "the document is not a mapping; expected an OpenAPI 3.x document", 1, 1);
    }
    if (expandedSizeExceeds(parsed, MAX_EXPANDED_NODES)) {
        fail("parse", `YAML aliases expand the document past ${MAX_EXPANDED_NODES} nodes (an alias bomb?)`);
    }
    const document = parsed as Record<string, unknown>;
    if (typeof document.swagger === "string") {
        fail(
            "openapi-version",
            `this is a Swagger ${document.swagger} document; joinkit reads OpenAPI 3.0 and 3.1. Convert it first (for example with swagger2openapi).`,
        );
    }
    if (typeof document.openapi !== "string" || !/^3\.[01]\.\d+$/.test(document.openapi)) {
        fail(
            "openapi-version",
            `expected "openapi: 3.0.x" or "openapi: 3.1.x" at the top level, found ${JSON.stringify(document.openapi ?? null)}`,
        );
    }

    const source = new Source(absolute, text);
    return {
        file: absolute,
        displayName,
        hash: `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`,
        document: { source, parsed: document },
        locate(pointer) {
            try {
                const { start } = getLineColLocation({ source, pointer, reportOnKey: false });
                return { line: start.line, column: start.col };
            } catch {
                return undefined;
            }
        },
    };
}

/** Counts nodes as a full walk would meet them (shared alias targets once per use). */
function expandedSizeExceeds(root: unknown, budget: number): boolean {
    let remaining = budget;
    const stack: unknown[] = [root];
    while (stack.length > 0) {
        const node = stack.pop();
        if (--remaining < 0) return true;
        if (node !== null && typeof node === "object") {
            for (const child of Object.values(node)) if (child !== null && typeof child === "object") stack.push(child);
        }
    }
    return false;
}
