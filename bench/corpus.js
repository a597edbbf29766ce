// `node bench/corpus.js [folder]`: how many documents of a corpus (default ../shared/corpus)
// give a client that compiles under `strict`, with joinkit, openapi-typescript and
// @hey-api/openapi-ts, in the same run. Each tool generates in a fresh process
// (bench/task.js); each output is type-checked on its own with the same tsc. Prints a
// Markdown table (and, for the default corpus, writes it to bench/CORPUS.md). Needs
// `npm run build` first.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nodeBinary, peerTools } from "./tools.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS = path.resolve(process.argv[2] ?? path.join(ROOT, "../shared/corpus"));
const scratch = mkdtempSync(path.join(os.tmpdir(), "joinkit-corpus-"));
const TOOLS = ["joinkit", "openapi-typescript", "hey-api"];
// Every tool generates on Node 24 (the latest hey-api needs Node >= 22.18); the peers come
// from the scratch install of bench/tools.js, never from the project's dependencies.
const node24 = nodeBinary(24);
const tools = peerTools(node24.version);

const compilerOptions = {
    strict: true,
    noEmit: true,
    target: "ES2022",
    // Bundler resolution takes every tool's import style (hey-api's have no extensions).
    module: "ESNext",
    moduleResolution: "Bundler",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    types: [],
    skipLibCheck: true,
    paths: { "joinkit/runtime": [path.join(ROOT, "dist/src/runtime/index.d.ts")] },
};

function versionOf(document) {
    const text = readFileSync(document, "utf8");
    return /^\s*["']?(?:openapi|swagger)["']?\s*:\s*["']?([\d.]+)/m.exec(text)?.[1] ?? "?";
}

function run(tool, document, out) {
    const generated = spawnSync(node24.bin, [path.join(ROOT, "bench/task.js"), tool, document, out], {
        cwd: scratch,
        encoding: "utf8",
        env: { ...process.env, BENCH_TOOLS: tools.dir },
    });
    if (generated.status !== 0) {
        const output = (generated.stderr || generated.stdout).trim().split("\n");
        const reason = output.find((line) => /error/i.test(line)) ?? output[0];
        return { ok: false, why: `generation failed: ${reason?.trim().slice(0, 160)}` };
    }
    if (!existsSync(out)) return { ok: false, why: "no output" };
    writeFileSync(path.join(out, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["**/*.ts"] }));
    const checked = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", out], {
        encoding: "utf8",
    });
    if (checked.status === 0) return { ok: true };
    const errors = checked.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    return { ok: false, why: `${errors.length} tsc error(s), first: ${errors[0]?.replace(out, "").slice(0, 160)}` };
}

const documents = readdirSync(CORPUS)
    .filter((name) => /\.(ya?ml|json)$/i.test(name) && versionOf(path.join(CORPUS, name)) !== "?")
    .sort();
const results = [];
for (const name of documents) {
    const document = path.join(CORPUS, name);
    const row = { name, version: versionOf(document) };
    for (const tool of TOOLS) {
        row[tool] = run(tool, document, path.join(scratch, tool, name.replace(/\.\w+$/, "")));
        process.stderr.write(`${name} ${tool}: ${row[tool].ok ? "compiles" : row[tool].why}\n`);
    }
    results.push(row);
}

const count = (tool, rows = results) => rows.filter((row) => row[tool].ok).length;
const openapi3 = results.filter((row) => !row.version.startsWith("2"));
const versions = (name) =>
    JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const lines = [
    "# Corpus: documents that give a client compiling under `strict`",
    "",
    `Written by \`node bench/corpus.js\` on ${
        path.relative(ROOT, CORPUS) || CORPUS
    }. generated on Node ${node24.version}; joinkit ${
        JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version
    }, openapi-typescript ${tools.ots}, @hey-api/openapi-ts ${tools.hey} (client-fetch, typescript, sdk plugins), typescript ${
        versions("typescript")
    }.`,
    "",
    "| document | version | joinkit | openapi-typescript | hey-api |",
    "|---|---|:-:|:-:|:-:|",
    ...results.map((row) =>
        `| ${row.name} | ${row.version} | ${
            TOOLS.map((tool) => (row[tool].ok ? "✓" : `✗ ${row[tool].why.replace(/\|/g, "\\|")}`)).join(" | ")
        } |`
    ),
    `| **all ${results.length}** | | **${count("joinkit")}** | **${count("openapi-typescript")}** | **${
        count("hey-api")
    }** |`,
    `| **OpenAPI 3.x (${openapi3.length})** | | **${count("joinkit", openapi3)}** | **${
        count("openapi-typescript", openapi3)
    }** | **${count("hey-api", openapi3)}** |`,
    "",
];
console.log(lines.join("\n"));
// The shared corpus's table is kept; a run on another folder only prints.
if (process.argv[2] === undefined) writeFileSync(path.join(ROOT, "bench/CORPUS.md"), lines.join("\n"));
