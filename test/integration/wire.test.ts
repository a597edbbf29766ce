// Byte-exact calls through clients generated from the real documents in ../shared/corpus:
// each probe sends through the generated wrapper to the simulator of its document, which
// records the exact method, request target, headers and body bytes, checks the request
// against the spec (every probe must pass), and answers with the exact bytes the test gives.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApi, type GeneratedApi } from "../../codegen/pipeline.js";
import { writeOutput } from "../../codegen/output/workspace.js";
import { CORPUS, HAS_CORPUS } from "../support/fixtures.js";
import { createMockServer, type MockServer, type RecordedRequest } from "../../codegen/mock/index.js";

const DOCUMENTS = [
    "readme-file-uploads-3.0.yaml",
    "readme-multiple-mediatypes-3.0.yaml",
    "readme-parameters-style-3.1.yaml",
    "museum-3.1.yaml",
    "twilio-api-v2010-3.0.json",
    "openai-3.1.yaml",
];

type Generated = { readonly [name: string]: any };
const project = mkdtempSync(path.join(tmpdir(), "joinkit-wire-"));
const apis = new Map<string, { api: GeneratedApi; module: Generated; mock: MockServer }>();
/** The simulator of the document whose client was made last: what `recorded` and `answer` talk to. */
let server: MockServer;

beforeAll(async () => {
    if (!HAS_CORPUS) return;
    for (const file of DOCUMENTS) {
        const api = await generateApi(path.join(CORPUS, file));
        const dir = path.join(project, file.replace(/\.\w+$/, ""));
        await writeOutput(dir, api.files);
        const mock = await createMockServer(path.join(CORPUS, file), { displayName: file });
        apis.set(file, { api, module: await import(path.join(dir, "index.ts")), mock });
    }
}, 600_000);
afterAll(async () => {
    for (const { mock } of apis.values()) {
        expect(mock.errors).toEqual([]);
        await mock.close();
    }
});

// Requests openapi-fetch made for the wrappers: counted by a middleware on each client's
// openapi-fetch client, which sees them without changing a byte.
let carried = 0;

/** The generated client for a corpus document, pointed at its simulator, and its wrapper for an operationId. */
function client(file: string, options: Record<string, unknown> = {}) {
    const { api, module, mock } = apis.get(file)!;
    server = mock;
    server.handle(undefined);
    const instance = module.createClient({ baseUrl: server.url, retry: false, ...options });
    instance.raw.use({ onRequest: () => void carried++ });
    const call = (operationId: string, init?: unknown, callOptions?: unknown) => {
        // An operation without an operationId is named by "METHOD /path".
        const op = api.model.operations.find((o) =>
            o.operationId === operationId || `${o.method.toUpperCase()} ${o.path}` === operationId
        );
        if (!op) throw new Error(`${file} has no operation ${operationId}`);
        return module[op.name](instance, init, callOptions);
    };
    return call;
}

/** Calls and returns the request the server recorded and the result. */
async function recorded(run: () => Promise<any>): Promise<{ request: RecordedRequest; result: any }> {
    const before = server.requests.length;
    const carriedBefore = carried;
    const result = await run();
    expect(server.requests.length, JSON.stringify(result.error)).toBe(before + 1);
    expect(carried - carriedBefore, "requests through openapi-fetch").toBe(1);
    const request = server.requests.at(-1)!;
    // The request is what the document allows, as the simulator reads it.
    expect(request.problems).toEqual([]);
    return { request, result };
}

function answer(status: number, contentType: string | undefined, body: string | Uint8Array | string[]) {
    server.handle(() => ({
        status,
        ...(contentType ? { contentType } : {}),
        // Pieces are written one at a time, so the client sees them as separate chunks.
        ...(Array.isArray(body) ? { chunks: body } : { body: Buffer.from(body) }),
    }));
}

function boundaryOf(request: RecordedRequest): string {
    const match = /^multipart\/form-data; boundary=(.+)$/.exec(request.headers["content-type"] ?? "");
    expect(match, request.headers["content-type"]).not.toBeNull();
    return match![1]!;
}

// Every byte value, including ones that are not UTF-8: a text decode anywhere would change them.
const PNG = Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...Array.from({ length: 256 }, (_, i) => i),
    0xff,
    0xfe,
    0x00,
]);

