import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { parse } from "yaml";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SONORAN_SPEC = path.join(ROOT, "specs/sonoran-cad.yaml");
export const AMITY_SPEC = path.join(ROOT, "specs/amity-social-cloud.yaml");

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
