// Per-call cost of the runtime against raw openapi-fetch, in this process's Node: sequential
// calls to a keep-alive server in another process, in blocks of one client at a time, the
// order of the clients rotated every round (no client always follows the same one, and each
// pays for its own garbage). For each client: wall time per call and this process's CPU time
// per call (all threads, GC included), medians over the rounds. Prints { network, cpu } (µs
// per call) as JSON on the last line. Needs `npm run build`.
//
// Both figures come from real calls. A loop over an in-process fake `fetch` (this bench's
// earlier CPU figure) runs everything hot and put the runtime at +4 µs while real calls
// cost it ~+35 µs: between two calls the process waits on the socket, other work evicts its
// caches, and each call runs its code cold, so what a call costs follows how much code and
// data it touches more than how many instructions it runs.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { createAmityClient } from "../dist/src/amity.js";
import { median } from "./stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cpuNow = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
};

/** µs per call (wall and process CPU) for each variant, medians of rounds of blocks in rotated order. */
async function perCall(variants, calls, warmup, rounds) {
    const names = Object.keys(variants);
    const wall = Object.fromEntries(names.map((k) => [k, []]));
    const cpu = Object.fromEntries(names.map((k) => [k, []]));
    for (const fn of Object.values(variants)) for (let i = 0; i < warmup; i++) await fn();
    const block = Math.ceil(calls / rounds);
    for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < names.length; k++) {
            const name = names[(k + round) % names.length];
            const fn = variants[name];
            const started = performance.now();
            const cpuStarted = cpuNow();
            for (let i = 0; i < block; i++) await fn();
            cpu[name].push((cpuNow() - cpuStarted) / block);
            wall[name].push(((performance.now() - started) * 1000) / block);
        }
    }
    const medians = (samples) => Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    return { network: medians(wall), cpu: medians(cpu) };
}

const server = spawn(process.execPath, [path.join(ROOT, "bench/runtime-server.js")], {
    stdio: ["pipe", "pipe", "inherit"],
});
const url = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(d.toString().trim())));
const amity = createAmityClient({ region: "us", accessToken: "bench-token", baseUrl: url });
const amityNoTimeout = createAmityClient({
    region: "us",
    accessToken: "bench-token",
    baseUrl: url,
    timeoutMs: Infinity,
});
const raw = createClient({ baseUrl: url });
const target = `${url}/api/v4/communities/c1/join`;
const result = await perCall(
    {
        "raw `fetch`": () =>
            fetch(target, { method: "POST", headers: { Authorization: "Bearer bench-token" } }).then((r) => r.json()),
        "raw openapi-fetch": () =>
            raw.POST("/api/v4/communities/{communityId}/join", {
                params: { path: { communityId: "c1" } },
                headers: { Authorization: "Bearer bench-token" },
            }),
        "joinkit `amity.joinCommunity`": () => amity.joinCommunity({ communityId: "c1" }),
        "joinkit, `timeoutMs: Infinity`": () => amityNoTimeout.joinCommunity({ communityId: "c1" }),
    },
    Number(process.env.BENCH_CALLS ?? 8000),
    300,
    // Blocks of ~1,000 calls: each holds about one young-generation collection, so a block's
    // figure does not depend on whether a collection happened to fall into it.
    8,
);
server.stdin.end();
console.log(JSON.stringify(result));