describe.skipIf(!HAS_CORPUS)("request bodies by media type", () => {
    it("readme-file-uploads: image/png bodies go out byte for byte, from a Uint8Array, a Blob, an ArrayBuffer or a stream", async () => {
        const call = client("readme-file-uploads-3.0.yaml");
        const bodies = [
            PNG,
            new Blob([PNG]),
            PNG.slice().buffer,
            new ReadableStream({
                start: (c) => (c.enqueue(PNG.subarray(0, 10)), c.enqueue(PNG.subarray(10)), c.close()),
            }),
        ];
        for (const body of bodies) {
            const { request, result } = await recorded(() => call("POST /anything/image-png", { body }));
            expect(result.error).toBeUndefined();
            expect(request.method).toBe("POST");
            expect(request.url).toBe("/anything/image-png");
            expect(request.headers["content-type"]).toBe("image/png");
            expect(Buffer.compare(request.body, Buffer.from(PNG))).toBe(0);
        }
    });

    it("readme-file-uploads: multipart/form-data with a file part, text parts and repeated file parts", async () => {
        const call = client("readme-file-uploads-3.0.yaml");
        const file = new File([PNG], "scan.png", { type: "image/png" });
        const { request } = await recorded(() =>
            call("POST /anything/multipart-formdata", { body: { orderId: 7, userId: 42, documentFile: file } })
        );
        expect(request.url).toBe("/anything/multipart-formdata");
        const b = boundaryOf(request);
        expect(request.body).toEqual(
            Buffer.concat([
                Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="orderId"\r\n\r\n7\r\n`),
                Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="userId"\r\n\r\n42\r\n`),
                Buffer.from(
                    `--${b}\r\nContent-Disposition: form-data; name="documentFile"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`,
                ),
                Buffer.from(PNG),
                Buffer.from(`\r\n--${b}--\r\n`),
            ]),
        );
        const parsed = await new Response(new Uint8Array(request.body), {
            headers: { "Content-Type": request.headers["content-type"]! },
        }).formData();
        expect(parsed.get("orderId")).toBe("7");
        expect(Buffer.from(await (parsed.get("documentFile") as File).arrayBuffer())).toEqual(Buffer.from(PNG));

        const put = await recorded(() =>
            call("PUT /anything/multipart-formdata", {
                body: { filename: [new Blob(["one"]), new Blob(["two"], { type: "text/plain" })] },
            })
        );
        const b2 = boundaryOf(put.request);
        expect(put.request.method).toBe("PUT");
        expect(put.request.body.toString("latin1")).toBe(
            `--${b2}\r\nContent-Disposition: form-data; name="filename"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\none\r\n`
                + `--${b2}\r\nContent-Disposition: form-data; name="filename"; filename="blob"\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--${b2}--\r\n`,
        );
    });

    it("readme-parameters-style: multipart fields with an explicit style are written as form fields, one part each", async () => {
        const call = client("readme-parameters-style-3.1.yaml");
        const body = { primitive: "a b", array: ["x", "y"], object: { foo: "1", bar: "2" } };
        const parts = async (operationId: string) => {
            const { request } = await recorded(() => call(operationId, { body }));
            const parsed = await new Response(new Uint8Array(request.body), {
                headers: { "Content-Type": request.headers["content-type"]! },
            }).formData();
            return [...parsed.entries()];
        };
        expect(await parts("formData_standard")).toEqual([
            ["primitive", "a b"],
            ["array", "x"],
            ["array", "y"],
            ["object", '{"foo":"1","bar":"2"}'],
        ]);
        expect(await parts("formData_form_nonExploded")).toEqual([
            ["primitive", "a b"],
            ["array", "x,y"],
            ["object", "foo,1,bar,2"],
        ]);
        expect(await parts("form_data_form_exploded")).toEqual([
            ["primitive", "a b"],
            ["array", "x"],
            ["array", "y"],
            ["foo", "1"],
            ["bar", "2"],
        ]);
        const pipe = await recorded(() => call("form_data_pipeDelimited_nonExploded", { body: { array: ["x", "y"] } }));
        expect(pipe.request.body.toString()).toContain('name="array"\r\n\r\nx|y\r\n');
    });

    it("twilio: form-urlencoded with basic auth, arrays repeated, spaces as +, unicode percent-encoded", async () => {
        // An account SID as the document's pattern has it (^AC[0-9a-fA-F]{32}$).
        const SID = `AC${"0123456789abcdef".repeat(2)}`;
        const call = client("twilio-api-v2010-3.0.json", {
            credentials: { accountSid_authToken: { username: "AC123", password: "s3cret" } },
        });
        answer(201, "application/json", '{"sid":"SM1","body":"héllo wörld"}');
        const { request, result } = await recorded(() =>
            call("CreateMessage", {
                params: { path: { AccountSid: SID } },
                body: {
                    To: "+15551234567",
                    From: "+15557654321",
                    Body: "héllo wörld & more=yes*~",
                    MediaUrl: ["https://a.example/1.png", "https://a.example/2.png"],
                    SendAsMms: true,
                },
            })
        );
        expect(request.method).toBe("POST");
        expect(request.url).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
        expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
        expect(request.headers.authorization).toBe(`Basic ${Buffer.from("AC123:s3cret").toString("base64")}`);
        const expected = new URLSearchParams([
            ["To", "+15551234567"],
            ["From", "+15557654321"],
            ["Body", "héllo wörld & more=yes*~"],
            ["MediaUrl", "https://a.example/1.png"],
            ["MediaUrl", "https://a.example/2.png"],
            ["SendAsMms", "true"],
        ]).toString();
        expect(request.body.toString()).toBe(expected);
        expect(result.data).toEqual({ sid: "SM1", body: "héllo wörld" });
    });

    it("openai: multipart with a file and fields; per-part content types from encoding; the caller picks application/sdp", async () => {
        const call = client("openai-3.1.yaml", { credentials: { ApiKeyAuth: "sk-test" } });
        answer(200, "application/json", '{"text":"hi"}');
        const audio = new File([PNG], "a.wav", { type: "audio/wav" });
        const { request, result } = await recorded(() =>
            call("createTranscription", {
                body: { file: audio, model: "gpt-4o-transcribe", temperature: 0.5, include: ["logprobs"] },
            })
        );
        expect(request.url).toBe("/audio/transcriptions");
        expect(request.headers.authorization).toBe("Bearer sk-test");
        const b = boundaryOf(request);
        expect(request.body).toEqual(
            Buffer.concat([
                Buffer.from(
                    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
                ),
                Buffer.from(PNG),
                Buffer.from(`\r\n--${b}\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-4o-transcribe\r\n`),
                Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="temperature"\r\n\r\n0.5\r\n`),
                Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="include"\r\n\r\nlogprobs\r\n--${b}--\r\n`),
            ]),
        );
        expect(result.data).toEqual({ text: "hi" });

        answer(201, "application/sdp", "v=0\r\no=- answer\r\n");
        const multipart = await recorded(() =>
            call("create-realtime-call", {
                body: { sdp: "v=0\r\no=- offer\r\n", session: { type: "realtime", model: "gpt-realtime" } },
            })
        );
        const b2 = boundaryOf(multipart.request);
        expect(multipart.request.body.toString()).toBe(
            `--${b2}\r\nContent-Disposition: form-data; name="sdp"\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=- offer\r\n\r\n`
                + `--${b2}\r\nContent-Disposition: form-data; name="session"\r\nContent-Type: application/json\r\n\r\n{"type":"realtime","model":"gpt-realtime"}\r\n--${b2}--\r\n`,
        );
        expect(multipart.result.data).toBe("v=0\r\no=- answer\r\n");

        const sdp = await recorded(() =>
            call("create-realtime-call", { contentType: "application/sdp", body: "v=0\r\no=- offer\r\n" })
        );
        expect(sdp.request.headers["content-type"]).toBe("application/sdp");
        expect(sdp.request.body.toString()).toBe("v=0\r\no=- offer\r\n");

        const wrong = await call("create-realtime-call", { contentType: "text/plain", body: "x" });
        expect(wrong.error).toMatchObject({ kind: "invalid-request", field: "init.contentType" });
    });
});

