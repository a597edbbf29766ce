import { execFileSync } from "node:child_process";
import { ROOT } from "./fixtures.js";

/**
 * Tests run the real `joinkit` bin and pack the real package, both from `dist/`: build it
 * once, before any test file starts, so no test reads it while it is being written.
 */
export default function setup(): void {
    execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], {
        cwd: ROOT,
        stdio: "inherit",
    });
}
