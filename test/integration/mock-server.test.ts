// The simulator over HTTP: what it refuses and how it locates the problem in the spec, what
// it answers (examples, generated data, a test's choices), what it records, and that no
// request can crash it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { parse } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnswerError, createMockServer, MOCK_PROBLEM_TYPE, type MockServer } from "../../codegen/mock/index.js";
import { callOperation, createApiClient, type OperationSpec } from "../../src/runtime/index.js";
import { AMITY_SPEC } from "../support/fixtures.js";
import { startRecordingServer } from "../support/recording-server.js";

const SHOP = `openapi: 3.1.0
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.example/v1"}]
security: [{key: []}, {bearer: []}]
paths:
  /items/{itemId}:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: integer, minimum: 1}}
    get:
      operationId: getItem
      parameters:
        - {name: fields, in: query, style: form, explode: false, schema: {type: array, items: {type: string, enum: [name, price]}}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, pattern: "^[a-f0-9]{8}$"}}
      responses:
        "200":
          description: ok
          headers:
            X-Rate-Remaining: {required: true, schema: {type: integer, minimum: 0, maximum: 100}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
              examples:
                cheap: {value: {id: 1, name: pencil, price: 0.5}}
                dear: {value: {id: 2, name: pen, price: 95}}
        "404":
          description: none
          content:
            application/problem+json:
              schema: {type: object, properties: {title: {type: string}}}
              example: {title: No such item}
    put:
      operationId: putItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Item"}
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Item"}
      responses:
        "204": {description: stored}
  /items:
    get:
      operationId: listItems
      security: []
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, minItems: 2, items: {$ref: "#/components/schemas/Item"}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
    bearer: {type: http, scheme: bearer}
  schemas:
    Item:
      type: object
      required: [id, name, price]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, minLength: 1, maxLength: 40}
        price: {type: number, minimum: 0, exclusiveMaximum: 100}
        tags: {type: array, items: {type: string}, uniqueItems: true}
        created: {type: string, format: date-time}
webhooks:
  itemSold:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [itemId, at]
              properties:
                itemId: {type: integer}
                at: {type: string, format: date-time}
      responses:
        "200": {description: received}
`;
const dir = mkdtempSync(path.join(tmpdir(), "joinkit-mock-"));
const SHOP_FILE = path.join(dir, "shop.yaml");
writeFileSync(SHOP_FILE, SHOP);
/** The 1-based line of the first line of the spec's text that contains `text`. */
const lineOf = (text: string) => SHOP.split("\n").findIndex((line) => line.includes(text)) + 1;

let shop: MockServer;
beforeAll(async () => {
    shop = await createMockServer(SHOP_FILE, { displayName: "shop.yaml" });
});
afterAll(() => shop.close());
afterEach(() => {
    expect(shop.errors).toEqual([]);
    shop.reset();
});

