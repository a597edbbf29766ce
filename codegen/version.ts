import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The generator's version, from its package.json above this module (source or dist). */
export const JOINKIT_VERSION: string = (() => {
    for (let dir = path.dirname(fileURLToPath(import.meta.url));; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (existsSync(file)) {
            const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "@joinkit/codegen" && pkg.version) return pkg.version;
        }
        if (path.dirname(dir) === dir) return "0.0.0";
    }
})();
