import { escapePointer } from "../spec/json-pointer.js";
import { readSpec } from "../spec/read.js";
import { checkRefCycles } from "../spec/ref-cycles.js";
import { SpecError, type SpecProblem } from "../core/spec-error.js";
import { createDeref, type Deref, type Json } from "../model/context.js";

/** Where something is in the spec: the file, and the line and column when the text is known. */
export interface SpecLocation {
    readonly file: string;
    readonly line?: number;
    readonly column?: number;
    /** JSON pointer into the document (`#/paths/~1pets/get/parameters/0`). */
    readonly pointer: string;
}

/** The one document a simulator serves, read once. */
export interface MockDocument {
    readonly parsed: Json;
    /** How the spec is named in problems. */
    readonly displayName: string;
    /**
     * `3.0` (`nullable`, boolean `exclusiveMinimum`, `$ref` siblings ignored) or `3.1` (JSON
     * Schema 2020-12; 3.2 reads the same). Both spellings of nullability and exclusivity are
     * honoured in either: real 3.1 documents still write `nullable`.
     */
    readonly dialect: "3.0" | "3.1";
    /** Follows local `$ref`s, saying where the target lives. */
    readonly deref: Deref;
    /** Where a pointer is in the spec's text (line and column when known). */
    locate(pointer: string): SpecLocation;
}

/**
 * A spec file, read without Redocly (spec/read.ts: `joinkit mock` must start fast); `$ref`
 * loops are refused located, as `generate` refuses them. A document whose `$ref`s reach
 * other files is refused too, naming the first such `$ref`: bundle it first (`joinkit mock`
 * does, through the generator's confined bundler) and pass the bundled document.
 */
export async function readMockDocument(file: string, displayName = file): Promise<MockDocument> {
    const spec = await readSpec(file, displayName);
    checkRefCycles(spec);
    const external = firstExternalRef(spec.parsed);
    if (external) {
        throw new SpecError([
            {
                file: displayName,
                ...spec.locate(external.pointer),
                pointer: external.pointer,
                rule: "mock-external-ref",
                message:
                    `$ref ${
                        JSON.stringify(external.ref)
                    } reaches another file; the simulator serves one self-contained `
                    + "document: run `joinkit mock --spec` (it bundles the files), or pass createMockServer the bundled document",
                severity: "error",
            } satisfies SpecProblem,
        ]);
    }
    return mockDocument(spec.parsed, displayName, (pointer) => spec.locate(pointer));
}

/** A document already in memory (a bundled one, or one a test builds); located by pointer only unless `locate` says more. */
export function mockDocument(
    parsed: Json,
    displayName: string,
    locate: (pointer: string) => { line: number; column: number } | undefined = () => undefined,
): MockDocument {
    const version = typeof parsed.openapi === "string" ? parsed.openapi : "3.0.0";
    if (typeof parsed.swagger === "string" || typeof parsed.swagger === "number") {
        throw new SpecError([{
            file: displayName,
            rule: "openapi-version",
            message: "a Swagger 2.0 document: pass its file (it is converted as it is read), not the parsed object",
            severity: "error",
        }]);
    }
    return {
        parsed,
        displayName,
        dialect: version.startsWith("3.0") ? "3.0" : "3.1",
        deref: createDeref(parsed),
        locate: (pointer) => ({ file: displayName, ...locate(pointer), pointer }),
    };
}

const LITERAL_KEYWORDS = new Set(["example", "examples", "default", "enum", "const"]);

/** The first `$ref` that is not a local pointer (`#/…`), and where it is. */
function firstExternalRef(root: unknown): { ref: string; pointer: string } | undefined {
    const stack: [unknown, string][] = [[root, "#"]];
    while (stack.length > 0) {
        const [node, pointer] = stack.pop()!;
        if (node === null || typeof node !== "object") continue;
        const ref = (node as Json).$ref;
        if (typeof ref === "string" && !ref.startsWith("#")) return { ref, pointer };
        const entries = (Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node))
            // Examples, defaults and enums are data: a `$ref` key inside one is text, not a reference.
            .filter(([key]) => !LITERAL_KEYWORDS.has(key));
        for (let i = entries.length - 1; i >= 0; i--) {
            const [key, value] = entries[i]!;
            stack.push([value, `${pointer}/${escapePointer(key)}`]);
        }
    }
    return undefined;
}
