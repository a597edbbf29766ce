import { execFileSync } from "node:child_process";
import { ROOT } from "./fixtures.js";

/**
 * Tests run the real `joinkit` bin (codegen/dist) and pack the real packages (dist/ and
 * codegen/dist): build both once, before any test file starts, so no test reads them while
 * they are being written. The client first (its declarations, then its JavaScript without
 * comments, as `npm run build:client` and so `npm pack` build it): the generator builds
 * against its declarations.
 * `--noCheck` emits the same files without type-checking them: the run's one type-check pass
 * is vitest's typecheck (vitest.config.ts).
 */
export default function setup(): void {
    for (const project of ["tsconfig.build.json", "tsconfig.build-js.json", "codegen"]) {
        execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, "-p", project, "--noCheck"], { cwd: ROOT, stdio: "inherit" });
    }
}