describe.skipIf(!HAS_CORPUS)("responses decoded by the Content-Type received", () => {
    it("museum: an image/png ticket code arrives as a Blob with every byte intact (or an ArrayBuffer on request)", async () => {
        const call = client("museum-3.1.yaml", {
            credentials: { MuseumPlaceholderAuth: { username: "u", password: "p" } },
        });
        answer(200, "image/png", PNG);
        const { request, result } = await recorded(() =>
            call("getTicketCode", { params: { path: { ticketId: "a54a57ca-36f8-421b-a6b4-2e8f26858a4c" } } })
        );
        expect(request.method).toBe("GET");
        expect(request.url).toBe("/tickets/a54a57ca-36f8-421b-a6b4-2e8f26858a4c/qr");
        expect(request.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
        expect(result.data).toBeInstanceOf(Blob);
        expect(result.data.type).toBe("image/png");
        expect(new Uint8Array(await result.data.arrayBuffer())).toEqual(PNG);

        const asBuffer = await call("getTicketCode", {
            params: { path: { ticketId: "a54a57ca-36f8-421b-a6b4-2e8f26858a4c" } },
        }, {
            parseAs: "arrayBuffer",
        });
        expect(asBuffer.data).toBeInstanceOf(ArrayBuffer);
        expect(new Uint8Array(asBuffer.data)).toEqual(PNG);
    });

    it("readme-multiple-mediatypes: text/plain, JSON and XML on statuses that declare them, each decoded as its own type", async () => {
        const call = client("readme-multiple-mediatypes-3.0.yaml");
        const body = { "string (format: date)": "2024-01-02" };
        answer(200, "text/plain; charset=utf-8", "OK");
        const text = await recorded(() => call("POST /multiple-types-multiple-examples", { body }));
        expect(text.request.headers["content-type"]).toBe("application/json");
        expect(text.request.body.toString()).toBe('{"string (format: date)":"2024-01-02"}');
        expect(text.result).toMatchObject({ data: "OK", error: undefined });

        answer(200, "application/json", '{"name":"Fluffy","petType":"Cat"}');
        expect((await call("POST /multiple-types-multiple-examples", { body })).data).toEqual({
            name: "Fluffy",
            petType: "Cat",
        });

        const xml = '<?xml version="1.0" encoding="UTF-8"?><note><to>Tove</to></note>';
        answer(400, "application/xml", xml);
        const failed = await call("POST /multiple-types-multiple-examples", { body });
        expect(failed.error).toMatchObject({ kind: "http", status: 400, body: xml });

        answer(200, "text/html", "<p>proxy</p>");
        const undeclared = await call("POST /multiple-types-multiple-examples", { body });
        expect(undeclared.error).toMatchObject({ kind: "invalid-response", body: "<p>proxy</p>" });

        answer(200, "application/json", '{"name":"Puma"}');
        expect((await call("GET /single-type-single-example", undefined, { parseAs: "text" })).data).toBe(
            '{"name":"Puma"}',
        );
    });

    it("openai: text/event-stream as an async iterable of typed events, parsed as chunks arrive", async () => {
        const call = client("openai-3.1.yaml", { credentials: { ApiKeyAuth: "sk-test" } });
        // Split mid-line, mid-CRLF and mid-character, with a comment and a multi-line event.
        answer(200, "text/event-stream", [
            ': keep-alive\r\n\r\ndata: {"id":"c1","choices":[{"delta":{"content":"Hé',
            'llo"}}]}\r',
            "\n\r\nevent: note\nid: 7\ndata: line one\ndata: line two\n\n",
            "data: [DONE]\n\ndata: never ended",
        ]);
        const { request, result } = await recorded(() =>
            call("createChatCompletion", {
                body: { model: "gpt-4o", stream: true, messages: [{ role: "user", content: "Hi" }] },
            })
        );
        expect(request.body.toString()).toBe(
            '{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}',
        );
        const events: unknown[] = [];
        for await (const event of result.data) events.push({ event: event.event, data: event.data, id: event.id });
        expect(events).toEqual([
            { event: "message", data: '{"id":"c1","choices":[{"delta":{"content":"Héllo"}}]}', id: undefined },
            { event: "note", data: "line one\nline two", id: "7" },
            { event: "message", data: "[DONE]", id: "7" },
        ]);

        answer(200, "application/json", '{"id":"c2","object":"chat.completion"}');
        const plain = await call("createChatCompletion", {
            body: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] },
        });
        expect(plain.data).toEqual({ id: "c2", object: "chat.completion" });
    });

    it("openai: an event stream ends with EventStreamError when the caller aborts, or when nothing arrives for timeoutMs", async () => {
        const call = client("openai-3.1.yaml", { credentials: { ApiKeyAuth: "sk-test" } });
        // One event, then nothing until the client gives up.
        server.handle(() => ({
            status: 200,
            contentType: "text/event-stream",
            chunks: ["data: first\n\n"],
            keepOpen: true,
        }));
        const body = { model: "gpt-4o", stream: true, messages: [{ role: "user", content: "Hi" }] };
        const controller = new AbortController();
        const aborted = await call("createChatCompletion", { body }, { signal: controller.signal });
        const seen: string[] = [];
        const failure = await (async () => {
            try {
                for await (const event of aborted.data) {
                    seen.push(event.data);
                    controller.abort();
                }
            } catch (error) {
                return error;
            }
        })();
        expect(seen).toEqual(["first"]);
        expect(failure).toMatchObject({ name: "EventStreamError", error: { kind: "aborted" } });

        const idle = await call("createChatCompletion", { body }, { timeoutMs: 300 });
        const timedOut = await (async () => {
            try {
                for await (const _ of idle.data) void _;
            } catch (error) {
                return error;
            }
        })();
        expect(timedOut).toMatchObject({ name: "EventStreamError", error: { kind: "timeout", timeoutMs: 300 } });
    });

    it("openai: application/octet-stream speech arrives as bytes; the same operation's event stream as events", async () => {
        const call = client("openai-3.1.yaml", { credentials: { ApiKeyAuth: "sk-test" } });
        answer(200, "application/octet-stream", PNG);
        const speech = await call("createSpeech", { body: { model: "gpt-4o-mini-tts", input: "hi", voice: "alloy" } });
        expect(new Uint8Array(await speech.data.arrayBuffer())).toEqual(PNG);
        answer(200, "text/event-stream", ['data: {"type":"speech.audio.done"}\n\n']);
        const stream = await call("createSpeech", {
            body: { model: "gpt-4o-mini-tts", input: "hi", voice: "alloy", stream_format: "sse" },
        });
        const events = [];
        for await (const event of stream.data) events.push(event.json());
        expect(events).toEqual([{ type: "speech.audio.done" }]);
    });
});

