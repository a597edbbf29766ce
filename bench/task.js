// One timed task in a fresh process, so every tool pays its own start-up and memory:
// `node bench/task.js <task> <input> <output>`. BENCH_TOOLS names the scratch folder holding
// the peer tools (bench/tools.js). Prints { ms, peakRssMB } as JSON on the last line of
// stdout when the process exits (peak RSS covers every thread of the process).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [task, input, output] = process.argv.slice(2);
const started = performance.now();

process.on("exit", () => {
    console.log(JSON.stringify({ ms: performance.now() - started, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
});

/** Imports an ESM-only package from the scratch tools folder (its `exports` has no `require`). */
async function importTool(name) {
    const dir = path.join(process.env.BENCH_TOOLS ?? "", "node_modules", name);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const entry = pkg.exports?.["."] ?? pkg.exports;
    const file = (typeof entry === "string" ? entry : (entry?.import?.default ?? entry?.import ?? entry?.default))
        ?? pkg.module ?? pkg.main;
    return import(pathToFileURL(path.join(dir, file)).href);
}

switch (task) {
    case "parse": {
        const { parse } = await import("yaml");
        parse(readFileSync(input, "utf8"));
        break;
    }
    case "openapi-typescript": {
        const { default: openapiTS, astToString } = await importTool("openapi-typescript");
        const { mkdirSync, writeFileSync } = await import("node:fs");
        const ast = await openapiTS(pathToFileURL(input), { silent: true });
        mkdirSync(output, { recursive: true });
        writeFileSync(`${output}/schema.ts`, astToString(ast));
        break;
    }
    case "hey-api": {
        const { createClient } = await importTool("@hey-api/openapi-ts");
        await createClient({
            input,
            output: { path: output },
            plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
            logs: { level: "silent" },
        });
        break;
    }
    case "joinkit": {
        // The real bin, as a user runs it (its start-up, compile cache and exit code included).
        process.argv = [
            process.argv[0],
            path.join(ROOT, "codegen/bin/joinkit.js"),
            "generate",
            "--spec",
            input,
            "--out",
            output,
        ];
        await import("../codegen/bin/joinkit.js");
        break;
    }
    case "joinkit-check":
    case "joinkit-check-full": {
        // `joinkit-check` as a user runs it (answered by the check cache when nothing changed); `-full` with --no-cache.
        process.argv = [
            process.argv[0],
            path.join(ROOT, "codegen/bin/joinkit.js"),
            "check",
            ...(task === "joinkit-check-full" ? ["--no-cache"] : []),
        ];
        await import("../codegen/bin/joinkit.js");
        break;
    }
    default:
        throw new Error(`unknown task ${task}`);
}
