import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The generator's package.json above this module (source or dist), and its version. */
export const GENERATOR_PACKAGE: { readonly file: string; readonly version: string } | undefined = (() => {
    for (let dir = path.dirname(fileURLToPath(import.meta.url));; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (existsSync(file)) {
            const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "@joinkit/codegen" && pkg.version) return { file, version: pkg.version };
        }
        if (path.dirname(dir) === dir) return undefined;
    }
})();

/** The generator's version, from its package.json. */
export const JOINKIT_VERSION: string = GENERATOR_PACKAGE?.version ?? "0.0.0";