const auth = { "x-api-key": "k1", "x-trace": "0123abcd" };
const get = (target: string, headers: Record<string, string> = auth, init: RequestInit = {}) =>
    fetch(`${shop.url}${target}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });

describe("a request that breaks the spec", () => {
    it("is refused with application/problem+json naming what is wrong and where in the spec: file, line, column, pointer", async () => {
        const response = await get("/items/0?fields=name,size", { "x-api-key": "k1", "x-trace": "nothex!!" });
        expect(response.status).toBe(400);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        const body = await response.json();
        expect(body).toMatchObject({
            type: MOCK_PROBLEM_TYPE,
            status: 400,
            instance: "GET /items/0",
            operation: "getItem",
        });
        expect(body.problems).toEqual([
            {
                in: "path",
                name: "itemId",
                message: "must be >= 1 (got 0)",
                spec: {
                    file: "shop.yaml",
                    line: lineOf("- {name: itemId"),
                    column: expect.any(Number),
                    pointer: "#/paths/~1items~1{itemId}/parameters/0/schema/minimum",
                },
            },
            expect.objectContaining({
                in: "query",
                name: "fields",
                at: "/1",
                message: 'must be one of "name", "price" (got "size")',
            }),
            expect.objectContaining({
                in: "header",
                name: "X-Trace",
                message: 'must match the pattern ^[a-f0-9]{8}$ (got "nothex!!")',
                spec: expect.objectContaining({ line: lineOf("name: X-Trace") }),
            }),
        ]);
        expect(body.detail).toContain(`path itemId: must be >= 1 (got 0) (shop.yaml:${lineOf("- {name: itemId")}:`);
        // It is recorded too, with its problems.
        expect(shop.requests).toMatchObject([{
            method: "GET",
            url: "/items/0?fields=name,size",
            operation: "getItem",
            status: 400,
        }]);
        expect(shop.requests[0]!.problems).toHaveLength(3);
    });

    it("locates a body's problem at the schema keyword it breaks, through $ref", async () => {
        const response = await get("/items/3", auth, {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ name: "", price: 100, tags: ["a", "a"] }),
        });
        expect(response.status).toBe(400);
        const { problems } = await response.json();
        expect(problems.map((p: any) => [p.at, p.message, p.spec.pointer, p.spec.line])).toEqual([
            [
                "/name",
                "must be at least 1 characters long (got 0)",
                "#/components/schemas/Item/properties/name/minLength",
                lineOf("name: {type: string, minLength: 1"),
            ],
            [
                "/price",
                "must be < 100 (got 100)",
                "#/components/schemas/Item/properties/price/exclusiveMaximum",
                lineOf("price: {type: number"),
            ],
            [
                "/tags",
                'must not repeat an item ("a" appears twice)',
                "#/components/schemas/Item/properties/tags/uniqueItems",
                lineOf("tags: {type: array"),
            ],
        ]);
    });

    it("401 without credentials any alternative of `security` accepts; 404, 405 (with Allow) and 415 for the wrong route or media type", async () => {
        const unauthorized = await get("/items/3", { "x-trace": "0123abcd" });
        expect(unauthorized.status).toBe(401);
        expect((await unauthorized.json()).problems[0]).toMatchObject({
            in: "security",
            message:
                "carries no credentials the operation accepts; send X-Api-Key (an API key in the header) (key), or Authorization: Bearer <token> (bearer)",
            spec: { pointer: "#/security", line: lineOf("security: [") },
        });
        expect((await get("/nowhere")).status).toBe(404);
        const wrongMethod = await get("/items", auth, { method: "DELETE" });
        expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "GET"]);
        const xml = await get("/items/3", auth, {
            method: "PUT",
            headers: { "content-type": "application/xml" },
            body: "<item/>",
        });
        expect(xml.status).toBe(415);
        expect((await xml.json()).problems[0].message).toBe(
            '"application/xml" is not a media type of the operation; it takes application/json, application/x-www-form-urlencoded',
        );
    });

    it("refuses a body larger than maxBodyBytes with 413, and one sent to an operation that takes none", async () => {
        const small = await createMockServer(SHOP_FILE, { maxBodyBytes: 1024 });
        try {
            const response = await fetch(`${small.url}/items/3`, {
                method: "PUT",
                headers: { ...auth, "content-type": "application/json" },
                body: JSON.stringify({ name: "x".repeat(2000), price: 1 }),
            });
            expect(response.status).toBe(413);
        } finally {
            await small.close();
        }
        const response = await fetch(`${shop.url}/items`, {
            method: "GET",
            headers: { "content-type": "text/plain" },
            body: null,
        });
        expect(response.status).toBe(200);
    });
});

describe("answers", () => {
    it("answers a valid request with the spec's first example, required headers filled in; a test can pick another example", async () => {
        const first = await get("/items/3");
        expect(first.status).toBe(200);
        expect(await first.json()).toEqual({ id: 1, name: "pencil", price: 0.5 });
        const remaining = Number(first.headers.get("x-rate-remaining"));
        expect(remaining).toBeGreaterThanOrEqual(0);
        expect(remaining).toBeLessThanOrEqual(100);

        shop.answer("getItem", { example: "dear" });
        expect(await (await get("/items/3")).json()).toEqual({ id: 2, name: "pen", price: 95 });
        expect(() => shop.answer("getItem", { example: "free" })).toThrow(
            new AnswerError('getItem: the 200 response has no example "free"; it has "cheap", "dear"'),
        );
        expect(() => shop.answer("nope", {})).toThrow(/the spec has no operation "nope"/);
    });

    it("generates data from the schema when there is no example: valid by the spec (checked by Ajv too), the same bytes for the same seed", async () => {
        const bodies = async (seed: string) => {
            const mock = await createMockServer(SHOP_FILE, { seed });
            try {
                return Buffer.from(await (await fetch(`${mock.url}/items`)).arrayBuffer());
            } finally {
                await mock.close();
            }
        };
        const one = await bodies("s1");
        expect(await bodies("s1")).toEqual(one);
        expect(await bodies("s2")).not.toEqual(one);
        const ajv = new Ajv2020({ strict: false, formats: { "date-time": true } });
        const document = parse(SHOP);
        const valid = ajv.compile({
            type: "array",
            minItems: 2,
            items: { $ref: "#/$defs/Item" },
            $defs: document.components.schemas,
        });
        const items = JSON.parse(one.toString());
        expect(valid(JSON.parse(JSON.stringify(items).replaceAll("#/components/schemas/", "#/$defs/")))).toBe(true);
        expect(items.length).toBeGreaterThanOrEqual(2);
    });

    it("serves paths under the server's base path too, and HEAD as GET without a body", async () => {
        expect((await get("/v1/items/3")).status).toBe(200);
        const head = await get("/items/3", auth, { method: "HEAD" });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe("");
    });

    it("answers as the test says: a status (with that response's example), Retry-After, headers, a body of its own", async () => {
        shop.answer("getItem", { status: 404 }, { status: 503, retryAfter: 7, headers: { "x-extra": "1" } }, {
            body: { id: 9, name: "given", price: 1 },
        });
        const missing = await get("/items/3");
        expect([missing.status, missing.headers.get("content-type"), await missing.json()]).toEqual([
            404,
            "application/problem+json",
            { title: "No such item" },
        ]);
        const busy = await get("/items/3");
        expect([busy.status, busy.headers.get("retry-after"), busy.headers.get("x-extra"), await busy.text()]).toEqual([
            503,
            "7",
            "1",
            "",
        ]);
        expect(await (await get("/items/3")).json()).toEqual({ id: 9, name: "given", price: 1 });
        // The queue is spent: the spec's answer again.
        expect((await (await get("/items/3")).json()).name).toBe("pencil");
    });

    it("a sequence drives a client's retry: first 503 with Retry-After, then 200", async () => {
        shop.answer("listItems", { status: 503, retryAfter: 0, times: 2 }, { status: 200 });
        const client = createApiClient({ baseUrl: shop.url, retry: { maxAttempts: 3, baseDelayMs: 1 } });
        const spec: OperationSpec = {
            method: "get",
            path: "/items",
            responses: { "200": ["application/json"] },
            errors: [],
            idempotent: true,
        };
        const result = await callOperation(client, spec, undefined);
        expect(result.error).toBeUndefined();
        expect(shop.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    });

    it("drops the connection before the response or in the middle of the body; delays an answer", async () => {
        const client = createApiClient({ baseUrl: shop.url, retry: false });
        const spec: OperationSpec = {
            method: "get",
            path: "/items",
            responses: { "200": ["application/json"] },
            errors: [],
            idempotent: true,
        };
        shop.answer("listItems", { drop: true }, { drop: "mid-body" }, { delayMs: 5_000 });
        expect((await callOperation(client, spec, undefined)).error?.kind).toBe("network");
        expect((await callOperation(client, spec, undefined)).error?.kind).toMatch(/network|invalid-response/);
        expect((await callOperation(client, spec, undefined, { timeoutMs: 100 })).error?.kind).toBe("timeout");
        expect(shop.requests.map((r) => r.status)).toEqual([undefined, 200, undefined]);
    });

    it("lets a handler answer any request first, and records every request's bytes and what was read from them", async () => {
        shop.handle((request) => (request.operation === "putItem" ? { status: 204 } : undefined));
        const response = await get("/items/5", auth, {
            method: "PUT",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "name=blue+pen&price=2.5",
        });
        expect(response.status).toBe(204);
        const [request] = shop.requests;
        expect(request!.body).toEqual(Buffer.from("name=blue+pen&price=2.5"));
        expect(request!.rawHeaders).toContain("x-api-key");
        expect(request).toMatchObject({
            operation: "putItem",
            params: { path: { itemId: 5 } },
            parsedBody: { mediaType: "application/x-www-form-urlencoded", value: { name: "blue pen", price: 2.5 } },
            credentials: { key: "k1" },
            problems: [],
        });
    });
});

describe("the server", () => {
    it("listens on 127.0.0.1 on a port the OS assigns, and close() ends open connections and delayed answers at once", async () => {
        const mock = await createMockServer(SHOP_FILE);
        expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(mock.port).toBeGreaterThan(0);
        mock.answer("listItems", { delayMs: 60_000 });
        const pending = fetch(`${mock.url}/items`).then(() => "answered", () => "closed");
        await new Promise((resolve) => setTimeout(resolve, 50));
        await mock.close();
        expect(await pending).toBe("closed");
    });

    it(
        "never crashes: random requests and malformed HTTP each get an answer (or a closed connection), and it records no error of its own",
        async () => {
            const amity = await createMockServer(AMITY_SPEC);
            const port = amity.port;
            const raw = (bytes: string) =>
                new Promise<string>((resolve) => {
                    const socket = connect(port, "127.0.0.1");
                    let reply = "";
                    socket.on("data", (chunk) => (reply += chunk.toString("latin1")));
                    socket.on("error", () => resolve(reply));
                    socket.on("close", () => resolve(reply));
                    socket.setTimeout(5_000, () => socket.destroy());
                    socket.end(bytes);
                });
            const segment = fc.oneof(
                fc.constantFrom("api", "v4", "communities", "join", "me", "approve", "%", "%zz", "..", ""),
                fc.string(),
            );
            const request = fc.record({
                method: fc.constantFrom("GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS", "PATCH", "BREW"),
                path: fc.array(segment, { maxLength: 6 }).map((s) => `/${s.join("/")}`),
                query: fc.string(),
                auth: fc.constantFrom("", "Bearer t", "Bearer", "Basic !!"),
                type: fc.constantFrom(
                    "",
                    "application/json",
                    "text/plain",
                    "multipart/form-data; boundary=x",
                    "application/x-www-form-urlencoded",
                ),
                body: fc.oneof(fc.string(), fc.json(), fc.constant('{"userId":"u1"}')),
            });
            try {
                await fc.assert(
                    fc.asyncProperty(request, async (r) => {
                        const target = encodeURI(`${r.path}?${r.query}`).replace(/%25/g, "%");
                        const head = [`${r.method} ${target} HTTP/1.1`, "Host: x", "Connection: close"];
                        if (r.auth) head.push(`Authorization: ${r.auth}`);
                        if (r.type) head.push(`Content-Type: ${r.type}`);
                        const body = Buffer.from(r.body);
                        head.push(`Content-Length: ${body.length}`);
                        const reply = await raw(`${head.join("\r\n")}\r\n\r\n${r.body}`);
                        expect(reply).toMatch(/^HTTP\/1\.1 \d{3} /);
                    }),
                    { seed: 29, numRuns: 300 },
                );
                // Not HTTP at all.
                for (
                    const garbage of [
                        "\x00\x01\x02",
                        "GET / HTTP/9.9\r\n\r\n",
                        "GET /\r\n\r\n",
                        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                    ]
                ) {
                    expect(await raw(garbage)).toMatch(/^(HTTP\/1\.1 \d{3} |$)/);
                }
                expect(amity.errors).toEqual([]);
            } finally {
                await amity.close();
            }
        },
        120_000,
    );
});

describe("webhooks", () => {
    it("sends the spec's webhook to the integrator's endpoint, its body generated from the schema and checked against it", async () => {
        const receiver = await startRecordingServer();
        receiver.answer((_request, response) => response.writeHead(200).end("thanks"));
        try {
            const delivery = await shop.sendWebhook(`${receiver.url}/hooks/sold`, "itemSold", {
                sign: (body) => ({ "x-signature": String(body.length) }),
            });
            expect(delivery).toMatchObject({ status: 200, body: "thanks" });
            const [request] = receiver.requests;
            expect(request).toMatchObject({ method: "POST", url: "/hooks/sold" });
            expect(request!.headers["content-type"]).toBe("application/json");
            expect(request!.headers["x-signature"]).toBe(String(request!.body.length));
            expect(JSON.parse(request!.body.toString())).toEqual({
                itemId: expect.any(Number),
                at: expect.stringMatching(/^\d{4}-/),
            });
            await expect(shop.sendWebhook(receiver.url, "itemSold", { payload: { itemId: "x" } })).rejects.toThrow(
                /webhook itemSold: the payload does not match .*\/schema: \/at is required; \/itemId must be integer \(got string\)/,
            );
            await expect(shop.sendWebhook(receiver.url, "itemShipped")).rejects.toThrow(
                /describes no webhook "itemShipped" \(it has "itemSold"\)/,
            );
        } finally {
            await receiver.close();
        }
        const refused = await shop.sendWebhook("http://127.0.0.1:9/", "itemSold", { timeoutMs: 2_000 });
        expect(refused.error).toMatch(/ECONNREFUSED|fetch failed/);
    });
});
