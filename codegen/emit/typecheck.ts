import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as TypeScript from "typescript";
import { RUNTIME_MODULE } from "./context.js";
import type { SpecProblem } from "../core/spec-error.js";

/**
 * Where `joinkit/runtime`'s types are: resolved from here as TypeScript resolves it, i.e. in
 * the client package installed beside the generator (its peer dependency; in this repository
 * the workspace's link to the root package). Before that package is built, its source.
 */
function runtimeEntry(ts: typeof TypeScript): string {
    const here = fileURLToPath(import.meta.url);
    const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const resolved = ts.resolveModuleName(RUNTIME_MODULE, here, options, ts.sys).resolvedModule;
    if (resolved && existsSync(resolved.resolvedFileName)) return resolved.resolvedFileName;
    const client = path.dirname(createRequire(here).resolve("joinkit/package.json"));
    return path.join(client, "src/runtime/index.ts");
}

// The TypeScript openapi-typescript uses (its peer dependency), with its standard library
// files on disk, so --typecheck loads no second copy. Loaded on first use.
let loaded: typeof TypeScript | undefined;
const typescript = () => (loaded ??= createRequire(import.meta.url)("typescript") as typeof TypeScript);

const compilerOptions = (ts: typeof TypeScript): TypeScript.CompilerOptions => ({
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: [],
    skipLibCheck: true,
});

/**
 * Type-checks one API's generated files under `strict`, in memory, as a consumer's project
 * would (`joinkit/runtime` resolved to this joinkit's runtime). Returns a problem per
 * diagnostic in the generated files, located in them; none means the output compiles.
 */
export function typecheckOutput(files: ReadonlyMap<string, string>, outDir: string, displayDir: string): SpecProblem[] {
    const ts = typescript();
    const COMPILER_OPTIONS = compilerOptions(ts);
    const virtual = new Map([...files].map(([name, text]) => [path.join(outDir, name), text]));
    const runtime = runtimeEntry(ts);
    const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
    host.directoryExists = (dir) => dir === outDir || ts.sys.directoryExists(dir);
    host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
    host.getSourceFile = (file, language, onError, create) => {
        const text = virtual.get(file);
        return text === undefined
            ? getSourceFile.call(host, file, language, onError, create)
            : ts.createSourceFile(file, text, language);
    };
    host.writeFile = () => {};
    const runtimeModule = {
        resolvedFileName: runtime,
        extension: runtime.endsWith(".d.ts") ? ts.Extension.Dts : ts.Extension.Ts,
    };
    host.resolveModuleNames = (names, containingFile) =>
        names.map((name) =>
            name === RUNTIME_MODULE
                ? runtimeModule
                : ts.resolveModuleName(name, containingFile, COMPILER_OPTIONS, host).resolvedModule
        );

    const program = ts.createProgram({ rootNames: [...virtual.keys()], options: COMPILER_OPTIONS, host });
    const diagnostics = [
        ...program.getSyntacticDiagnostics(),
        ...program.getSemanticDiagnostics(),
        ...program.getGlobalDiagnostics(),
    ];
    return diagnostics.map((diagnostic) => {
        const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
        const file = diagnostic.file;
        if (!file || diagnostic.start === undefined) {
            return { file: displayDir, rule: "typecheck", message, severity: "error" as const };
        }
        const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
        return {
            file: path.join(displayDir, path.relative(outDir, file.fileName)),
            line: line + 1,
            column: character + 1,
            rule: "typecheck",
            message,
            severity: "error" as const,
        };
    });
}
