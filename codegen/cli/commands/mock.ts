import path from "node:path";
import { interrupted, type CommandContext } from "../context.js";
import { log, logError, reportProblems } from "../report.js";
import { SpecError } from "../../core/spec-error.js";
import {
    amityScenario,
    createMockServer,
    describeProblem,
    type MockServer,
    type MockServerOptions,
    type RecordedRequest,
    type Scenario,
    sonoranCadScenario,
    sonoranCmsScenario,
} from "../../mock/index.js";
import type { SCENARIOS } from "../options.js";

const SCENARIO: Record<(typeof SCENARIOS)[number], () => Scenario> = {
    amity: () => amityScenario(),
    "sonoran-cad": () => sonoranCadScenario(),
    "sonoran-cms": () => sonoranCmsScenario(),
};

/**
 * `joinkit mock`: serves the simulator until Ctrl-C, printing one line per request (and
 * why a refused one was refused). Loads no Redocly, openapi-typescript or TypeScript unless
 * the document's `$ref`s reach other files, which are bundled as `generate` bundles them.
 */
export async function mock({ spec, options, access, cwd }: CommandContext): Promise<number> {
    const file = spec!;
    const displayName = options.spec ?? path.relative(cwd, file);
    const settings: MockServerOptions = {
        displayName,
        port: Number(options.port ?? 0),
        ...(options.seed !== undefined ? { seed: options.seed as string } : {}),
        ...(options.scenario !== undefined
            ? { scenario: SCENARIO[options.scenario as keyof typeof SCENARIO]() }
            : {}),
        onRequest: report,
    };
    let server: MockServer;
    try {
        try {
            server = await createMockServer(file, settings);
        } catch (error) {
            if (!(error instanceof SpecError) || !error.problems.some((p) => p.rule === "mock-external-ref")) {
                throw error;
            }
            // Only a document spanning files pays for Redocly.
            const { bundleApi } = await import("../../pipeline.js");
            server = await createMockServer(await bundleApi(file, { ...access, displayName }), settings);
        }
    } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        reportProblems(error.problems, false);
        logError("mock: not started");
        return 1;
    }
    log(
        `mock: ${server.title} (${displayName}, ${server.operations.length} operation(s)${
            options.scenario ? `, scenario ${options.scenario as string}` : ""
        }) on ${server.url} (Ctrl-C to stop)`,
    );
    await interrupted();
    await server.close();
    log("mock: stopped");
    return 0;
}

/** One line per request: status, method, path (no query: it may carry an API key), operation; a refusal's problems. */
function report(request: RecordedRequest): void {
    const path = request.url.split("?")[0];
    const status = request.status === undefined ? "dropped" : String(request.status);
    log(`mock: ${status} ${request.method} ${path}${request.operation ? ` (${request.operation})` : ""}`);
    for (const problem of request.problems) log(`  ${describeProblem(problem)}`);
}
