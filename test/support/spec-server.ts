import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

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

type Json = Record<string, any>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * A real HTTP server on 127.0.0.1 that knows one OpenAPI document: it refuses (422, and
 * records why) any request whose method, path, parameters (path, query — unknown ones too —
 * and headers), security header, content type or body the spec does not allow, and answers valid ones with the test's responder.
 */
export async function startSpecServer(specFile: string): Promise<SpecServer> {
    const document = parse(readFileSync(specFile, "utf8")) as Json;
    const ajv = new Ajv2020({
        strict: false,
        allErrors: true,
        formats: {
            password: true,
            "date-time": true,
            "uri-reference": true,
            uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        },
    });
    const compiled = new Map<unknown, ReturnType<typeof ajv.compile>>();
    const validate = (schema: unknown, value: unknown): string[] => {
        let check = compiled.get(schema);
        if (!check) {
            check = ajv.compile({ ...(schema as Json), components: document.components });
            compiled.set(schema, check);
        }
        return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`);
    };
    // Parameters and request bodies may be `$ref`s into components.
    const resolveRef = (value: Json): Json => {
        for (let depth = 0; typeof value?.$ref === "string" && depth < 10; depth++) {
            value = String(value.$ref)
                .replace(/^#\//, "")
                .split("/")
                .reduce((node: Json, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], document);
        }
        return value;
    };
    const operations = Object.entries(document.paths as Json).flatMap(([template, item]) =>
        METHODS.filter((m) => item[m]).map((method) => ({
            template,
            method,
            op: item[method] as Json,
            pattern: pathPattern(template),
        }))
    );

    const received: ReceivedRequest[] = [];
    const violations: string[] = [];
    let responder: Responder = () => ({ status: 500, body: "no responder set" });

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
        const rawBody = await readBody(req);
        const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split("?");
        const method = (req.method ?? "").toLowerCase();
        const problems: string[] = [];
        const match = operations.find((o) => o.method === method && o.pattern.regex.test(rawPath));
        if (!match) return refuse(res, violations, [`no operation for ${req.method} ${rawPath}`]);

        const groups = match.pattern.regex.exec(rawPath)!.slice(1);
        const pathParams = Object.fromEntries(
            match.pattern.names.map((name, i) => [name, decodeURIComponent(groups[i]!)]),
        );
        const parameters = ((match.op.parameters ?? []) as Json[]).map(resolveRef);
        const query = new URLSearchParams(rawQuery);
        for (const param of parameters) {
            if (param.in === "path") {
                problems.push(
                    ...validate(param.schema, asJson(param.schema, pathParams[param.name]!)).map((p) =>
                        `path ${param.name}: ${p}`
                    ),
                );
            }
            if (param.in === "header" && param.required && req.headers[param.name.toLowerCase()] === undefined) {
                problems.push(`missing header ${param.name}`);
            }
            if (param.in === "query") {
                const value = queryValue(param, query);
                if (value !== undefined) {
                    problems.push(...validate(param.schema, value).map((p) => `query ${param.name}: ${p}`));
                } else if (param.required) problems.push(`missing query parameter ${param.name}`);
            }
        }
        for (const key of new Set(query.keys())) {
            const known = parameters.some((p) =>
                p.in === "query" && (p.name === key || (p.style === "deepObject" && key.startsWith(`${p.name}[`)))
            );
            if (!known) problems.push(`query parameter ${key} is not in the spec`);
        }
        problems.push(...checkSecurity(match.op.security ?? document.security ?? [], document, req));

        let body: unknown;
        const requestBody = match.op.requestBody === undefined ? undefined : resolveRef(match.op.requestBody as Json);
        if (requestBody) {
            const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
            const media = requestBody.content?.[contentType];
            if (!media) problems.push(`content type "${contentType}" is not one the spec accepts`);
            else if (rawBody === "" && requestBody.required) problems.push("the body is required");
            else {
                try {
                    body = JSON.parse(rawBody);
                    problems.push(...validate(media.schema, body).map((p) => `body ${p}`));
                } catch {
                    problems.push("the body is not JSON");
                }
            }
        } else if (rawBody !== "") problems.push("the operation takes no body");

        if (problems.length > 0) return refuse(res, violations, problems.map((p) => `${match.op.operationId}: ${p}`));
        const request: ReceivedRequest = {
            operationId: match.op.operationId,
            method: req.method!,
            rawPath,
            pathParams,
            query: Object.fromEntries(query),
            headers: req.headers,
            body,
        };
        received.push(request);
        const reply = await responder(request);
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
    };

    const server = createServer((req, res) => {
        handle(req, res).catch((error: Error) => {
            violations.push(`server error: ${error.message}`);
            res.writeHead(500).end();
        });
    });
    // Keep-alive sockets would hold close() open until the client lets go of them.
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        received,
        violations,
        respondWith: (next) => {
            responder = next;
        },
        close: () =>
            new Promise<void>((resolve, reject) => {
                server.close((error) => (error ? reject(error) : resolve()));
                server.closeAllConnections();
            }),
    };
}

/** A path or query value (text on the wire) as the JSON value its schema describes, for validation. */
function asJson(schema: Json | undefined, value: string): unknown {
    const types = ([] as unknown[]).concat(schema?.type ?? []);
    if (
        (types.includes("integer") || types.includes("number")) && value.trim() !== "" && !Number.isNaN(Number(value))
    ) return Number(value);
    if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
    return value;
}

/** A query parameter's value as JSON: `form` (arrays repeat the key) or `deepObject` (`name[key]=value`). */
function queryValue(param: Json, query: URLSearchParams): unknown {
    const schema = param.schema as Json | undefined;
    if (param.style === "deepObject") {
        const prefix = `${param.name}[`;
        const entries = [...query].filter(([key]) => key.startsWith(prefix) && key.endsWith("]"));
        if (entries.length === 0) return undefined;
        return Object.fromEntries(entries.map(([key, value]) => {
            const property = key.slice(prefix.length, -1);
            return [property, asJson(schema?.properties?.[property], value)];
        }));
    }
    if (([] as unknown[]).concat(schema?.type ?? []).includes("array")) {
        const values = query.getAll(param.name);
        return values.length === 0 ? undefined : values.map((value) => asJson(schema?.items, value));
    }
    const value = query.get(param.name);
    return value === null ? undefined : asJson(schema, value);
}

function checkSecurity(requirements: Json[], document: Json, req: IncomingMessage): string[] {
    if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) return [];
    const satisfied = requirements.some((requirement) =>
        Object.keys(requirement).every((name) => {
            const scheme = document.components?.securitySchemes?.[name] as Json | undefined;
            if (scheme?.type === "http" && scheme.scheme === "bearer") {
                return /^Bearer \S+$/.test(req.headers.authorization ?? "");
            }
            if (
                scheme?.type === "apiKey" && scheme.in === "header"
            ) return req.headers[String(scheme.name).toLowerCase()] !== undefined;
            return false;
        })
    );
    return satisfied ? [] : ["no credentials the operation's security accepts"];
}

function pathPattern(template: string): { regex: RegExp; names: string[] } {
    const names: string[] = [];
    const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
            names.push(name);
            // A path parameter is one segment: a raw "/" in it means the client did not encode it.
            return "([^/]+)";
        })
        .join("");
    return { regex: new RegExp(`^${source}$`), names };
}

function refuse(res: ServerResponse, violations: string[], problems: string[]): void {
    violations.push(...problems);
    res.writeHead(422, { "Content-Type": "text/plain" }).end(problems.join("\n"));
}

function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
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
