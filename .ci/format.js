#!/usr/bin/env node
// The project's own code formatted by dprint's TypeScript plugin (@dprint/formatter +
// @dprint/typescript, a wasm build that ships in the npm package; generated/ is printed
// already in its style, see codegen/emit/layout.ts) with the options in dprint.json, so editors with a dprint extension
// agree. Not the dprint CLI: its per-platform binaries are not on every registry mirror,
// which leaves the lockfile unusable for `npm ci` there.
//
//   node .ci/format.js           lists the files that are not formatted; exit 1 if any
//   node .ci/format.js --write   formats them in place
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createContext } from "@dprint/formatter";
import { getPath as typescriptPlugin } from "@dprint/typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const config = JSON.parse(readFileSync(path.join(root, "dprint.json"), "utf8"));
const write = process.argv.includes("--write");

const formatter = createContext({ indentWidth: config.indentWidth, lineWidth: config.lineWidth });
formatter.addPlugin(readFileSync(typescriptPlugin()), config.typescript);

// The files git tracks or would track (ignored ones left out), narrowed by dprint.json's
// excludes, which are folder prefixes.
const files = execFileSync("git", [
    "ls-files",
    "--cached",
    "--others",
    "--exclude-standard",
    "--",
    "*.ts",
    "*.js",
    "*.mjs",
    "*.cjs",
], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((file) => file !== "" && !config.excludes.some((prefix) => file.startsWith(prefix)));

const unformatted = [];
for (const file of [...new Set(files)]) {
    const absolute = path.join(root, file);
    let text;
    try {
        text = readFileSync(absolute, "utf8");
    } catch {
        continue; // listed by git but deleted in the working tree
    }
    const formatted = formatter.formatText({ filePath: absolute, fileText: text });
    if (formatted === text) continue;
    unformatted.push(file);
    if (write) writeFileSync(absolute, formatted);
}

if (write) console.log(`formatted ${unformatted.length} of ${files.length} files`);
else if (unformatted.length > 0) {
    console.error(`not formatted (run npm run format):\n${unformatted.map((file) => `  ${file}`).join("\n")}`);
    process.exitCode = 1;
}
