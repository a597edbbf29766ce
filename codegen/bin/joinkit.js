#!/usr/bin/env -S node --max-semi-space-size=16
// The flag caps V8's young generation (the semi-spaces) at 16 MB. Sized from the machine's
// memory, it grew to 128 MB while Redocly and the model allocate, most of it garbage: peak RSS
// on DigitalOcean 382 -> 308 MB, same wall time (Node 24). It can only be given on the command
// line (v8.setFlagsFromString after start-up does nothing), hence the shebang; `env -S` splits
// it (coreutils, BSD/macOS), and npm's Windows shims read the same line.
import module from "node:module";

// Node >= 22.1 keeps the compiled code of every module it loads (Redocly, openapi-typescript
// and TypeScript: most of a run's start-up) in its on-disk compile cache (os.tmpdir() by default;
// NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node 20 has no
// such cache; there this is a no-op.
module.enableCompileCache?.();

const { internalError, main } = await import("../dist/cli/main.js");

// Whatever escapes main (an error in a server or watcher callback) still ends as one
// message, never a stack trace.
process.on("uncaughtException", (error) => process.exit(internalError(error)));
process.on("unhandledRejection", (error) => process.exit(internalError(error)));

process.exitCode = await main(process.argv.slice(2));
