import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyWorkspace } from "./support/cli.js";
import { ROOT } from "./support/fixtures.js";

/** A running `joinkit generate --watch` whose output lines can be awaited. */
function startWatch(cwd: string) {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/joinkit.js"), "generate", "--watch"], { cwd });
    const lines: string[] = [];
    const waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];
    const onData = (chunk: Buffer) => {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        for (const waiter of [...waiters]) {
            const line = lines.slice(waiter.from).find((l) => waiter.pattern.test(l));
            if (line) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(line);
            }
        }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    return {
        child,
        lines,
        /** The next line (after the current end of output) matching the pattern. */
        next(pattern: RegExp): Promise<string> {
            return new Promise((resolve) => waiters.push({ pattern, from: lines.length, resolve }));
        },
        exited: new Promise<number | null>((resolve) => child.on("exit", resolve)),
    };
}

let running: ChildProcess | undefined;
afterEach(() => {
    running?.kill("SIGKILL");
});

describe("joinkit generate --watch", () => {
    it("regenerates on save, survives a broken save keeping the last good output, and stops on Ctrl-C", async () => {
        const ws = copyWorkspace();
        const spec = path.join(ws, "specs/sonoran-cad.yaml");
        const operations = path.join(ws, "generated/sonoran-cad/operations.ts");
        const original = readFileSync(spec, "utf8");

        const watch = startWatch(ws);
        running = watch.child;
        const ready = watch.next(/joinkit: watching specs/);
        await ready;
        expect(watch.lines.filter((l) => /^(sonoran-cad|amity-social-cloud): no changes/.test(l))).toHaveLength(2);

        let event = watch.next(/^sonoran-cad: /);
        writeFileSync(spec, original.replace("summary: Join or leave a community", "summary: Join or leave a CAD community"));
        expect(await event).toMatch(/^sonoran-cad: regenerated .*operations\.ts.*\(\d+ ms\)$/);
        expect(readFileSync(operations, "utf8")).toContain(" * Join or leave a CAD community");

        const lastGood = readFileSync(operations, "utf8");
        event = watch.next(/sonoran-cad: not regenerated/);
        const error = watch.next(/sonoran-cad\.yaml:\d+:\d+ error /);
        writeFileSync(spec, original.replace("      operationId: joinCommunity\n", "      operationId: [broken\n"));
        await event;
        expect(await error).toMatch(/specs\/sonoran-cad\.yaml:\d+:\d+ error parse:/);
        expect(readFileSync(operations, "utf8")).toBe(lastGood);

        event = watch.next(/^sonoran-cad: regenerated/);
        writeFileSync(spec, original);
        await event;
        expect(readFileSync(operations, "utf8")).toBe(readFileSync(path.join(ROOT, "generated/sonoran-cad/operations.ts"), "utf8"));

        const stopped = watch.next(/joinkit: stopped watching/);
        watch.child.kill("SIGINT");
        await stopped;
        expect(await watch.exited).toBe(0);
    }, 60_000);
});
