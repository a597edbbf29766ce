import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Source, type Document } from "@redocly/openapi-core";
import { isMap, parseDocument } from "yaml";
import { SpecError, type SpecProblem } from "./spec-error.js";

/** Documents larger than this are refused before parsing, so a huge file cannot exhaust memory. */
export const MAX_SPEC_BYTES = 32 * 1024 * 1024;
/** Alias expansions allowed while parsing; defeats "billion laughs" documents. */
export const MAX_YAML_ALIASES = 10_000;

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
 * Reads and parses one OpenAPI document (YAML or JSON) once; every later stage shares the
 * result. Refuses anything that is not an OpenAPI 3.x document with a located error.
 */
export async function loadSpec(file: string, displayName = file): Promise<LoadedSpec> {
    const absolute = path.resolve(file);
    const fail = (rule: string, message: string, line?: number, column?: number): never => {
        throw new SpecError([{ file: displayName, line, column, rule, message, severity: "error" }]);
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

    const yaml = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (yaml.errors.length > 0) {
        const problems: SpecProblem[] = yaml.errors.map((error) => {
            const [line, column] = lineColumnAt(text, error.pos[0]);
            return { file: displayName, line, column, rule: "parse", message: firstLine(error.message), severity: "error" };
        });
        throw new SpecError(problems);
    }
    if (!isMap(yaml.contents)) fail("openapi-version", "the document is not a mapping; expected an OpenAPI 3.x document", 1, 1);

    let parsed: Record<string, unknown>;
    try {
        parsed = yaml.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as Record<string, unknown>;
    } catch (error) {
        return fail("parse", `${(error as Error).message} (aliases may expand to at most ${MAX_YAML_ALIASES} nodes)`);
    }
    if (typeof parsed.swagger === "string") {
        fail(
            "openapi-version",
            `this is a Swagger ${parsed.swagger} document; joinkit reads OpenAPI 3.0 and 3.1. Convert it first (for example with swagger2openapi).`,
        );
    }
    if (typeof parsed.openapi !== "string" || !/^3\.[01]\.\d+$/.test(parsed.openapi)) {
        fail(
            "openapi-version",
            `expected "openapi: 3.0.x" or "openapi: 3.1.x" at the top level, found ${JSON.stringify(parsed.openapi ?? null)}`,
        );
    }

    return {
        file: absolute,
        displayName,
        hash: `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`,
        document: { source: new Source(absolute, text), parsed },
        locate(pointer) {
            const segments = pointer.replace(/^#?\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
            const node = yaml.getIn(segments, true) as { range?: [number, number, number] } | undefined;
            if (!node?.range) return undefined;
            const [line, column] = lineColumnAt(text, node.range[0]);
            return { line, column };
        },
    };
}

function lineColumnAt(text: string, offset: number): [number, number] {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return [line, offset - before.lastIndexOf("\n")];
}

function firstLine(message: string): string {
    return message.split("\n")[0]!;
}
