// How long `joinkit mock --spec specs/amity-social-cloud.yaml` takes to listen, as a user
// starts it (the built bin, a fresh Node process, its compile cache warm after the first
// run), and what a curl of the join path then gets. Run: npm run build:codegen && node bench/mock-startup.js [runs]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 9);

/** CPU milliseconds (user + system) a process has used so far: less at the mercy of the machine's load than wall time. */
function cpuMs(pid) {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Milliseconds from spawn to the "on http://…" line (wall and CPU), and the URL. */
function start() {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(
            process.execPath,
            [path.join(ROOT, "codegen/bin/joinkit.js"), "mock", "--spec", "specs/amity-social-cloud.yaml"],
            { cwd: ROOT },
        );
        let output = "";
        child.stdout.on("data", (chunk) => {
            output += chunk;
            const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
            if (url) resolve({ ms: performance.now() - started, cpu: cpuMs(child.pid), url, child });
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
}

const times = [];
const cpu = [];
let answer;
for (let i = 0; i < runs; i++) {
    const { ms, cpu: used, url, child } = await start();
    times.push(ms);
    cpu.push(used);
    if (i === 0) {
        const response = await fetch(`${url}/api/v4/communities/6565e7c7a7e5fd2bf9d5c3ad/join`, {
            method: "POST",
            headers: { authorization: "Bearer any-token" },
        });
        answer = `${response.status} ${response.headers.get("content-type")}, ${(await response.text()).length} bytes`;
    }
    child.removeAllListeners("exit");
    child.kill("SIGINT");
    await new Promise((resolve) => child.once("exit", resolve));
}
console.log(
    `joinkit mock --spec specs/amity-social-cloud.yaml: listening after ${
        Math.round(median(times))
    } ms wall (median of ${runs}; min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}), ${
        Math.round(median(cpu))
    } ms CPU; Node ${process.version}`,
);
console.log(`POST /api/v4/communities/…/join: ${answer}`);