describe.skipIf(!HAS_CORPUS)("parameters by style (readme-parameters-style)", () => {
    it("sends path, query, header and cookie parameters in every style the document uses", async () => {
        const call = client("readme-parameters-style-3.1.yaml");
        const values = { primitive: "a b", array: ["x", "y"], object: { foo: "1", bar: "2" } };
        const url = async (operationId: string, location: "path" | "query") =>
            (await recorded(() => call(operationId, { params: { [location]: values } }))).request.url;
        expect(await url("paths_standard", "path")).toBe("/anything/path/a%20b/x,y/foo,1,bar,2");
        expect(await url("paths_matrix_nonExploded", "path")).toBe(
            "/anything/path/matrix/;primitive=a%20b/;array=x,y/;object=foo,1,bar,2",
        );
        expect(await url("paths_matrix_exploded", "path")).toBe(
            "/anything/path/matrix/;primitive=a%20b/;array=x;array=y/;foo=1;bar=2",
        );
        expect(await url("paths_label_nonExploded", "path")).toBe("/anything/path/label/.a%20b/.x,y/.foo,1,bar,2");
        expect(await url("paths_label_exploded", "path")).toBe("/anything/path/label/.a%20b/.x.y/.foo=1.bar=2");
        expect(await url("paths_simple_exploded", "path")).toBe("/anything/path/simple/a%20b/x,y/foo=1,bar=2");
        expect(await url("query_standard", "query")).toBe(
            "/anything/query?primitive=a%20b&array=x&array=y&foo=1&bar=2",
        );
        expect(await url("query_form_nonExploded", "query")).toBe(
            "/anything/query/form?primitive=a%20b&array=x,y&object=foo,1,bar,2",
        );
        const { primitive: _p, ...noPrimitive } = values;
        const query = async (operationId: string, given: object) =>
            (await recorded(() => call(operationId, { params: { query: given } }))).request.url;
        expect(await query("query_spaceDelimited_nonExploded", noPrimitive)).toBe(
            "/anything/query/spaceDelimited?array=x%20y&object=foo%201%20bar%202",
        );
        expect(await query("query_pipeDelimited_nonExploded", noPrimitive)).toBe(
            "/anything/query/pipeDelimited?array=x|y&object=foo|1|bar|2",
        );
        expect(await query("query_deepObject_nonExploded", { object: values.object })).toBe(
            "/anything/query/deepObject?object[foo]=1&object[bar]=2",
        );

        const headers = (await recorded(() =>
            call("headers_simple_exploded", { params: { header: values } })
        )).request.headers;
        expect([headers.primitive, headers.array, headers.object]).toEqual(["a b", "x,y", "foo=1,bar=2"]);
        const cookie = async (operationId: string) =>
            (await recorded(() => call(operationId, { params: { cookie: values } }))).request;
        const nonExploded = await cookie("cookies_form_nonExploded");
        expect(nonExploded.url).toBe("/cookies");
        expect(nonExploded.headers.cookie).toBe("primitive=a%20b; array=x,y; object=foo,1,bar,2");
        expect((await cookie("cookies_form_exploded")).headers.cookie).toBe(
            "primitive=a%20b; array=x&array=y; foo=1&bar=2",
        );
    });
});
