/**
 * `@joinkit/codegen/mock`: a simulator of any OpenAPI 3.0/3.1 document, for an integrator's
 * tests and for `joinkit mock`. See codegen/mock/README.md.
 */
import type { Json } from "../model/context.js";
import { resolvePointer } from "../spec/json-pointer.js";
import { seededRandom } from "./random.js";
import { type MockDocument, mockDocument, readMockDocument } from "./document.js";
import { type MockOperation, readOperations } from "./operations.js";
import { type Answer, AnswerError, Responder } from "./responses.js";
import { SchemaChecker } from "./schema-object.js";
import { SchemaSampler } from "./schema-sample.js";
import { type Handler, type RecordedRequest, type Scenario, type ScenarioContext, serve } from "./server.js";
import { type WebhookDelivery, type WebhookOptions, WebhookSender } from "./webhooks.js";

export type { SpecLocation } from "./document.js";
export type { LocatedProblem, MockProblemBody, RequestProblem } from "./problem.js";
export { describeProblem, MOCK_PROBLEM_TYPE } from "./problem.js";
export type { FilePart, ParsedBody } from "./request-body.js";
export type { Answer } from "./responses.js";
export { AnswerError } from "./responses.js";
export type { Credential } from "./security.js";
export type { Handler, MockRequest, RecordedRequest, Scenario, ScenarioContext } from "./server.js";
export type { WebhookDelivery, WebhookOptions } from "./webhooks.js";
export { WebhookError } from "./webhooks.js";

export interface MockServerOptions {
    /** The port on 127.0.0.1 (default 0: one the OS assigns). */
    readonly port?: number;
    /** Seeds generated data: the same seed gives the same bytes (default `"joinkit"`). */
    readonly seed?: string | number;
    /** A vendor's workflow on top of the spec (`amityScenario()`, `sonoranCadScenario()`, `sonoranCmsScenario()`). */
    readonly scenario?: Scenario;
    /** How the spec is named in problems (default: the path given). */
    readonly displayName?: string;
    /** The largest request body read; a larger one is refused with 413 (default 16 MiB). */
    readonly maxBodyBytes?: number;
    /** Called after each request is answered (the CLI prints from it). */
    readonly onRequest?: (request: RecordedRequest) => void;
}

/** An operation the simulator serves. */
export interface ServedOperation {
    readonly id: string;
    readonly method: string;
    readonly path: string;
}

export interface MockServer {
    /** `http://127.0.0.1:<port>`: give it to the client as its base URL. */
    readonly url: string;
    readonly port: number;
    /** The spec's title, as `info.title`. */
    readonly title: string;
    readonly operations: readonly ServedOperation[];
    /** Every request received, in order, valid or not, with its bytes and what the simulator read. */
    readonly requests: RecordedRequest[];
    /**
     * What the simulator did wrong itself: an internal error, or a body it made (an example,
     * generated data, a scenario's answer) that breaks the spec. A test should see none.
     */
    readonly errors: string[];
    /**
     * Queues answers for one operation (its operationId, wrapper name, or `METHOD /path`):
     * each serves the next call (or `times` calls), in order; when they run out, the
     * operation answers as before (scenario or spec). `answer("join", { status: 503,
     * retryAfter: 1 }, { status: 200 })` is "first 503, then 200".
     */
    answer(operation: string, ...answers: Answer[]): void;
    /** Answers every valid request first (`undefined` lets the queue, scenario or spec answer); `undefined` removes it. */
    handle(handler: Handler | undefined): void;
    /** Forgets queued answers, the handler, recorded requests and errors (a scenario's state stays). */
    reset(): void;
    /** Sends an event to the integrator's endpoint (the spec's `webhooks`, else the given or fallback body). */
    sendWebhook(target: string, name: string, options?: WebhookOptions): Promise<WebhookDelivery>;
    /** Stops listening, ends open connections and pending delayed answers. */
    close(): Promise<void>;
}

/**
 * Starts a simulator of one OpenAPI document on 127.0.0.1: it checks every request
 * against its operation (path, parameters in their styles, body in its media type,
 * security) and refuses a wrong one with a located `application/problem+json`; it answers
 * valid ones with the spec's examples or data generated from its schemas (deterministic
 * per seed), or as the test or the scenario says. `spec` is a file (YAML or JSON, Swagger
 * 2.0 converted), or an already parsed and bundled document.
 */
export async function createMockServer(spec: string | Json, options: MockServerOptions = {}): Promise<MockServer> {
    const document: MockDocument = typeof spec === "string"
        ? await readMockDocument(spec, options.displayName ?? spec)
        : mockDocument(spec, options.displayName ?? "(document)");
    const operations = readOperations(document);
    const checker = new SchemaChecker(document);
    const sampler = new SchemaSampler(document, checker);
    const seed = options.seed ?? "joinkit";
    const responder = new Responder(document, checker, sampler, seed);
    const webhooks = new WebhookSender(document, checker, sampler, seed);
    const byName = new Map<string, MockOperation>();
    for (const operation of operations) {
        for (const key of [operation.id, operation.name, `${operation.method.toUpperCase()} ${operation.path}`]) {
            if (!byName.has(key)) byName.set(key, operation);
        }
    }
    const operationNamed = (name: string): MockOperation => {
        const found = byName.get(name);
        if (!found) {
            throw new AnswerError(
                `the spec has no operation ${
                    JSON.stringify(name)
                }; name one by its operationId, wrapper name or "METHOD /path"`,
            );
        }
        return found;
    };
    const context: ScenarioContext = {
        operations,
        seed,
        example: (operation, status, example) =>
            structuredClone(responder.exampleValue(operationNamed(operation), status, example)),
        generate: (pointer, key) =>
            sampler.sample(resolvePointer(document.parsed, pointer), pointer, "response", seededRandom(seed, key))
                .value,
        sendWebhook: (target, name, webhookOptions) => webhooks.send(target, name, webhookOptions),
    };
    options.scenario?.attach?.(context);
    const served = await serve(document, operations, checker, responder, {
        port: options.port ?? 0,
        maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
        scenario: options.scenario,
        context,
        onRequest: options.onRequest,
    });
    return {
        url: served.url,
        port: served.port,
        title: typeof (document.parsed.info as Json | undefined)?.title === "string"
            ? ((document.parsed.info as Json).title as string)
            : document.displayName,
        operations: operations.map(({ id, method, path }) => ({ id, method, path })),
        requests: served.requests,
        errors: served.errors,
        answer(name, ...answers) {
            const operation = operationNamed(name);
            for (const answer of answers) responder.validate(operation, answer);
            served.answer(operation.id, answers);
        },
        handle: (handler) => served.handle(handler),
        reset: () => served.reset(),
        sendWebhook: (target, name, webhookOptions) => webhooks.send(target, name, webhookOptions),
        close: () => served.close(),
    };
}

// The vendors' workflows.
export {
    type AmityCommunity,
    type AmityJoinRequest,
    type AmityScenario,
    amityScenario,
    type AmityScenarioOptions,
    amitySignature,
    sendAmityEvent,
} from "./scenarios/amity.js";
export {
    type SonoranCadCommunity,
    type SonoranCadScenario,
    sonoranCadScenario,
    type SonoranCadScenarioOptions,
} from "./scenarios/sonoran-cad.js";
export {
    CMS_PUSH_EVENT_EXAMPLES,
    type CmsPushEventType,
    sendCmsPushEvent,
    type SonoranCmsScenario,
    sonoranCmsScenario,
    type SonoranCmsScenarioOptions,
} from "./scenarios/sonoran-cms.js";
