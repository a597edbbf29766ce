#!/usr/bin/env node
import { internalError, main } from "../dist/codegen/cli.js";

// Whatever escapes main (an error in a server or watcher callback) still ends as one
// message, never a stack trace.
process.on("uncaughtException", (error) => process.exit(internalError(error)));
process.on("unhandledRejection", (error) => process.exit(internalError(error)));

process.exitCode = await main(process.argv.slice(2));
