import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyWorkspace, startJoinkit } from "../support/cli.js";
import { ROOT } from "../support/fixtures.js";

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

        const watch = startJoinkit(["generate", "--watch"], ws);
        running = watch.child;
        const ready = watch.next(/joinkit: watching specs/);
        await ready;
        expect(watch.lines.filter((l) => /^(sonoran-cad|amity-social-cloud): no changes/.test(l))).toHaveLength(2);

        let event = watch.next(/^sonoran-cad: /);
        writeFileSync(
            spec,
            original.replace("summary: Join or leave a community", "summary: Join or leave a CAD community"),
        );
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
        expect(readFileSync(operations, "utf8")).toBe(
            readFileSync(path.join(ROOT, "generated/sonoran-cad/operations.ts"), "utf8"),
        );

        const stopped = watch.next(/joinkit: stopped watching/);
        watch.child.kill("SIGINT");
        await stopped;
        expect(await watch.exited).toBe(0);
    }, 60_000);
});
