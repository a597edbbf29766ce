// Per-call cost of the runtime against raw openapi-fetch, in this process's Node: sequential
// calls to a keep-alive server in another process (wall time per call), then the same calls
// with an in-process global `fetch` that builds its Request from (input, init) as Node's
// does, signal included, measured in this process's CPU time (the figure a loaded machine
// does not blur). Prints { network, cpu } (µs per call, medians of interleaved rounds) as
// JSON on the last line. Needs `npm run build`.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { createAmityClient } from "../dist/src/amity.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const wallClock = () => performance.now() * 1000;
const cpuClock = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
};

/** µs per call for each variant, median of interleaved rounds (load drift hits all alike). */
async function perCall(variants, calls, warmup, clock = wallClock, rounds = 8) {
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (const fn of Object.values(variants)) for (let i = 0; i < warmup; i++) await fn();
    for (let round = 0; round < rounds; round++) {
        for (const [name, fn] of Object.entries(variants)) {
            const started = clock();
            for (let i = 0; i < calls / rounds; i++) await fn();
            samples[name].push((clock() - started) / (calls / rounds));
        }
    }
    return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const server = spawn(process.execPath, [path.join(ROOT, "bench/runtime-server.js")], { stdio: ["pipe", "pipe", "inherit"] });
const url = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(d.toString().trim())));
const amity = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: url });
const amityNoTimeout = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: url, timeoutMs: Infinity });
const raw = createClient({ baseUrl: url });
const target = `${url}/api/v4/communities/c1/join`;
const calls = Number(process.env.BENCH_CALLS ?? 4000);
const network = await perCall(
    {
        "raw `fetch`": () => fetch(target, { method: "POST", headers: { Authorization: "Bearer bench-token" } }).then((r) => r.json()),
        "raw openapi-fetch": () =>
            raw.POST("/api/v4/communities/{communityId}/join", { params: { path: { communityId: "c1" } }, headers: { Authorization: "Bearer bench-token" } }),
        "joinkit `amity.joinCommunity`": () => amity.joinCommunity({ communityId: "c1" }),
        "joinkit, `timeoutMs: Infinity`": () => amityNoTimeout.joinCommunity({ communityId: "c1" }),
    },
    calls,
    300,
);
server.stdin.end();

const cannedBody = '{"joinRequests":[{"status":"approved"}],"users":[],"files":[]}';
const headers = { "Content-Type": "application/json", "Content-Length": String(cannedBody.length) };
// Both clients look the global fetch up at creation or per call: this stands in for Node's.
globalThis.fetch = async (input, init) => {
    new Request(input, init);
    return new Response(cannedBody, { status: 200, headers });
};
const rawOffline = createClient({ baseUrl: "http://bench.invalid" });
const a = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: "http://bench.invalid" });
const aNoTimeout = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: "http://bench.invalid", timeoutMs: Infinity });
const cpu = await perCall(
    {
        "raw openapi-fetch": () =>
            rawOffline.POST("/api/v4/communities/{communityId}/join", { params: { path: { communityId: "c1" } }, headers: { Authorization: "Bearer bench-token" } }),
        "joinkit `amity.joinCommunity`": () => a.joinCommunity({ communityId: "c1" }),
        "joinkit, `timeoutMs: Infinity`": () => aNoTimeout.joinCommunity({ communityId: "c1" }),
    },
    60000,
    3000,
    cpuClock,
    15,
);
console.log(JSON.stringify({ network, cpu }));
