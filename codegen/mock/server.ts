import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { PROBLEM_JSON } from "joinkit/runtime";
import type { MockDocument } from "./document.js";
import { compareRanks, matchRoute, type MockOperation, serverPrefixes } from "./operations.js";
import { parseQuery, readParameters, type ParsedParameters } from "./parameter-object.js";
import { locateProblems, type LocatedProblem, problemBody, type RequestProblem } from "./problem.js";
import { type ParsedBody, readRequestBody } from "./request-body.js";
import { type Answer, AnswerError, type Rendered, type Responder } from "./responses.js";
import type { SchemaChecker } from "./schema-object.js";
import { checkSecurity, type Credential } from "./security.js";
import type { WebhookDelivery, WebhookOptions } from "./webhooks.js";

/** A request that passed the spec's checks, as a test's handler or a scenario sees it. */
export interface MockRequest {
    /** The operation's id (its operationId, else `METHOD /path`). */
    readonly operation: string;
    readonly method: string;
    /** The raw request target, percent-encoding intact. */
    readonly url: string;
    /** The path template it matched (`/pets/{petId}`). */
    readonly path: string;
    readonly params: ParsedParameters;
    /** The parsed body (JSON, form or multipart fields, text), `undefined` when there is none. */
    readonly body: unknown;
    readonly headers: IncomingHttpHeaders;
    /** The credentials it carries, by security scheme name. */
    readonly credentials: Readonly<Record<string, Credential>>;
}

/** Every request the simulator received, valid or not: the bytes as they arrived, and what it read from them. */
export interface RecordedRequest {
    readonly method: string;
    /** The raw request target, percent-encoding intact. */
    readonly url: string;
    readonly headers: IncomingHttpHeaders;
    /** Header names and values as sent, in order (`IncomingMessage.rawHeaders`). */
    readonly rawHeaders: readonly string[];
    /** The body's bytes. */
    readonly body: Buffer;
    /** The operation it matched, when one did. */
    readonly operation?: string;
    readonly params: ParsedParameters;
    readonly parsedBody?: ParsedBody;
    readonly credentials: Readonly<Record<string, Credential>>;
    /** How it broke the spec, each located; `[]` for a request that matched. */
    readonly problems: readonly LocatedProblem[];
    /** The status answered; `undefined` when the connection was dropped. */
    status?: number;
}

/** A test's answer to any request, before queued answers and the scenario (`undefined`: no say). */
export type Handler = (request: MockRequest) => Answer | undefined | Promise<Answer | undefined>;

/** A vendor's workflow on top of the spec: state, and the vendor's own answers. */
export interface Scenario {
    readonly name: string;
    /** Called once when the simulator starts; throws when the spec lacks what the scenario needs. */
    attach?(context: ScenarioContext): void;
    /** The answer to a request that matched the spec, or `undefined` for the spec's default answer. */
    answer?(request: MockRequest, context: ScenarioContext): Answer | undefined | Promise<Answer | undefined>;
    /** The vendor's own answer to a request that breaks the spec, instead of the simulator's problem. */
    refuse?(request: MockRequest, problems: readonly LocatedProblem[]): Answer | undefined;
}

/** What a scenario can ask the simulator. */
export interface ScenarioContext {
    readonly operations: readonly MockOperation[];
    /** The body the spec would answer with (its named or first example, else generated data). */
    example(operation: string, status: number, example?: string): unknown;
    /** Data generated from the schema at a pointer (`#/components/schemas/Account`), seeded by the simulator's seed and `key`. */
    generate(pointer: string, key: string): unknown;
    /** Sends an event to an integrator's endpoint (see MockServer.sendWebhook). */
    sendWebhook(target: string, name: string, options?: WebhookOptions): Promise<WebhookDelivery>;
    readonly seed: string | number;
}

export interface Served {
    readonly url: string;
    readonly port: number;
    readonly requests: RecordedRequest[];
    readonly errors: string[];
    answer(operation: string, answers: readonly Answer[]): void;
    handle(handler: Handler | undefined): void;
    reset(): void;
    close(): Promise<void>;
}

interface Queued {
    readonly answer: Answer;
    left: number;
}

const EMPTY: ParsedParameters = Object.freeze({ path: {}, query: {}, header: {}, cookie: {} }) as ParsedParameters;

/**
 * The HTTP side: one server on 127.0.0.1 that reads each request whole (up to a byte cap),
 * finds its operation, checks it (security, parameters, body), records it, and answers:
 * a located problem for a request that breaks the spec, else the first of a queued answer,
 * the test's handler, the scenario, or the spec's default. Nothing a client sends can
 * crash it: an error of its own is answered 500 and recorded in `errors`.
 */
