#!/usr/bin/env node
import module from "node:module";

// Node >= 22.1 keeps the compiled code of every module it loads (TypeScript, ts-morph,
// Redocly: most of a run's start-up) in its on-disk compile cache (os.tmpdir() by default;
// NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node 20 has no
// such cache; there this is a no-op.
module.enableCompileCache?.();

const { internalError, main } = await import("../dist/cli.js");

// Whatever escapes main (an error in a server or watcher callback) still ends as one
// message, never a stack trace.
process.on("uncaughtException", (error) => process.exit(internalError(error)));
process.on("unhandledRejection", (error) => process.exit(internalError(error)));

process.exitCode = await main(process.argv.slice(2));
