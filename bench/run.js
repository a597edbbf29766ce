// `npm run bench`: joinkit against the tools people would use instead, in one run, on this
// machine, on Node 24 (the active LTS), 22 and the machine's Node 20. The Node binaries and
// the latest peer tools are installed into a scratch folder outside the project
// (bench/tools.js). Writes bench/RESULTS.md and the README's benchmark table. No
// assertions: the numbers are reported, with the targets beside them.
//
// Subsets (results are printed and written to <cache>/joinkit/bench/last-subset.md; RESULTS.md
// and the README are only rewritten by a full run):
//   BENCH_ONLY=generation,scale,check,runtime,typecheck   sections to run
//   BENCH_NODES=24,20                                      runtimes for generation/check/runtime
//   BENCH_RUNS=5                                           fresh processes per measurement
//   BENCH_SCALE=1,4,16,50k                                 scale steps
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { syntheticDocument } from "./synthetic.js";
import { median } from "./stats.js";
import { CACHE, enginesAdmit, nodeBinary, peerTools } from "./tools.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIGITALOCEAN = path.resolve(ROOT, "../shared/corpus/digitalocean-3.0.yaml");
const AMITY = path.join(ROOT, "specs/amity-social-cloud.yaml");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const only = process.env.BENCH_ONLY?.split(",");
const enabled = (name) => !only || only.includes(name);
const NODES = (process.env.BENCH_NODES ?? "24,22,20").split(",").map(Number);
const SCALE = (process.env.BENCH_SCALE ?? "1,4,16,50k").split(",");

