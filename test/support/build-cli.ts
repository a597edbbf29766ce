import { execFileSync } from "node:child_process";
import { ROOT } from "./fixtures.js";

/** Tests run the real `joinkit` bin, which runs the compiled generator: compile it first. */
export default function setup(): void {
    execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.codegen.json"], {
        cwd: ROOT,
        stdio: "inherit",
    });
}
