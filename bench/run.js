// `npm run bench`: joinkit against the tools people would use instead, in one run, on this
// machine. Prints Markdown tables and writes them to bench/RESULTS.md. No assertions: the
// numbers are reported, and the targets beside them.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS = path.resolve(ROOT, "../shared/corpus/digitalocean-3.0.yaml");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const scratch = mkdtempSync(path.join(os.tmpdir(), "joinkit-bench-"));
const sections = [];
// BENCH_ONLY=generation,scale,check,runtime,typecheck runs a subset (RESULTS.md is then partial).
const only = process.env.BENCH_ONLY?.split(",");
const enabled = (name) => !only || only.includes(name);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const stats = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
const cell = (s) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;

/** Runs bench/task.js in a fresh process `runs` times; wall time includes Node's start-up. */
function timeTask(task, input, runs = RUNS) {
    const walls = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
        const out = path.join(scratch, `${task}-${i}`);
        const started = performance.now();
        const result = spawnSync(process.execPath, [path.join(ROOT, "bench/task.js"), task, input, out], { cwd: scratch, encoding: "utf8" });
        walls.push(performance.now() - started);
        if (result.status !== 0) throw new Error(`${task} failed:\n${result.stderr}`);
        rss.push(JSON.parse(result.stdout.trim().split("\n").pop()).peakRssMB);
    }
    return { ...stats(walls), peakRssMB: Math.max(...rss) };
}

function section(title, lines) {
    const text = `### ${title}\n\n${lines.join("\n")}\n`;
    console.log(`\n${text}`);
    sections.push(text);
}

// 1. Generation on the DigitalOcean document.
if (enabled("generation")) {
    const results = {
        parse: timeTask("parse", CORPUS),
        "openapi-typescript": timeTask("openapi-typescript", CORPUS),
        "hey-api": timeTask("hey-api", CORPUS),
        joinkit: timeTask("joinkit", CORPUS),
    };
    const j = results.joinkit.median;
    const rows = [
        ["YAML parse only (`yaml`) — the floor", results.parse],
        ["openapi-typescript 7 (types only)", results["openapi-typescript"]],
        ["@hey-api/openapi-ts 0.94 (types + fetch SDK)", results["hey-api"]],
        ["**joinkit generate** (lint + types + wrappers + enums, formatted)", results.joinkit],
    ].map(([name, r]) => `| ${name} | ${cell(r)} | ${r.peakRssMB.toFixed(0)} MB | ${(j / r.median).toFixed(2)}× |`);
    section(`Generation: DigitalOcean (408 operations, 1.9 MB), median of ${RUNS} fresh processes (min–max)`, [
        "| tool | wall time | peak RSS | joinkit ÷ this |",
        "|---|---:|---:|---:|",
        ...rows,
        "",
        `Targets: joinkit ≤ 0.5× hey-api (now ${(j / results["hey-api"].median).toFixed(2)}×) and ≤ 2.5× the parse floor (now ${(j / results.parse.median).toFixed(2)}×).`,
    ]);
}

// 2. Scale: the same document with its operations duplicated under new paths and ids.
if (enabled("scale")) {
    const doc = parse(readFileSync(CORPUS, "utf8"));
    const rows = [];
    for (const factor of [1, 2, 4]) {
        const scaled = structuredClone(doc);
        for (let copy = 2; copy <= factor; copy++) {
            for (const [route, item] of Object.entries(doc.paths)) {
                const clone = structuredClone(item);
                for (const op of Object.values(clone)) if (op && typeof op === "object" && op.operationId) op.operationId = `${op.operationId}_copy${copy}`;
                scaled.paths[`/copy${copy}${route}`] = clone;
            }
        }
        const file = path.join(scratch, `do-x${factor}.yaml`);
        writeFileSync(file, stringify(scaled));
        const r = timeTask("joinkit", file, 3);
        const floor = timeTask("parse", file, 3);
        rows.push(`| ${factor}× | ${408 * factor} | ${(readFileSync(file).length / 1e6).toFixed(1)} MB | ${cell(r)} | ${r.peakRssMB.toFixed(0)} MB | ${fmt(floor.median)} | ${(r.median / floor.median).toFixed(2)}× |`);
    }
    section("Scale: joinkit generate on 1×, 2× and 4× DigitalOcean, median of 3", [
        "| size | operations | document | joinkit | peak RSS | parse floor | ÷ floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
        ...rows,
    ]);
}

// 3. `joinkit check` on the repo, and save → regenerated in watch mode.
if (enabled("check")) {
    const walls = [];
    for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        execFileSync(process.execPath, [path.join(ROOT, "bin/joinkit.js"), "check"], { cwd: ROOT, stdio: "ignore" });
        walls.push(performance.now() - started);
    }
    const latencies = await watchLatencies(RUNS);
    section("Check and watch (the repo's two join specs)", [
        "| measurement | median (min–max) | target |",
        "|---|---:|---:|",
        `| \`joinkit check\`, wall, Node start-up included | ${cell(stats(walls))} | < 1.5 s |`,
        `| watch: spec saved → output regenerated | ${cell(stats(latencies))} | < 300 ms |`,
    ]);
}

