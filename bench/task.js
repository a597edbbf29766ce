// One timed task in a fresh process, so every tool pays its own start-up and memory.
// Prints { ms, peakRssMB } as JSON on the last line of stdout.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [task, input, output] = process.argv.slice(2);
const started = performance.now();

switch (task) {
    case "parse": {
        const { parse } = await import("yaml");
        parse(readFileSync(input, "utf8"));
        break;
    }
    case "openapi-typescript": {
        const { default: openapiTS, astToString } = await import("openapi-typescript");
        const { mkdirSync, writeFileSync } = await import("node:fs");
        const ast = await openapiTS(pathToFileURL(input), { silent: true });
        mkdirSync(output, { recursive: true });
        writeFileSync(`${output}/schema.ts`, astToString(ast));
        break;
    }
    case "hey-api": {
        const { createClient } = await import("@hey-api/openapi-ts");
        await createClient({
            input,
            output: { path: output },
            plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
            logs: { level: "silent" },
        });
        break;
    }
    case "joinkit": {
        const { main } = await import("../dist/codegen/cli.js");
        const code = await main(["generate", "--spec", input, "--out", output]);
        if (code !== 0) process.exit(code);
        break;
    }
    default:
        throw new Error(`unknown task ${task}`);
}

console.log(JSON.stringify({ ms: performance.now() - started, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
