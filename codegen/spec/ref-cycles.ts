import { escapePointer, resolvePointer } from "./json-pointer.js";
import type { ReadSpec } from "./read.js";
import { SpecError, type SpecProblem } from "../core/spec-error.js";

type Json = Record<string, unknown>;

/**
 * Refuses `$ref` chains that lead back to themselves (`A: {$ref: B}`, `B: {$ref: A}`): they
 * name no schema at all, and Redocly's resolver throws on them instead of reporting. A
 * schema that merely contains a reference to itself (a tree) is fine and is not a chain.
 */
export function checkRefCycles(spec: Pick<ReadSpec, "parsed" | "displayName" | "locate">): void {
    const root = spec.parsed as Json;
    const problems: SpecProblem[] = [];
    const reported = new Set<string>();

    // The walk keeps the keys it is under and spells a pointer only where a `$ref` is: the
    // document has far more nodes than `$ref`s.
    const keys: (string | number)[] = [];
    const pointerHere = () =>
        `#${keys.map((key) => `/${typeof key === "number" ? key : escapePointer(key)}`).join("")}`;
    const visit = (node: unknown): void => {
        if (node === null || typeof node !== "object") return;
        if (Array.isArray(node)) {
            for (let i = 0; i < node.length; i++) {
                keys.push(i);
                visit(node[i]);
                keys.pop();
            }
            return;
        }
        const ref = (node as Json).$ref;
        if (typeof ref === "string") {
            const pointer = pointerHere();
            const cycle = chainFrom(root, pointer, ref);
            if (cycle && !cycle.some((p) => reported.has(p))) {
                cycle.forEach((p) => reported.add(p));
                problems.push({
                    file: spec.displayName,
                    ...spec.locate(pointer),
                    pointer,
                    rule: "no-ref-cycles",
                    message: `$ref chain loops without reaching a schema: ${cycle.join(" → ")}`,
                    severity: "error",
                });
            }
            return;
        }
        for (const key in node) {
            if (!Object.hasOwn(node, key)) continue;
            keys.push(key);
            visit((node as Json)[key]);
            keys.pop();
        }
    };
    visit(root);
    if (problems.length > 0) throw new SpecError(problems);
}

/** Follows a chain of plain `$ref` nodes; returns the loop if it closes on itself. */
function chainFrom(root: Json, start: string, firstRef: string): string[] | undefined {
    const seen = [start];
    let ref: unknown = firstRef;
    while (typeof ref === "string" && ref.startsWith("#/")) {
        if (seen.includes(ref)) return [...seen, ref];
        seen.push(ref);
        const target = resolvePointer(root, ref);
        ref = target && typeof target === "object" ? (target as Json).$ref : undefined;
    }
    return undefined;
}
