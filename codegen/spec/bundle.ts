import { bundle, type BaseResolver, type Config } from "@redocly/openapi-core";
import type { LoadedSpec } from "./load.js";
import { toSpecProblems } from "./lint.js";
import { SpecError } from "../core/spec-error.js";

/**
 * One self-contained document: external `$ref`s (other files) are pulled into
 * `components`, internal ones are kept, so the types keep their names.
 */
export async function bundleSpec(
    spec: LoadedSpec,
    config: Config,
    resolver: BaseResolver,
): Promise<Record<string, unknown>> {
    // Redocly bundles in place; the loaded document stays as it was read.
    const document = { source: spec.document.source, parsed: structuredClone(spec.document.parsed) };
    const result = await bundle({ doc: document, config, externalRefResolver: resolver, dereference: false });
    const errors = result.problems.filter((p) => p.severity === "error");
    if (errors.length > 0) throw new SpecError(toSpecProblems(errors, spec));
    return withoutExternalValues(result.bundle.parsed) as Record<string, unknown>;
}

/**
 * An example's `externalValue` is a URL or path that tools downstream (openapi-typescript,
 * the docs renderer) would fetch or read from wherever they run: drop it, in place.
 */
function withoutExternalValues(node: unknown): unknown {
    const seen = new Set<object>();
    const visit = (value: unknown): void => {
        if (value === null || typeof value !== "object" || seen.has(value)) return;
        seen.add(value);
        if (Array.isArray(value)) return value.forEach(visit);
        const object = value as Record<string, unknown>;
        if (typeof object.externalValue === "string") delete object.externalValue;
        Object.values(object).forEach(visit);
    };
    visit(node);
    return node;
}
