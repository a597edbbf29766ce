// Per-call cost of the runtime against raw openapi-fetch, in this process's Node: sequential
// calls to a keep-alive server in another process, then the same calls with an in-process
// `fetch` (CPU alone). Prints { network, cpu } (µs per call, medians of 8 interleaved rounds)
// as JSON on the last line. Needs `npm run build`.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { createAmityClient } from "../dist/src/amity.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** µs per call for each variant, median of 8 interleaved rounds (load drift hits all alike). */
async function perCall(variants, calls, warmup) {
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (const fn of Object.values(variants)) for (let i = 0; i < warmup; i++) await fn();
    for (let round = 0; round < 8; round++) {
        for (const [name, fn] of Object.entries(variants)) {
            const started = performance.now();
            for (let i = 0; i < calls / 8; i++) await fn();
            samples[name].push(((performance.now() - started) * 1000) / (calls / 8));
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
        "raw openapi-fetch": () => raw.POST("/api/v4/communities/{communityId}/join", { params: { path: { communityId: "c1" } }, headers: { Authorization: "Bearer bench-token" } }),
        "joinkit `amity.joinCommunity`": () => amity.joinCommunity({ communityId: "c1" }),
        "joinkit, `timeoutMs: Infinity`": () => amityNoTimeout.joinCommunity({ communityId: "c1" }),
    },
    calls,
    300,
);
server.stdin.end();

const cannedBody = '{"joinRequests":[{"status":"approved"}],"users":[],"files":[]}';
const canned = async () => new Response(cannedBody, { status: 200, headers: { "Content-Type": "application/json", "Content-Length": String(cannedBody.length) } });
const rawOffline = createClient({ baseUrl: "http://bench.invalid", fetch: canned });
rawOffline.use({ onRequest: ({ request }) => (request.headers.set("Authorization", "Bearer bench-token"), request) });
const a = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: "http://bench.invalid", fetch: canned });
const aNoTimeout = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: "http://bench.invalid", fetch: canned, timeoutMs: Infinity });
const cpu = await perCall(
    {
        "raw openapi-fetch": () => rawOffline.POST("/api/v4/communities/{communityId}/join", { params: { path: { communityId: "c1" } } }),
        "joinkit `amity.joinCommunity`": () => a.joinCommunity({ communityId: "c1" }),
        "joinkit, `timeoutMs: Infinity`": () => aNoTimeout.joinCommunity({ communityId: "c1" }),
    },
    20000,
    2000,
);
console.log(JSON.stringify({ network, cpu }));