export async function serve(
    document: MockDocument,
    operations: readonly MockOperation[],
    checker: SchemaChecker,
    responder: Responder,
    options: {
        readonly port: number;
        readonly maxBodyBytes: number;
        readonly scenario?: Scenario;
        readonly context: ScenarioContext;
        readonly onRequest?: (request: RecordedRequest) => void;
    },
): Promise<Served> {
    const requests: RecordedRequest[] = [];
    const errors: string[] = [];
    const queues = new Map<string, Queued[]>();
    let handler: Handler | undefined;
    const prefixes = serverPrefixes(document);
    const sockets = new Set<Socket>();
    // Delayed answers, so close() can end them at once.
    const timers = new Map<NodeJS.Timeout, () => void>();
    let closing = false;

    const find = (method: string, rawPath: string, query: readonly (readonly [string, string])[]) => {
        for (
            const path of [
                rawPath,
                ...prefixes.filter((p) => rawPath.startsWith(`${p}/`)).map((p) => rawPath.slice(p.length)),
            ]
        ) {
            const matched = operations
                .map((operation) => ({ operation, values: matchRoute(operation.route, path, query) }))
                .filter((m): m is { operation: MockOperation; values: Record<string, string> } =>
                    m.values !== undefined
                )
                .sort((a, b) => compareRanks(a.operation.route.rank, b.operation.route.rank));
            if (matched.length === 0) continue;
            const best = matched.filter((m) =>
                compareRanks(m.operation.route.rank, matched[0]!.operation.route.rank) === 0
            );
            const exact = best.find((m) => m.operation.method === method)
                // HEAD is answered as GET without a body when the spec has no HEAD of its own.
                ?? (method === "head" ? best.find((m) => m.operation.method === "get") : undefined);
            return { match: exact, allowed: [...new Set(best.map((m) => m.operation.method.toUpperCase()))] };
        }
        return undefined;
    };

    const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
                timers.delete(timer);
                resolve();
            }, ms);
            timers.set(timer, resolve);
        });

    const write = async (res: ServerResponse, rendered: Rendered, answer: Answer): Promise<number | undefined> => {
        const { drop } = answer;
        if (drop === true || drop === "before-response") {
            res.socket?.destroy();
            return undefined;
        }
        const headers = { ...rendered.headers };
        if (rendered.chunks) {
            res.writeHead(rendered.status, headers);
            for (const chunk of rendered.chunks) {
                await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
                // A moment between pieces, so the client reads them as separate chunks.
                await sleep(5);
                if (closing || res.destroyed) return rendered.status;
            }
            if (!answer.keepOpen) res.end();
            return rendered.status;
        }
        if (answer.keepOpen) {
            // No length: the client cannot know the body is over.
        } else if (rendered.body !== undefined) headers["content-length"] = String(rendered.body.length);
        else if (rendered.status !== 204 && rendered.status !== 304 && rendered.status >= 200) {
            headers["content-length"] = "0";
        }
        res.writeHead(rendered.status, headers);
        if (drop === "mid-body") {
            res.write(rendered.body?.subarray(0, Math.floor(rendered.body.length / 2)) ?? Buffer.alloc(0));
            setImmediate(() => res.socket?.destroy());
            return rendered.status;
        }
        if (answer.keepOpen) res.write(rendered.body ?? Buffer.alloc(0));
        else res.end(rendered.body);
        return rendered.status;
    };

    const handle = async (
        req: IncomingMessage,
        res: ServerResponse,
        bytes: Buffer,
        tooLarge: boolean,
    ): Promise<RecordedRequest> => {
        const method = (req.method ?? "GET").toLowerCase();
        const target = req.url ?? "/";
        const queryAt = target.indexOf("?");
        const rawPath = (queryAt === -1 ? target : target.slice(0, queryAt)).split("#")[0]!;
        const query = parseQuery(queryAt === -1 ? "" : target.slice(queryAt + 1).split("#")[0]!);
        const instance = `${method.toUpperCase()} ${rawPath}`;
        const record: RecordedRequest = {
            method: req.method ?? "",
            url: target,
            headers: req.headers,
            rawHeaders: req.rawHeaders,
            body: bytes,
            params: EMPTY,
            credentials: {},
            problems: [],
        };
        const refuse = (
            status: number,
            problems: RequestProblem[],
            operation?: MockOperation,
            extra: Record<string, string> = {},
        ) => {
            const body = problemBody(status, instance, operation?.id, problems, document);
            Object.assign(record, { problems: body.problems });
            requests.push(record);
            const text = Buffer.from(JSON.stringify(body, null, 2));
            res.writeHead(status, { ...extra, "content-type": PROBLEM_JSON, "content-length": String(text.length) });
            res.end(method === "head" ? undefined : text);
            record.status = status;
            return record;
        };
        if (tooLarge) {
            return refuse(
                413,
                [{ in: "body", message: `is larger than ${options.maxBodyBytes} bytes`, pointer: "#" }],
                undefined,
                {
                    connection: "close",
                },
            );
        }
        const found = find(method, rawPath, query);
        if (!found) {
            return refuse(404, [{
                in: "route",
                message: `no path in the spec matches ${rawPath}`,
                pointer: "#/paths",
            }]);
        }
        if (!found.match) {
            return refuse(
                405,
                [{
                    in: "route",
                    message: `the path takes ${found.allowed.join(", ")}, not ${method.toUpperCase()}`,
                    pointer: "#/paths",
                }],
                undefined,
                { allow: found.allowed.join(", ") },
            );
        }
        const { operation, values: rawPathValues } = found.match;
        const security = checkSecurity(operation, document, req.headers, query);
        const params = readParameters(
            operation.parameters,
            { path: rawPathValues, query, headers: req.headers },
            document,
            checker,
            new Set([...security.queryKeys, ...operation.route.query.map(([key]) => key)]),
        );
        const body = readRequestBody(operation, req.headers["content-type"], bytes, document, checker);
        Object.assign(record, {
            operation: operation.id,
            params: params.values,
            parsedBody: body.body,
            credentials: security.credentials,
        });
        const problems = [
            ...security.problems,
            ...params.problems.map((
                p,
            ) => (p.pointer === "" ? { ...p, pointer: `${operation.pointer}/parameters` } : p)),
            ...body.problems,
        ];
        const request: MockRequest = {
            operation: operation.id,
            method: method.toUpperCase(),
            url: target,
            path: operation.path,
            params: params.values,
            body: body.body?.value,
            headers: req.headers,
            credentials: security.credentials,
        };
        if (problems.length > 0) {
            const located = locateProblems(problems, document);
            const vendor = options.scenario?.refuse?.(request, located);
            if (vendor) {
                Object.assign(record, { problems: located });
                requests.push(record);
                record.status = await answerWith(operation, vendor, res, method === "head", true);
                return record;
            }
            const status = problems.every((p) => p.in === "security")
                ? 401
                : body.status ?? 400;
            return refuse(status, problems, operation);
        }
        requests.push(record);
        const answer = next(operation) ?? (await handler?.(request))
            ?? (await options.scenario?.answer?.(request, options.context)) ?? {};
        record.status = await answerWith(operation, answer, res, method === "head", !fromTest.has(answer));
        return record;
    };

    // Bodies a scenario builds are checked against the spec; what a test hands over is sent as it is.
    const fromTest = new WeakSet<Answer>();

    const answerWith = async (
        operation: MockOperation,
        answer: Answer,
        res: ServerResponse,
        head: boolean,
        /** Check a body the answer carries against the spec: it is the scenario's, not the test's. */
        checkBody: boolean,
    ): Promise<number | undefined> => {
        if (answer.delayMs !== undefined && answer.delayMs > 0) await sleep(answer.delayMs);
        if (closing || res.destroyed) return undefined;
        const rendered = responder.render(operation, answer, head);
        for (const problem of rendered.problems) errors.push(`${operation.id} ${rendered.source}: ${problem}`);
        if (checkBody && answer.body !== undefined && rendered.body !== undefined) {
            const mediaType = rendered.headers["content-type"];
            const value = /json/i.test(mediaType ?? "")
                ? JSON.parse(rendered.body.toString("utf8"))
                : rendered.body.toString("utf8");
            for (const problem of responder.checkBody(operation, rendered.status, mediaType, value)) {
                errors.push(`${operation.id} (scenario ${options.scenario?.name ?? "?"}): ${problem}`);
            }
        }
        return write(res, rendered, answer);
    };

    const next = (operation: MockOperation): Answer | undefined => {
        const queue = queues.get(operation.id);
        const head = queue?.[0];
        if (!head) return undefined;
        head.left -= 1;
        if (head.left <= 0) queue!.shift();
        return head.answer;
    };

    const server = createServer((req, res) => {
        // No Date header: the same request gets the same bytes.
        res.sendDate = false;
        const chunks: Buffer[] = [];
        let size = 0;
        let tooLarge = false;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBodyBytes) tooLarge = true;
            else chunks.push(chunk);
        });
        req.on("error", () => undefined);
        res.on("error", () => undefined);
        req.on("end", () => {
            handle(req, res, Buffer.concat(chunks), tooLarge).then(
                (record) => options.onRequest?.(record),
                (error: unknown) => {
                    errors.push(
                        `internal error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`,
                    );
                    if (!res.headersSent && !res.destroyed) {
                        res.writeHead(500, { "content-type": "text/plain" }).end(
                            "simulator error (recorded in errors)",
                        );
                    } else res.socket?.destroy();
                },
            );
        });
    });
    server.keepAliveTimeout = 1000;
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    server.on("clientError", (_error, socket) => {
        if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
        else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        errors,
        answer(operation, answers) {
            const queue = queues.get(operation) ?? [];
            for (const answer of answers) {
                fromTest.add(answer);
                const times = answer.times ?? 1;
                if (!Number.isInteger(times) || times < 1) {
                    throw new AnswerError(`${operation}: times must be a whole number ≥ 1`);
                }
                queue.push({ answer, left: times });
            }
            queues.set(operation, queue);
        },
        handle(next) {
            handler = next && (async (request) => {
                const answer = await next(request);
                if (answer) fromTest.add(answer);
                return answer;
            });
        },
        reset() {
            queues.clear();
            handler = undefined;
            requests.length = 0;
            errors.length = 0;
        },
        close: () =>
            new Promise<void>((resolve) => {
                closing = true;
                for (const [timer, resolve] of timers) {
                    clearTimeout(timer);
                    resolve();
                }
                timers.clear();
                server.close(() => resolve());
                server.closeAllConnections();
                for (const socket of sockets) socket.destroy();
            }),
    };
}
