import type { IncomingMessage } from "node:http";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type Answer, createMockServer, describeProblem } from "../../codegen/mock/index.js";

/** One request as the server received it, after it passed the spec's checks. */
export interface ReceivedRequest {
    readonly operationId: string;
    readonly method: string;
    /** The raw request target, percent-encoding intact. */
    readonly rawPath: string;
    readonly pathParams: Record<string, string>;
    /** The query string's parameters, decoded (each parameter's last value). */
    readonly query: Record<string, string>;
    readonly headers: IncomingMessage["headers"];
    readonly body: unknown;
}

export interface Reply {
    status: number;
    headers?: Record<string, string>;
    body?: string;
}

export type Responder = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface SpecServer {
    readonly url: string;
    /** Requests that passed validation, in order. */
    readonly received: ReceivedRequest[];
    /** Every way a request broke the spec; a test that sees any has found a client bug. */
    readonly violations: string[];
    /** What the next requests are answered with. */
    respondWith(responder: Responder): void;
    close(): Promise<void>;
}

/**
 * The shipped clients' test server: the simulator (`@joinkit/codegen/mock`) for one
 * document, which refuses (with a located problem, recorded here as a violation) any
 * request the spec does not allow, and answers valid ones with the test's responder, its
 * bytes exactly as given.
 */
export async function startSpecServer(specFile: string): Promise<SpecServer> {
    const received: ReceivedRequest[] = [];
    const violations: string[] = [];
    let responder: Responder = () => ({ status: 500, body: "no responder set" });
    const mock = await createMockServer(specFile, {
        onRequest: (request) => {
            const which = request.operation ?? `${request.method} ${request.url.split("?")[0]}`;
            violations.push(...request.problems.map((problem) => `${which}: ${describeProblem(problem)}`));
        },
    });
    mock.handle(async (request): Promise<Answer> => {
        const [rawPath = "/", rawQuery = ""] = request.url.split("?");
        received.push({
            operationId: request.operation,
            method: request.method,
            rawPath,
            pathParams: Object.fromEntries(Object.entries(request.params.path).map(([k, v]) => [k, String(v)])),
            query: Object.fromEntries(new URLSearchParams(rawQuery)),
            headers: request.headers,
            body: request.body,
        });
        const reply = await responder(received.at(-1)!);
        const headers = Object.fromEntries(
            Object.entries(reply.headers ?? {}).filter(([name]) => name.toLowerCase() !== "content-type"),
        );
        const contentType = Object.entries(reply.headers ?? {}).find(([name]) => name.toLowerCase() === "content-type")
            ?.[1];
        return {
            status: reply.status,
            headers,
            body: Buffer.from(reply.body ?? ""),
            ...(contentType ? { contentType } : {}),
        };
    });
    return {
        url: mock.url,
        received,
        violations,
        respondWith: (next) => {
            responder = next;
        },
        close: async () => {
            // The simulator's own mistakes (none expected) fail the file.
            expect(mock.errors).toEqual([]);
            await mock.close();
        },
    };
}

/**
 * Starts a spec server for the test file, hands it to `use`, checks after every test that
 * no request broke the spec, and closes it when the file is done.
 */
export function useSpecServer(specFile: string, use: (server: SpecServer) => void): void {
    let server: SpecServer;
    beforeAll(async () => {
        server = await startSpecServer(specFile);
        use(server);
    });
    afterAll(() => server.close());
    afterEach(() => {
        expect(server.violations).toEqual([]);
        server.received.length = 0;
    });
}
