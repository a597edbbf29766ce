// The writing half of `joinkit generate`, run as its own Node process by the crash test
// (test/e2e/crash.test.ts), which SIGKILLs it at each step of replacing an output folder.
// Those steps all happen here; generating the files first (lint, types, wrappers) would make
// every killed process load TypeScript and Redocly to reach them, for the same bytes the test
// already has. So this calls, in the order commands/generate.ts calls them, the same functions
// of the built generator (codegen/dist, built by the tests' global setup) with the files that
// `joinkit generate` produced for the same spec.
//
//   node write-generated.mjs out <cwd> <spec> <out> <files.json>   as `generate --spec --out`
//   node write-generated.mjs workspace <cwd> <apis.json>            as `generate` in a workspace
//
// files.json: { "<file name>": "<text>" }; apis.json: { "<api name>": { "<file name>": "<text>" } }.
import { readFileSync } from "node:fs";
import path from "node:path";

const dist = new URL("../../codegen/dist/", import.meta.url);
const { recoverFolder, refuseUnsafeLocation } = await import(new URL("output/folder.js", dist).href);
const { recoverWorkspace, singleSpec, workspaceAt, writeOutput, writeWorkspace } = await import(
    new URL("output/workspace.js", dist).href
);

const [mode, cwd, ...rest] = process.argv.slice(2);
const readFiles = (file) => new Map(Object.entries(JSON.parse(readFileSync(file, "utf8"))));
process.chdir(cwd);

if (mode === "out") {
    const [specArg, outArg, filesJson] = rest;
    const spec = path.resolve(cwd, specArg);
    const out = path.resolve(cwd, outArg);
    const outputOptions = {
        project: singleSpec(cwd, spec, out).project,
        specs: [spec],
        allowForeign: false,
        displayName: outArg,
    };
    refuseUnsafeLocation(out, outputOptions);
    await recoverFolder(out);
    await writeOutput(out, readFiles(filesJson), outputOptions);
} else if (mode === "workspace") {
    const [apisJson] = rest;
    const workspace = workspaceAt(cwd);
    await recoverWorkspace(workspace);
    const apis = new Map(
        Object.entries(JSON.parse(readFileSync(apisJson, "utf8"))).map((
            [name, files],
        ) => [name, { files: new Map(Object.entries(files)) }]),
    );
    await writeWorkspace(workspace, apis);
} else {
    throw new Error(`usage: write-generated.mjs out|workspace …, not ${mode}`);
}
