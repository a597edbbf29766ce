import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./fixtures.js";

/**
 * Type-checks generated folders under `strict`, as a consumer's project would, with
 * `joinkit/runtime` resolved to this repo's runtime source. Returns tsc's diagnostics.
 */
export function typecheck(
    projectDir: string,
    include: string[] = ["**/*.ts"],
    extraOptions: Record<string, unknown> = {},
): { ok: boolean; output: string } {
    writeFileSync(
        path.join(projectDir, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: {
                strict: true,
                noEmit: true,
                target: "ES2022",
                module: "NodeNext",
                moduleResolution: "NodeNext",
                lib: ["ES2023", "DOM"],
                types: [],
                skipLibCheck: true,
                paths: { "joinkit/runtime": [path.join(ROOT, "src/runtime/index.ts")] },
                ...extraOptions,
            },
            include,
        }),
    );
    const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", projectDir], {
        encoding: "utf8",
    });
    return { ok: run.status === 0, output: run.stdout + run.stderr };
}
