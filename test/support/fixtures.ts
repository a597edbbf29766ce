import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { parse } from "yaml";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SONORAN_SPEC = path.join(ROOT, "specs/sonoran-cad.yaml");
export const AMITY_SPEC = path.join(ROOT, "specs/amity-social-cloud.yaml");

/**
 * The real public documents the corpus tests run on: `../shared/corpus` beside the checkout,
 * or wherever JOINKIT_CORPUS points. They are not part of the repository; a checkout without
 * them skips those tests (HAS_CORPUS) and says so, rather than failing to load.
 */
export const CORPUS = process.env.JOINKIT_CORPUS ?? path.join(ROOT, "../shared/corpus");
export const HAS_CORPUS = existsSync(CORPUS);
if (!HAS_CORPUS) {
    console.warn(
        `joinkit tests: no corpus at ${CORPUS} (set JOINKIT_CORPUS); the tests on real public documents are skipped`,
    );
}

/** The parsed spec, for tests that answer with the spec's own examples. */
export function readSpec(file: string): Record<string, any> {
    return parse(readFileSync(file, "utf8"));
}

/** Every string form in which a value could leak: String(), JSON, and what console.log prints. */
export function renderings(value: unknown): string[] {
    return [
        String(value),
        JSON.stringify(value) ?? "",
        inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    ];
}
