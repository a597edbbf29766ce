import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { format } from "node:util";
import { vi } from "vitest";
import { ROOT } from "./fixtures.js";

export interface CliRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs one `joinkit` command in this process, as the bin would in `cwd`: the bin's `main`,
 * with the working directory changed for the call (messages name paths relative to it) and
 * console output captured; what escapes `main` ends in `internalError`, as in the bin.
 * Calls run one at a time (they share the process's working directory and console). Starting
 * a Node process that loads TypeScript proves nothing more here; tests of the process itself
 * (exit on Ctrl-C, SIGKILL mid-write) use `startJoinkit` or spawn the bin.
 */
export function joinkit(args: string[], cwd = ROOT): Promise<CliRun> {
    const run = queue.then(() => runInProcess(args, cwd));
    queue = run.then(
        () => undefined,
        () => undefined,
    );
    return run;
}
let queue: Promise<void> = Promise.resolve();

async function runInProcess(args: string[], cwd: string): Promise<CliRun> {
    const { internalError, main } = await import("../../codegen/cli/main.js");
    let stdout = "";
    let stderr = "";
    const log = vi.spyOn(console, "log").mockImplementation((...data: unknown[]) =>
        void (stdout += `${format(...data)}\n`)
    );
    const error = vi.spyOn(console, "error").mockImplementation((...data: unknown[]) =>
        void (stderr += `${format(...data)}\n`)
    );
    const previous = process.cwd();
    process.chdir(cwd);
    try {
        let code: number;
        try {
            code = await main(args, cwd);
        } catch (escaped) {
            code = internalError(escaped);
        }
        return { code, stdout, stderr };
    } finally {
        process.chdir(previous);
        log.mockRestore();
        error.mockRestore();
    }
}

/** A scratch copy of the repo's specs, lint config (with its reviewed exceptions) and generated output. */
export function copyWorkspace(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-ws-"));
    for (const entry of ["specs", "generated", "redocly.yaml", ".redocly.lint-ignore.yaml"]) {
        cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    return dir;
}

/** Every file under `dir` with its bytes and modification time, to prove nothing was touched. */
export function snapshotTree(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (current: string) => {
        for (const entry of readdirSync(current, { withFileTypes: true })) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isSymbolicLink()) out[path.relative(dir, full)] = `-> ${readlinkSync(full)}`;
            else out[path.relative(dir, full)] = `${statSync(full).mtimeMs} ${readFileSync(full, "utf8")}`;
        }
    };
    walk(dir);
    return out;
}

/** A long-running `joinkit` (watch, docs --serve) whose output lines can be awaited. */
export function startJoinkit(args: string[], cwd: string) {
    const child = spawn(process.execPath, [path.join(ROOT, "codegen/bin/joinkit.js"), ...args], { cwd });
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
