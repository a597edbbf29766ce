import { writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ROOT } from "./fixtures.js";

/**
 * Type-checks generated folders under `strict`, as a consumer's project would, with
 * `joinkit/runtime` resolved to this repo's runtime source. Returns the diagnostics as tsc
 * prints them. In this process, with the project's TypeScript: the same program `tsc -p`
 * builds from the tsconfig.json written here (kept on disk, to rerun by hand), without
 * starting a Node process that loads TypeScript again.
 */
export function typecheck(
    projectDir: string,
    include: string[] = ["**/*.ts"],
    extraOptions: Record<string, unknown> = {},
): { ok: boolean; output: string } {
    const configFile = path.join(projectDir, "tsconfig.json");
    writeFileSync(
        configFile,
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
    const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
    });
    if (!config) throw new Error(`cannot read ${configFile}`);
    const program = ts.createProgram({
        rootNames: config.fileNames,
        options: config.options,
        projectReferences: config.projectReferences,
    });
    const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
    const output = ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (file) => file,
        getCurrentDirectory: () => projectDir,
        getNewLine: () => "\n",
    });
    return { ok: diagnostics.length === 0, output };
}
