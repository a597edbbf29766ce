import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

const work = mkdtempSync(path.join(tmpdir(), "joinkit-soak-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("soak", () => {
    it(
        "20,000 calls, 100 in flight, every fault mixed in: all resolve, no secret leaks, heap flat, nothing left open, the process exits by itself",
        async () => {
            const script = path.join(work, "soak.mjs");
            await build({
                entryPoints: [path.join(ROOT, "test/support/soak.ts")],
                bundle: true,
                platform: "node",
                format: "esm",
                target: "node20",
                outfile: script,
                logLevel: "error",
            });
            // No process.exit in the script: if a socket, timer or listener were left behind,
            // it would not exit, and the timeout below would fail the test.
            const run = spawnSync(process.execPath, ["--expose-gc", script], { encoding: "utf8", timeout: 240_000 });
            expect(run.error).toBeUndefined();
            expect(run.stderr).toBe("");
            expect(run.status).toBe(0);
            const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
            console.log(`soak: ${JSON.stringify(report)}`);

            expect(report.calls).toBe(20_000);
            expect(Object.values(report.outcomes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(20_000);
            expect(Object.keys(report.outcomes).sort()).toEqual(
                ["http", "invalid-request", "invalid-response", "network", "ok", "rate-limited", "redirect", "timeout"]
                    .sort(),
            );
            expect(Object.keys(report.faults)).toHaveLength(14);
            expect(report.unhandled).toBe(0);
            expect(report.leaks).toBe(0);
            expect(report.logEvents).toBeGreaterThan(20_000);
            expect(report.stolen).toBe(0); // nothing followed a redirect to another origin
            expect(report.listeners).toBe(0);
            expect(report.resources).toEqual({});
            // Heap after full GC at the end of each quarter: flat once warmed up.
            const [, second, , last] = report.heapMiB as number[];
            expect(last! - second!).toBeLessThan(8);
        },
        300_000,
    );
});