mkdirSync(CACHE, { recursive: true });
const scratch = mkdtempSync(path.join(os.tmpdir(), "joinkit-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

const node = Object.fromEntries(NODES.map((major) => [major, nodeBinary(major)]));
const node24 = node[24] ?? nodeBinary(24);
const tools = peerTools(node24.version);
const heyRunsOn = (n) => enginesAdmit(tools.heyEngines, n.version);

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const stats = (values) => ({
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
});
const range = (s) => (s.runs > 1 ? ` (${fmt(s.min)}–${fmt(s.max)})` : "");
const cell = (s) => `${fmt(s.median)}${range(s)}`;
const sections = [];
const headline = {};

function section(title, lines) {
    const text = `### ${title}\n\n${lines.join("\n")}\n`;
    console.log(`\n${text}`);
    sections.push(text);
}

// The Node flags the joinkit bin's shebang gives (`#!/usr/bin/env -S node <flags>`): task.js
// imports the bin, so it is started with them, as the installed command is.
const JOINKIT_NODE_FLAGS =
    /^#!.*?\bnode((?:\s+--\S+)*)/.exec(readFileSync(path.join(ROOT, "codegen/bin/joinkit.js"), "utf8"))?.[1].trim()
        .split(/\s+/).filter(Boolean) ?? [];

/** One fresh process of bench/task.js: whole-process wall time and the process's peak RSS. */
function runTask(runtime, task, input, { cwd = scratch, out } = {}) {
    const output = out ?? mkdtempSync(path.join(scratch, `${task}-`));
    const started = performance.now();
    const result = spawnSync(runtime.bin, [
        ...(task.startsWith("joinkit") ? JOINKIT_NODE_FLAGS : []),
        path.join(ROOT, "bench/task.js"),
        task,
        input,
        output,
    ], {
        cwd,
        encoding: "utf8",
        env: {
            ...process.env,
            BENCH_TOOLS: tools.dir,
            REDOCLY_TELEMETRY: "off",
            REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
        },
        maxBuffer: 64 * 2 ** 20,
    });
    const wall = performance.now() - started;
    if (result.status !== 0) {
        throw new Error(`${task} on Node ${runtime.version} failed:\n${result.stderr}${result.stdout}`);
    }
    if (!out) rmSync(output, { recursive: true, force: true });
    return { wall, rss: JSON.parse(result.stdout.trim().split("\n").pop()).peakRssMB };
}

/** Runs each job `runs` times, interleaved round by round so load drift hits every job alike. */
function measure(jobs, runs = RUNS) {
    const samples = jobs.map(() => ({ walls: [], rss: [] }));
    for (let round = 0; round < runs; round++) {
        jobs.forEach((job, i) => {
            const r = runTask(job.node, job.task, job.input, job);
            samples[i].walls.push(r.wall);
            samples[i].rss.push(r.rss);
        });
    }
    return samples.map((s) => ({ ...stats(s.walls), rssMB: median(s.rss), rssMaxMB: Math.max(...s.rss) }));
}

const operationsIn = (doc) =>
    Object.values(doc.paths ?? {}).reduce(
        (n, item) =>
            n + ["get", "put", "post", "delete", "options", "head", "patch", "trace"].filter((m) => item?.[m]).length,
        0,
    );
const mb = (r) => `${r.rssMB.toFixed(0)} MB`;
const ratio = (a, b) => (b ? `${(a.median / b.median).toFixed(2)}×` : "—");

// 1. Generation: DigitalOcean and the Amity spec, three tools, each Node.
if (enabled("generation")) {
    const doOps = operationsIn(parse(readFileSync(DIGITALOCEAN, "utf8")));
    const amityOps = operationsIn(parse(readFileSync(AMITY, "utf8")));
    const docs = [
        [`DigitalOcean (${doOps} ops, ${(readFileSync(DIGITALOCEAN).length / 1e6).toFixed(1)} MB)`, DIGITALOCEAN, "do"],
        [`Amity (${amityOps} ops, ${(readFileSync(AMITY).length / 1e3).toFixed(0)} kB)`, AMITY, "amity"],
    ];
    for (const major of NODES) {
        const runtime = node[major];
        const withHey = heyRunsOn(runtime);
        const rows = [];
        for (const [label, input, key] of docs) {
            const tasks = ["joinkit", ...(withHey ? ["hey-api"] : []), "openapi-typescript"];
            const [j, ...rest] = measure(tasks.map((task) => ({ node: runtime, task, input })));
            const h = withHey ? rest[0] : undefined;
            const o = rest[rest.length - 1];
            rows.push(
                `| ${label} | ${cell(j)} · ${mb(j)} | ${
                    h ? `${cell(h)} · ${mb(h)}` : `— (needs Node ${tools.heyEngines})`
                } | ${cell(o)} · ${mb(o)} | ${ratio(j, h)} | ${ratio(j, o)} | ${
                    h ? `${(j.rssMB / h.rssMB).toFixed(2)}×` : "—"
                } |`,
            );
            headline[`${key}@${major}`] = { j, h, o, label };
        }
        section(
            `Generation on Node ${runtime.version}: whole process, median of ${RUNS} fresh processes (min–max) · peak RSS`,
            [
                `| document | joinkit generate | @hey-api/openapi-ts ${tools.hey} | openapi-typescript ${tools.ots} (types only) | joinkit ÷ hey-api | joinkit ÷ openapi-typescript | memory ÷ hey-api |`,
                "|---|---:|---:|---:|---:|---:|---:|",
                ...rows,
                ...(major === 24
                    ? [
                        "",
                        "Targets (Node 24): DigitalOcean ≤ 0.6× hey-api and ≤ 1.2× openapi-typescript; Amity ≤ 1.0× openapi-typescript; peak memory ≤ hey-api's.",
                    ]
                    : []),
            ],
        );
    }
}

// 2. Scale on Node 24: DigitalOcean with its operations copied under new paths and ids, and
// a synthetic 50,000-operation document. Written as compact JSON (the 16× copy would pass
// the 32 MiB input limit as YAML).
if (enabled("scale")) {
    const doc = parse(readFileSync(DIGITALOCEAN, "utf8"));
    const rows = [];
    let base;
    for (const step of SCALE) {
        let scaled;
        let label;
        if (step === "50k") {
            scaled = syntheticDocument(50_000);
            label = "synthetic";
        } else {
            const factor = Number(step);
            scaled = structuredClone(doc);
            for (let copy = 2; copy <= factor; copy++) {
                for (const [route, item] of Object.entries(doc.paths)) {
                    const clone = structuredClone(item);
                    for (const op of Object.values(clone)) {
                        if (op && typeof op === "object" && op.operationId) {
                            op.operationId = `${op.operationId}_copy${copy}`;
                        }
                    }
                    scaled.paths[`/copy${copy}${route}`] = clone;
                }
            }
            label = `${factor}× DigitalOcean`;
        }
        const file = path.join(scratch, `scale-${step}.json`);
        writeFileSync(file, JSON.stringify(scaled));
        const ops = operationsIn(scaled);
        const runs = ops > 5000 ? 1 : Math.min(RUNS, 3);
        const [r] = measure([{ node: node24, task: "joinkit", input: file }], runs);
        base ??= r.median / ops;
        rows.push(
            `| ${label} | ${ops.toLocaleString("en")} | ${(readFileSync(file).length / 1e6).toFixed(1)} MB | ${
                cell(r)
            } | ${((r.median / ops) * 1000).toFixed(0)} ms | ${((r.median / ops) / base).toFixed(2)}× | ${
                r.rssMaxMB.toFixed(0)
            } MB |`,
        );
        headline[`scale-${step}`] = { ...r, ops };
        rmSync(file);
    }
    section(
        `Scale on Node ${node24.version}: joinkit generate, whole process (median of 3 up to 5,000 operations, else 1 run)`,
        [
            "| document | operations | size (JSON) | wall | per 1,000 ops | per op ÷ first row | peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|",
            ...rows,
            "",
            "Linear means a flat “per op” column (start-up is amortised, so it falls at first). Target: 50,000 operations in < 60 s and < 3 GB.",
        ],
    );
}

// 3. `joinkit check` on the repo with nothing changed, and save → regenerated in watch mode.
if (enabled("check")) {
    const rows = [];
    for (const major of NODES) {
        // One check first, so the measured ones find the cache that any check leaves (node_modules/.cache/joinkit).
        runTask(node[major], "joinkit-check", "-", { cwd: ROOT, out: scratch });
        const [r, full] = measure(
            ["joinkit-check", "joinkit-check-full"].map((task) => ({
                node: node[major],
                task,
                input: "-",
                cwd: ROOT,
                out: scratch,
            })),
        );
        rows.push(
            `| \`joinkit check\`, Node ${node[major].version}, whole process (cache hit) | ${cell(r)} · ${mb(r)} | ${
                major === 24 ? "< 0.5 s" : ""
            } |`,
        );
        rows.push(
            `| \`joinkit check --no-cache\`, Node ${
                node[major].version
            }, whole process (every spec generated and compared) | ${cell(full)} · ${mb(full)} | |`,
        );
        headline[`check@${major}`] = r;
        headline[`check-full@${major}`] = full;
    }
    const latencies = await watchLatencies(node24, RUNS);
    section("Check and watch (the repo's specs, nothing changed)", [
        "| measurement | median (min–max) · peak RSS | target |",
        "|---|---:|---:|",
        ...rows,
        `| watch (Node ${node24.version}): spec saved → output regenerated | ${cell(stats(latencies))} | < 300 ms |`,
    ]);
}

async function watchLatencies(runtime, runs) {
    const ws = mkdtempSync(path.join(scratch, "ws-"));
    for (const entry of ["specs", "generated", "redocly.yaml"]) {
        cpSync(path.join(ROOT, entry), path.join(ws, entry), { recursive: true });
    }
    const child = spawn(runtime.bin, [path.join(ROOT, "codegen/bin/joinkit.js"), "generate", "--watch"], {
        cwd: ws,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
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
        writeFileSync(
            spec,
            original.replace("summary: Join or leave a community", `summary: Join or leave a community (${i})`),
        );
        await regenerated;
        if (i > 0) latencies.push(performance.now() - started); // the first save warms the process
    }
    child.kill("SIGINT");
    return latencies;
}

// 4. Runtime: per-call cost over raw openapi-fetch (bench/runtime.js in each Node).
if (enabled("runtime")) {
    const us = (v) => `${v.toFixed(1)} µs`;
    const rows = [];
    for (const major of NODES.filter((m) => m !== 22)) {
        const r = spawnSync(node[major].bin, [path.join(ROOT, "bench/runtime.js")], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, BENCH_CALLS: process.env.BENCH_CALLS ?? "8000" },
        });
        if (r.status !== 0) throw new Error(`runtime bench failed:\n${r.stderr}`);
        const { network, cpu } = JSON.parse(r.stdout.trim().split("\n").pop());
        const base = network["raw openapi-fetch"];
        const cpuBase = cpu["raw openapi-fetch"];
        for (const name of Object.keys(network)) {
            const over = name.startsWith("joinkit")
                ? `${network[name] - base >= 0 ? "+" : ""}${us(network[name] - base)}`
                : "—";
            const cpuOver = cpu[name] !== undefined && name.startsWith("joinkit")
                ? `${cpu[name] - cpuBase >= 0 ? "+" : ""}${us(cpu[name] - cpuBase)}`
                : "—";
            rows.push(
                `| ${node[major].version} | ${name} | ${us(network[name])} | ${over} | ${
                    cpu[name] === undefined ? "—" : us(cpu[name])
                } | ${cpuOver} |`,
            );
        }
        headline[`runtime@${major}`] = { network, cpu };
    }
    section("Runtime: sequential calls, blocks of 1,000 per client in rotated order, median of 8 rounds", [
        "| Node | client | wall per call, keep-alive server in another process | over raw openapi-fetch | process CPU per call, same calls | over raw openapi-fetch |",
        "|---|---|---:|---:|---:|---:|",
        ...rows,
        "",
        "Target: ≤ 5 µs per call over raw openapi-fetch with the default timeout (the `amity.joinCommunity` row). The CPU column is this process's CPU time (all threads, GC included) during the same calls: less blurred by other work than the wall column, which also holds the server and the network.",
    ]);
}

// 5. Type-check cost of a consumer of the generated DigitalOcean client (tsc on Node 24).
if (enabled("typecheck")) {
    const joinkitOut = path.join(scratch, "tc-joinkit");
    const heyOut = path.join(scratch, "tc-hey");
    runTask(node24, "joinkit", DIGITALOCEAN, { out: path.join(joinkitOut, "client") });
    runTask(node24, "hey-api", DIGITALOCEAN, { out: path.join(heyOut, "client") });
    const compilerOptions = {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2023", "DOM", "DOM.Iterable"],
        types: [],
        skipLibCheck: true,
    };
    writeFileSync(
        path.join(joinkitOut, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: {
                ...compilerOptions,
                paths: { "joinkit/runtime": [path.join(ROOT, "dist/src/runtime/index.d.ts")] },
            },
            files: ["consumer.ts"],
        }),
    );
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
    writeFileSync(
        path.join(heyOut, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: { ...compilerOptions, module: "ESNext", moduleResolution: "Bundler" },
            files: ["consumer.ts"],
        }),
    );
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
            const r = spawnSync(node24.bin, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], {
                encoding: "utf8",
            });
            walls.push(performance.now() - started);
            if (r.status !== 0) throw new Error(`tsc failed in ${dir}:\n${r.stdout}${r.stderr}`);
        }
        return stats(walls);
    };
    const j = tscTimes(joinkitOut);
    const h = tscTimes(heyOut);
    section(
        `Type-check cost: \`tsc --noEmit\` (Node ${node24.version}) of a file calling three DigitalOcean operations, median of 3`,
        [
            "| generated client | tsc wall time |",
            "|---|---:|",
            `| joinkit | ${cell(j)} |`,
            `| @hey-api/openapi-ts ${tools.hey} | ${cell(h)} |`,
        ],
    );
}