async function watchLatencies(runs) {
    const ws = mkdtempSync(path.join(scratch, "ws-"));
    for (const entry of ["specs", "generated", "redocly.yaml"]) cpSync(path.join(ROOT, entry), path.join(ws, entry), { recursive: true });
    const child = spawn(process.execPath, [path.join(ROOT, "bin/joinkit.js"), "generate", "--watch"], { cwd: ws });
    let buffer = "";
    const nextLine = (pattern) =>
        new Promise((resolve) => {
            const onData = (chunk) => {
                buffer += chunk;
                const line = buffer.split("\n").find((l) => pattern.test(l));
                if (line) {
                    buffer = "";
                    child.stdout.off("data", onData);
                    resolve(line);
                }
            };
            child.stdout.on("data", onData);
        });
    await nextLine(/watching/);
    const spec = path.join(ws, "specs/sonoran-cad.yaml");
    const original = readFileSync(spec, "utf8");
    const latencies = [];
    for (let i = 0; i <= runs; i++) {
        const regenerated = nextLine(/^sonoran-cad: regenerated/);
        const started = performance.now();
        writeFileSync(spec, original.replace("summary: Join or leave a community", `summary: Join or leave a community (${i})`));
        await regenerated;
        if (i > 0) latencies.push(performance.now() - started); // the first save warms the process
    }
    child.kill("SIGINT");
    return latencies;
}

// 4. Runtime: per-call cost against a keep-alive server in another process.
if (enabled("runtime")) {
    const server = spawn(process.execPath, [path.join(ROOT, "bench/runtime-server.js")], { stdio: ["pipe", "pipe", "inherit"] });
    const url = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(d.toString().trim())));
    const { default: createClient } = await import("openapi-fetch");
    const { createAmityClient } = await import("../dist/src/amity.js");
    const amity = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: url });
    const raw = createClient({ baseUrl: url });
    const target = `${url}/api/v4/communities/c1/join`;
    const variants = {
        "raw `fetch`": () => fetch(target, { method: "POST", headers: { Authorization: "Bearer bench-token" } }).then((r) => r.json()),
        "raw openapi-fetch": () =>
            raw.POST("/api/v4/communities/{communityId}/join", { params: { path: { communityId: "c1" } }, headers: { Authorization: "Bearer bench-token" } }),
        "joinkit `amity.joinCommunity`": () => amity.joinCommunity({ communityId: "c1" }),
        "joinkit, `timeoutMs: Infinity`": () => amity.joinCommunity({ communityId: "c1" }, { timeoutMs: Infinity }),
    };
    const calls = Number(process.env.BENCH_CALLS ?? 4000);
    const perCall = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (const fn of Object.values(variants)) for (let i = 0; i < 300; i++) await fn(); // warm up
    // Interleaved rounds, so drift in the machine's load hits every variant alike.
    for (let round = 0; round < 8; round++) {
        for (const [name, fn] of Object.entries(variants)) {
            const started = performance.now();
            for (let i = 0; i < calls / 8; i++) await fn();
            perCall[name].push(((performance.now() - started) * 1000) / (calls / 8));
        }
    }
    server.stdin.end();

    // The same calls with a fetch that answers in-process: what each layer costs in CPU alone.
    const cannedBody = '{"joinRequests":[{"status":"approved"}],"users":[],"files":[]}';
    const canned = () => new Response(cannedBody, { status: 200, headers: { "Content-Type": "application/json", "Content-Length": String(cannedBody.length) } });
    const offline = {
        "raw openapi-fetch": (() => {
            const c = createClient({ baseUrl: "http://bench.invalid", fetch: async () => canned() });
            c.use({ onRequest: ({ request }) => (request.headers.set("Authorization", "Bearer bench-token"), request) });
            return () => c.POST("/api/v4/communities/{communityId}/join", { params: { path: { communityId: "c1" } } });
        })(),
        "joinkit `amity.joinCommunity`": (() => {
            const a = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: "http://bench.invalid", fetch: async () => canned() });
            return () => a.joinCommunity({ communityId: "c1" });
        })(),
        "joinkit, `timeoutMs: Infinity`": (() => {
            const a = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: "http://bench.invalid", fetch: async () => canned(), timeoutMs: Infinity });
            return () => a.joinCommunity({ communityId: "c1" });
        })(),
    };
    const cpu = Object.fromEntries(Object.keys(offline).map((k) => [k, []]));
    for (const fn of Object.values(offline)) for (let i = 0; i < 2000; i++) await fn();
    for (let round = 0; round < 8; round++) {
        for (const [name, fn] of Object.entries(offline)) {
            const started = performance.now();
            for (let i = 0; i < 2500; i++) await fn();
            cpu[name].push(((performance.now() - started) * 1000) / 2500);
        }
    }
    const us = (v) => `${v.toFixed(1)} µs`;
    const base = median(perCall["raw openapi-fetch"]);
    const cpuBase = median(cpu["raw openapi-fetch"]);
    section(`Runtime: sequential calls to a keep-alive server in another process (${calls} calls each, median of 8 interleaved rounds)`, [
        "| client | per call | calls/s | over raw openapi-fetch | CPU per call, no network | over raw openapi-fetch |",
        "|---|---:|---:|---:|---:|---:|",
        ...Object.keys(variants).map((name) => {
            const m = median(perCall[name]);
            const c = cpu[name] ? median(cpu[name]) : undefined;
            return `| ${name} | ${us(m)} | ${Math.round(1e6 / m)} | ${name === "raw openapi-fetch" ? "—" : `${m - base >= 0 ? "+" : ""}${us(m - base)}`} | ${c === undefined ? "—" : us(c)} | ${c === undefined || name === "raw openapi-fetch" ? "—" : `+${us(c - cpuBase)}`} |`;
        }),
        "",
        "Target: wrapper overhead ≤ 5 µs per call over raw openapi-fetch.",
    ]);
}

