import path from "node:path";
import ts from "typescript";
import { ROOT } from "./fixtures.js";

/**
 * Tests run the real `joinkit` bin (codegen/dist) and pack the real packages (dist/ and
 * codegen/dist): build both once, before any test file starts, so no test reads them while
 * they are being written. The client first (its declarations, then its JavaScript without
 * comments, as `npm run build:client` and so `npm pack` build it): the generator builds
 * against its declarations.
 * Each build is `tsc -p <project> --noCheck` (the same files, not type-checked: the run's one
 * type-check pass is vitest's typecheck, vitest.config.ts), done here through TypeScript's API
 * in one process: the three projects share the standard library, @types/node and the client's
 * sources, which are read and parsed once instead of once per project and Node process.
 */
export default function setup(): void {
    const parsed = new Map<string, ts.SourceFile | undefined>();
    for (const project of ["tsconfig.build.json", "tsconfig.build-js.json", "codegen/tsconfig.json"]) {
        const configFile = path.join(ROOT, project);
        const config = ts.getParsedCommandLineOfConfigFile(configFile, { noCheck: true }, {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: () => {},
        });
        if (!config) throw new Error(`cannot read ${configFile}`);
        const host = ts.createCompilerHost(config.options);
        const read = host.getSourceFile.bind(host);
        host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
            // What a file parses to depends on its name and on how it is parsed (target, module format).
            const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
            if (!parsed.has(key)) parsed.set(key, read(fileName, languageVersion, onError, shouldCreate));
            return parsed.get(key);
        };
        const program = ts.createProgram({
            rootNames: config.fileNames,
            options: config.options,
            projectReferences: config.projectReferences,
            host,
        });
        const diagnostics = [
            ...config.errors,
            ...program.getConfigFileParsingDiagnostics(),
            ...program.getOptionsDiagnostics(),
            ...program.getGlobalDiagnostics(),
            ...program.getSyntacticDiagnostics(),
            ...program.emit().diagnostics,
        ];
        if (diagnostics.length > 0) {
            throw new Error(
                `tsc -p ${project} --noCheck:\n${
                    ts.formatDiagnostics(diagnostics, {
                        getCanonicalFileName: (f) => f,
                        getCurrentDirectory: () => ROOT,
                        getNewLine: () => "\n",
                    })
                }`,
            );
        }
    }
}
