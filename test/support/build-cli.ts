import { execFileSync } from "node:child_process";
import { ROOT } from "./fixtures.js";

/**
 * Tests run the real `joinkit` bin and pack the real package, both from `dist/`: build it
 * once, before any test file starts, so no test reads it while it is being written.
 * `--noCheck` emits the same files without type-checking them: the run's one type-check pass
 * is vitest's typecheck (vitest.config.ts).
 */
export default function setup(): void {
    execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json", "--noCheck"], {
        cwd: ROOT,
        stdio: "inherit",
    });
}