const version = (name) =>
    JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${
    (os.totalmem() / 2 ** 30).toFixed(0)
} GiB, ${os.type()} ${os.release()}, load average ${os.loadavg()[0].toFixed(1)} at the end`;
const header = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` on ${
        new Date().toISOString().slice(0, 16).replace("T", " ")
    } UTC. Machine: ${machine}.`,
    `Runtimes: Node ${Object.values(node).map((n) => n.version).join(", ")}. Tools: joinkit ${
        JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version
    } (its own openapi-typescript ${version("openapi-typescript")}, typescript ${
        version("typescript")
    }), @hey-api/openapi-ts ${tools.hey} and openapi-typescript ${tools.ots} (installed in ${
        tools.dir.replace(os.homedir(), "~")
    }), openapi-fetch ${version("openapi-fetch")}.`,
    "",
].join("\n");
const body = `${header}\n${sections.join("\n")}`;

if (only || process.env.BENCH_NODES || process.env.BENCH_SCALE) {
    writeFileSync(path.join(CACHE, "last-subset.md"), body);
    console.log(
        `\nsubset run: written to ${
            path.join(CACHE, "last-subset.md")
        } (bench/RESULTS.md and the README are left as they were)`,
    );
} else {
    const resultsFile = path.join(ROOT, "bench/RESULTS.md");
    const previous = readFileSync(resultsFile, "utf8");
    const HISTORY = "<!-- history: kept by npm run bench -->";
    const history = previous.includes(HISTORY) ? previous.slice(previous.indexOf(HISTORY)) : `${HISTORY}\n`;
    writeFileSync(resultsFile, `${body}\n${history}`);
    writeReadmeTable();
    console.log("\nwritten to bench/RESULTS.md and the README's benchmark table");
}

function signed(v) {
    return `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)}`;
}

function writeReadmeTable() {
    const readme = path.join(ROOT, "README.md");
    const text = readFileSync(readme, "utf8");
    const START = "<!-- bench:start (written by npm run bench) -->";
    const END = "<!-- bench:end -->";
    if (!text.includes(START) || !text.includes(END)) return;
    const d = headline["do@24"];
    const a = headline["amity@24"];
    const s50 = headline["scale-50k"];
    const s1 = headline["scale-1"];
    const rt = headline["runtime@24"];
    const lines = [
        `Same run, Node ${node24.version}, whole process, medians (${os.cpus().length} cores, load average ${
            os.loadavg()[0].toFixed(1)
        } at the end; full tables and Node 22/20 in [bench/RESULTS.md](bench/RESULTS.md)):`,
        "",
        `| what | joinkit | @hey-api/openapi-ts ${tools.hey} | openapi-typescript ${tools.ots} (types only) | ratio (target) |`,
        "|---|---:|---:|---:|---|",
        `| generate ${d.label}, wall | ${fmt(d.j.median)} | ${fmt(d.h.median)} | ${fmt(d.o.median)} | ${
            ratio(d.j, d.h)
        } hey-api (≤ 0.6×), ${ratio(d.j, d.o)} openapi-typescript (≤ 1.2×) |`,
        `| generate DigitalOcean, peak memory | ${mb(d.j)} | ${mb(d.h)} | ${mb(d.o)} | ${
            (d.j.rssMB / d.h.rssMB).toFixed(2)
        }× hey-api (≤ 1.0×) |`,
        `| generate ${a.label}, wall | ${fmt(a.j.median)} | ${fmt(a.h.median)} | ${fmt(a.o.median)} | ${
            ratio(a.j, a.o)
        } openapi-typescript (≤ 1.0×) |`,
        `| generate 50,000 operations (synthetic) | ${fmt(s50.median)}, ${s50.rssMaxMB.toFixed(0)} MB | | | per op ${
            ((s50.median / s50.ops) / (s1.median / s1.ops)).toFixed(2)
        }× DigitalOcean's (< 60 s, < 3 GB) |`,
        `| \`joinkit check\`, repo specs unchanged (cache hit; \`--no-cache\`: ${
            fmt(headline["check-full@24"].median)
        }) | ${fmt(headline["check@24"].median)} | | | (< 0.5 s) |`,
        `| per call over raw openapi-fetch, default timeout | CPU ${
            signed(rt.cpu["joinkit `amity.joinCommunity`"] - rt.cpu["raw openapi-fetch"])
        } µs (wall over loopback: ${
            signed(rt.network["joinkit `amity.joinCommunity`"] - rt.network["raw openapi-fetch"])
        } µs) | | | (≤ 5 µs) |`,
    ];
    const before = text.slice(0, text.indexOf(START) + START.length);
    const after = text.slice(text.indexOf(END));
    writeFileSync(readme, `${before}\n${lines.join("\n")}\n${after}`);
}
