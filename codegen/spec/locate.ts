import { createRequire } from "node:module";
import type { Source } from "@redocly/openapi-core";
import type * as YamlAst from "yaml-ast-parser";
import type { YamlMap, YAMLNode, YAMLSequence } from "yaml-ast-parser";
import { unescapePointer } from "./json-pointer.js";

// Loaded on the first lookup: reading a document never needs its AST, only reporting a
// problem does, and the parser takes longer to load than `joinkit mock` takes to start.
let parser: typeof YamlAst | undefined;
function yamlAst(): typeof YamlAst {
    parser ??= createRequire(import.meta.url)("yaml-ast-parser") as typeof YamlAst;
    return parser;
}

/** 1-based line and column, as problems report them. */
export interface LineColumn {
    readonly line: number;
    readonly column: number;
}

/** Where the node at a JSON pointer (`#/paths/~1pets/get`) starts; `onKey` points at its key instead. */
export type Locate = (pointer: string, onKey?: boolean) => LineColumn;

/**
 * Finds nodes by JSON pointer in one source, answering as Redocly's getLineColLocation does
 * (its YAML AST, its rules for keys, sequences and missing nodes), in time independent of
 * the document's size. Redocly's finds each key by a linear scan of its mapping, so locating
 * the warnings of a 50,000-operation document (one per operation under `paths`) took
 * minutes; here each mapping is indexed once, when a pointer first passes through it.
 *
 * The AST is built on the first call and lives as long as the locator: keep a locator for a
 * batch of problems, not for the run (a 20 MB document's AST is hundreds of megabytes).
 */
export function createLocator(source: Pick<Source, "body" | "absoluteRef">): Locate {
    let root: YAMLNode | undefined | null;
    let lineStarts: number[] | undefined;
    const keys = new WeakMap<YAMLNode, Map<string, YAMLNode>>();

    const child = (map: YAMLNode, key: string): YAMLNode | undefined => {
        let index = keys.get(map);
        if (!index) {
            index = new Map();
            // The first mapping with a key wins, as Array.prototype.find would have it.
            for (const mapping of (map as YamlMap).mappings) {
                if (!index.has(mapping.key?.value)) index.set(mapping.key?.value, mapping);
            }
            keys.set(map, index);
        }
        return index.get(key);
    };

    const nodeAt = (pointer: string, onKey: boolean): YAMLNode | undefined => {
        const { Kind, safeLoad } = yamlAst();
        // Without ignoreDuplicateKeys the parser compares every key with each earlier one in its
        // mapping (quadratic: 14 s of 35 for 50,000 operations). Duplicates are refused when the
        // document is read; this AST only answers where things are.
        if (root === undefined) {
            root = safeLoad(source.body, { filename: source.absoluteRef, ignoreDuplicateKeys: true }) ?? null;
        }
        if (!root) return undefined;
        let node: YAMLNode = root;
        // Empty segments are skipped, as Redocly's parsePointer does.
        for (const segment of pointer.slice(2).split("/").filter(Boolean).map(unescapePointer)) {
            if (node.kind === Kind.MAP) {
                const mapping = child(node, segment);
                if (!mapping) break;
                node = mapping;
                if (!mapping.value) break;
                node = mapping.value;
            } else if (node.kind === Kind.SEQ) {
                const item = (node as YAMLSequence).items[Number.parseInt(segment, 10)];
                if (!item) break;
                node = item;
            }
        }
        if (!onKey || !node.parent) return node;
        return node.parent.kind === Kind.MAPPING ? node.parent.key : node;
    };

    return (pointer, onKey = false) => {
        const node = nodeAt(pointer, onKey);
        const offset = node?.startPosition ?? 1;
        // Redocly's rule: a node without extent (or none found) is reported at 1:1.
        if (offset === (node?.endPosition ?? 1)) return { line: 1, column: 1 };
        lineStarts ??= startsOfLines(source.body);
        return lineColumnAt(source.body, lineStarts, offset);
    };
}

/** One locator per source, made on first use: for a batch of problems across files. */
export function locatorsBySource(): (source: Source) => Locate {
    const locators = new Map<Source, Locate>();
    return (source) => {
        let locate = locators.get(source);
        if (!locate) locators.set(source, locate = createLocator(source));
        return locate;
    };
}

function startsOfLines(text: string): number[] {
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    return starts;
}

function lineColumnAt(text: string, lineStarts: readonly number[], offset: number): LineColumn {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
        const middle = Math.floor((low + high + 1) / 2);
        if (lineStarts[middle]! <= offset) low = middle;
        else high = middle - 1;
    }
    const start = lineStarts[low]!;
    // A "\r" right after "\n" does not count as a column (Redocly's rule).
    const carriageReturn = low > 0 && text[start] === "\r" && offset > start ? 1 : 0;
    return { line: low + 1, column: offset - start + 1 - carriageReturn };
}