// 5. Type-check cost of a consumer of the generated DigitalOcean client.
if (enabled("typecheck")) {
    const joinkitOut = path.join(scratch, "tc-joinkit");
    const heyOut = path.join(scratch, "tc-hey");
    spawnSync(process.execPath, [path.join(ROOT, "bench/task.js"), "joinkit", CORPUS, path.join(joinkitOut, "client")], { cwd: scratch });
    spawnSync(process.execPath, [path.join(ROOT, "bench/task.js"), "hey-api", CORPUS, path.join(heyOut, "client")], { cwd: scratch });
    const compilerOptions = { strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2023", "DOM", "DOM.Iterable"], types: [], skipLibCheck: true };
    writeFileSync(path.join(joinkitOut, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, paths: { "joinkit/runtime": [path.join(ROOT, "dist/src/runtime/index.d.ts")] } }, files: ["consumer.ts"] }));
    writeFileSync(
        path.join(joinkitOut, "consumer.ts"),
        `import { createClient, droplets_list, droplets_get, sshKeys_list } from "./client/index.js";
const client = createClient({ baseUrl: "http://127.0.0.1:1" });
export async function use(): Promise<number> {
    const a = await droplets_list(client, { params: { query: { per_page: 5 } } });
    const b = await droplets_get(client, { params: { path: { droplet_id: 1 } } });
    const c = await sshKeys_list(client);
    return (a.data?.droplets?.length ?? 0) + (b.data?.droplet?.id ?? 0) + (c.data?.ssh_keys?.length ?? 0);
}
`,
    );
    writeFileSync(path.join(heyOut, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, module: "ESNext", moduleResolution: "Bundler" }, files: ["consumer.ts"] }));
    writeFileSync(
        path.join(heyOut, "consumer.ts"),
        `import { dropletsList, dropletsGet, sshKeysList } from "./client/index";
export async function use(): Promise<number> {
    const a = await dropletsList({ query: { per_page: 5 } });
    const b = await dropletsGet({ path: { droplet_id: 1 } });
    const c = await sshKeysList();
    return (a.data?.droplets?.length ?? 0) + (b.data?.droplet?.id ?? 0) + (c.data?.ssh_keys?.length ?? 0);
}
`,
    );
    const tscTimes = (dir) => {
        const walls = [];
        for (let i = 0; i < 3; i++) {
            const started = performance.now();
            const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
            walls.push(performance.now() - started);
            if (r.status !== 0) throw new Error(`tsc failed in ${dir}:\n${r.stdout}${r.stderr}`);
        }
        return stats(walls);
    };
    const j = tscTimes(joinkitOut);
    const h = tscTimes(heyOut);
    section("Type-check cost: `tsc --noEmit` of a file calling three DigitalOcean operations, median of 3", [
        "| generated client | tsc wall time |",
        "|---|---:|",
        `| joinkit | ${cell(j)} |`,
        `| @hey-api/openapi-ts | ${cell(h)} |`,
    ]);
}

const versions = (name) => JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const header = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Node ${process.version}.`,
    `Tools: joinkit ${JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version}, openapi-typescript ${versions("openapi-typescript")}, @hey-api/openapi-ts ${versions("@hey-api/openapi-ts")}, openapi-fetch ${versions("openapi-fetch")}, typescript ${versions("typescript")}, yaml ${versions("yaml")}.`,
    "",
].join("\n");
writeFileSync(path.join(ROOT, "bench/RESULTS.md"), `${header}\n${sections.join("\n")}`);
console.log("\nwritten to bench/RESULTS.md");
