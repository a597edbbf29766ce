import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { binaryTag, CORE_SCHEMA, loadAll, mergeTag, omapTag, pairsTag, setTag, YAMLException } from "js-yaml";
import { convertSwagger2 } from "./convert-swagger.js";
import { specHash } from "../core/hash.js";
import { createLocator, type Locate } from "./locate.js";
import { SpecError, type SpecProblem } from "../core/spec-error.js";

/** Documents larger than this are refused before parsing, so a huge file cannot exhaust memory. */
export const MAX_SPEC_BYTES = 32 * 1024 * 1024;
/**
 * Nodes a document may hold once its YAML aliases are expanded. The parser shares aliased
 * nodes, so a "billion laughs" document parses small, but every later stage walks it in
 * full: refuse it here. Far above any real API (DigitalOcean's has about 100,000).
 */
export const MAX_EXPANDED_NODES = 5_000_000;

/**
 * The YAML schema Redocly parses with (`@redocly/openapi-core`'s parseYaml: js-yaml's core
 * schema with the merge, binary, omap, pairs and set tags, no timestamps, so a date stays a
 * string). Declared here so a reader that must not load Redocly (`joinkit mock`, which
 * starts in well under a second) parses every document exactly as lint and generate do.
 */
const SCHEMA = CORE_SCHEMA.withTags(mergeTag, binaryTag, omapTag, pairsTag, setTag);

/** One OpenAPI document read from disk and parsed, without Redocly. */
export interface ReadSpec {
    /** Absolute path. */
    readonly file: string;
    /** The path as shown in messages. */
    readonly displayName: string;
    /** `sha256:` plus the first 12 hex digits of the file's bytes. */
    readonly hash: string;
    /** The file's text. */
    readonly text: string;
    /** The parsed document (for Swagger 2.0, its OpenAPI 3.0 conversion). */
    readonly parsed: Record<string, unknown>;
    /**
     * Set when the file is Swagger 2.0: the document is its OpenAPI 3.0 conversion, and
     * pointers in problems refer to the conversion (lines and columns are not given).
     */
    readonly convertedFrom?: string;
    /** Line and column (1-based) of the node at a JSON pointer, when it can be found. */
    locate(pointer: string): { line: number; column: number } | undefined;
}

/**
 * Reads and parses one OpenAPI document (YAML or JSON) once. Refuses anything that is not
 * an OpenAPI 3.x document (or Swagger 2.0, converted in memory) with a located error.
 */
export async function readSpec(file: string, displayName = file): Promise<ReadSpec> {
    const absolute = path.resolve(file);
    const fail = (rule: string, message: string, line?: number, column?: number): never => {
        throw new SpecError([
            { file: displayName, line, column, rule, message, severity: "error" } satisfies SpecProblem,
        ]);
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
        parsed = parseYaml(text, absolute);
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
    let document = parsed as Record<string, unknown>;
    let convertedFrom: string | undefined;
    if (typeof document.swagger === "string" || typeof document.swagger === "number") {
        if (String(document.swagger) !== "2.0") {
            fail(
                "openapi-version",
                `this is a Swagger ${document.swagger} document; joinkit reads Swagger 2.0 and OpenAPI 3.0-3.2`,
                1,
                1,
            );
        }
        try {
            document = await convertSwagger2(document);
        } catch (error) {
            fail(
                "swagger2openapi",
                `this Swagger 2.0 document could not be converted to OpenAPI 3.0: ${
                    (error as Error).message
                }. Fix it, or convert it yourself and generate from the result.`,
            );
        }
        convertedFrom = "Swagger 2.0";
    }
    // 3.2 is read as it is linted: with Redocly's 3.2 rules; what 3.2 adds that the types
    // cannot express is reported where it is met (see codegen/model/).
    if (typeof document.openapi !== "string" || !/^3\.[012]\.\d+$/.test(document.openapi)) {
        fail(
            "openapi-version",
            `expected "openapi: 3.0.x", "3.1.x" or "3.2.x" (or "swagger: 2.0") at the top level, found ${
                JSON.stringify(document.openapi ?? null)
            }`,
            1,
            1,
        );
    }

    let locator: Locate | undefined;
    return {
        file: absolute,
        displayName,
        hash: specHash(text),
        text,
        parsed: document,
        convertedFrom,
        locate(pointer) {
            if (convertedFrom) return undefined;
            try {
                // Only problems ask: the AST is built on the first and kept for the next ones.
                locator ??= createLocator({ body: text, absoluteRef: absolute });
                return locator(pointer);
            } catch {
                return undefined;
            }
        },
    };
}

/** One YAML (or JSON) document, parsed as Redocly parses it; more than one document in the stream is refused. */
function parseYaml(text: string, filename: string): unknown {
    const documents = loadAll(text, { schema: SCHEMA, filename });
    if (documents.length === 0) return null;
    if (documents.length > 1) throw new YAMLException("expected a single document in the stream, but found more");
    return documents[0];
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
