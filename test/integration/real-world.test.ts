import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApi, type GeneratedApi } from "../../codegen/pipeline.js";
import { isSpecFile, writeOutput } from "../../codegen/output/workspace.js";
import { ROOT, CORPUS, HAS_CORPUS } from "../support/fixtures.js";
import { typecheck } from "../support/typecheck.js";

const FIXTURES = path.join(ROOT, "test/fixtures/specs");

// Operations per corpus document (its README's table). A document added to the corpus is
// generated and type-checked too; it only has no exact count to compare with.
const CORPUS_OPERATIONS: Record<string, number> = {
    "petstore-like-simple-3.1.yaml": 6,
    "github-ghes-3.6-diff-3.0.json": 155,
    "digitalocean-3.0.yaml": 408,
    "openai-3.1.yaml": 288,
    "twilio-api-v2010-3.0.json": 197,
    "readme-parameters-style-3.1.yaml": 25,
    "readme-file-uploads-3.0.yaml": 3,
    "readme-multiple-mediatypes-3.0.yaml": 4,
    "museum-3.1.yaml": 8,
    "swagger2-redoc-demo.yaml": 20,
    "oai-tags-3.2.yaml": 4,
};

const documents: { file: string; operations?: number }[] = [
    ...(HAS_CORPUS ? readdirSync(CORPUS) : [])
        .filter((name) => isSpecFile(name))
        .sort()
        .map((name) => ({ file: path.join(CORPUS, name), operations: CORPUS_OPERATIONS[name] })),
    { file: path.join(FIXTURES, "kitchen-sink-3.1.yaml"), operations: 5 },
    { file: path.join(FIXTURES, "kitchen-sink-3.0.yaml"), operations: 3 },
    { file: path.join(FIXTURES, "hostile-names.yaml"), operations: 10 },
    { file: path.join(FIXTURES, "compile-traps-3.0.yaml"), operations: 4 },
    { file: path.join(FIXTURES, "compile-traps-3.1.yaml"), operations: 2 },
    { file: path.join(FIXTURES, "security-3.0.yaml"), operations: 7 },
];

/**
 * Code a user writes against the generated clients: it must compile, and each
 * `@ts-expect-error` must meet an error (tsc fails on an unused one).
 */
const USAGE = `
import * as openai from "./openai-3.1/index.js";
import * as traps from "./compile-traps-3.0/index.js";
import * as traps31 from "./compile-traps-3.1/index.js";

const ai = openai.createClient({ secrets: [] });
// OpenAI's chat request: role keeps its enum literal, fields with defaults are optional.
void openai.createChatCompletion(ai, { body: { model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] } });

const client = traps.createClient({ baseUrl: "https://example.com/api/v1" });
void traps.createTag(client, { body: { label: "defaults are optional in requests" } });
void traps.sendMessages(client, { body: { model: "m", messages: [{ role: "user", content: "hi" }, { role: "system", content: "s" }] } });
// @ts-expect-error the discriminator's value is the enum literal, not the schema name
void traps.sendMessages(client, { body: { model: "m", messages: [{ role: "UserMessage", content: "hi" }] } });
const cat: traps.Cat = { petType: "cat", purrs: true };
// @ts-expect-error a Dog's petType is "dog"
const dog: traps.Dog = { petType: "cat" };
const owned: traps.Owned = { id: "1", owner: "me" };
// @ts-expect-error required outside the nullable base still applies
const unowned: traps.Owned = { owner: "me" };
const tagLabel: traps.Tag["label"] = "refs into a component's inside are inlined";
// @ts-expect-error a relative server URL needs a baseUrl
traps.createClient({});
// @ts-expect-error so does a protocol-relative one
traps31.createClient();
const owned31: traps31.Owned = { id: "1", owner: "me", name: null };
void traps31.putOwned(traps31.createClient({ baseUrl: "https://api.example.com/v1" }), { body: {} });
import * as security from "./security-3.0/index.js";
security.createClient({ credentials: { bearer: "t", basic: { username: "u", password: "p" }, headerKey: "k", oauth: "o" } });
// @ts-expect-error basic auth takes a username and password
security.createClient({ credentials: { basic: "user:password" } });
// @ts-expect-error digest is not a scheme joinkit can apply, so it takes no credential
security.createClient({ credentials: { digest: "x" } });
// Bodies and results typed by media type.
import * as uploads from "./readme-file-uploads-3.0/index.js";
import * as media from "./readme-multiple-mediatypes-3.0/index.js";
import * as museum from "./museum-3.1/index.js";
import type { EventStream } from "joinkit/runtime";
const up = uploads.createClient();
void uploads.postAnythingImagePng(up, { body: new Uint8Array([1]) });
void uploads.postAnythingImagePng(up, { body: new Blob([]) });
// @ts-expect-error an image/png body is bytes, not an object
void uploads.postAnythingImagePng(up, { body: { png: 1 } });
void uploads.postAnythingMultipartFormdata(up, { body: { orderId: 1, documentFile: new Blob([]) } });
// @ts-expect-error orderId is an integer, also in a multipart body
void uploads.postAnythingMultipartFormdata(up, { body: { orderId: "1" } });
void uploads.putAnythingMultipartFormdata(up, { body: { filename: [new Blob([]), new Blob([])] } });
void openai.createRealtimeCall(ai, { contentType: "application/sdp", body: "v=0" });
void openai.createRealtimeCall(ai, { body: { sdp: "v=0" } });
// @ts-expect-error application/sdp takes the offer as a string
void openai.createRealtimeCall(ai, { contentType: "application/sdp", body: { sdp: "v=0" } });
// @ts-expect-error only the declared media types can be picked
void openai.createRealtimeCall(ai, { contentType: "text/plain", body: "v=0" });
async function results() {
    const ticket = await museum.getTicketCode(museum.createClient(), { params: { path: { ticketId: "t" } } });
    if (ticket.data) {
        const blob: Blob = ticket.data;
        void blob;
    }
    const bytes = await museum.getTicketCode(museum.createClient(), { params: { path: { ticketId: "t" } } }, { parseAs: "arrayBuffer" });
    if (bytes.data) {
        const buffer: ArrayBuffer = bytes.data;
        void buffer;
    }
    const chat = await openai.createChatCompletion(ai, { body: { model: "m", stream: true, messages: [{ role: "user", content: "Hi" }] } });
    if (chat.data && typeof chat.data === "object" && Symbol.asyncIterator in chat.data) {
        const stream: EventStream<openai.CreateChatCompletionStreamResponse> = chat.data;
        for await (const event of stream) void event.json().choices;
    } else if (chat.data) {
        void chat.data.choices;
    }
    const text = await media.postMultipleTypesMultipleExamples(media.createClient(), { body: {} }, { parseAs: "text" });
    if (text.data !== undefined) {
        const body: string = text.data;
        void body;
    }
}
void results;
export { cat, dog, owned, unowned, tagLabel, owned31 };
`;

const project = mkdtempSync(path.join(tmpdir(), "joinkit-real-"));
const generated = new Map<string, GeneratedApi & { ms: number }>();
const report: string[] = [];

describe("real-world and edge-case documents", () => {
    beforeAll(async () => {
        for (const { file } of documents) {
            const started = performance.now();
            const api = await generateApi(file, { displayName: path.basename(file) });
            const ms = Math.round(performance.now() - started);
            generated.set(file, { ...api, ms });
            await writeOutput(path.join(project, path.basename(file).replace(/\.\w+$/, "")), api.files);
            report.push(
                `${
                    path.basename(file)
                }: ${api.model.operations.length} of ${api.model.operationsFound} operations emitted, `
                    + `${api.model.catalogues.length} error catalogues, ${api.warnings.length} warnings, ${ms} ms`,
            );
        }
    }, 600_000);
    afterAll(() => console.log(`\n${report.join("\n")}`));

    it.each(documents)("emits every operation of $file", ({ file, operations }) => {
        const api = generated.get(file)!;
        const expected = operations ?? api.model.operationsFound;
        expect(expected).toBeGreaterThan(0);
        expect(api.model.operationsFound).toBe(expected);
        expect(api.model.operations).toHaveLength(expected);
        const wrappers = api.files.get("operations.ts")!.match(/^export function /gm) ?? [];
        expect(wrappers).toHaveLength(expected);
    });

    // The usage code calls clients generated from the corpus documents.
    it.skipIf(!HAS_CORPUS)("type-checks every generated client, and code using them, under strict in one pass", () => {
        writeFileSync(path.join(project, "usage.ts"), USAGE);
        const result = typecheck(project);
        expect(result.output).toBe("");
        expect(result.ok).toBe(true);
    }, 300_000);

    it("reports what it could not use as warnings with a JSON pointer, not as failures", () => {
        const hostile = generated.get(path.join(FIXTURES, "hostile-names.yaml"))!;
        const dropped = hostile.warnings.filter((w) => w.rule === "enum-value");
        expect(dropped.map((w) => w.pointer)).toEqual([
            "#/paths/~1c~1{weird-param}~1{and.dots}/post/responses/400/content/application~1json/schema/properties/code/enum/3",
            "#/paths/~1c~1{weird-param}~1{and.dots}/post/responses/400/content/application~1json/schema/properties/code/enum/4",
        ]);
    });
});

describe("what any document gets", () => {
    const traps = () => generated.get(path.join(FIXTURES, "compile-traps-3.0.yaml"))!;

    it("exports a named type per component schema", () => {
        const schema = traps().files.get("schema.ts")!;
        expect(schema).toContain('export type Owned = components["schemas"]["Owned"];');
        expect(schema).toContain('export type UserMessage = components["schemas"]["UserMessage"];');
        // An error enum named after its component is that component's type already.
        expect(traps().model.schemaTypes.map((t) => t.name)).not.toContain("ErrorCode");
    });

    it("names a shared error catalogue after its component, not after the first operation using it", () => {
        const { catalogues, operations } = traps().model;
        expect(catalogues.map((c) => [c.name, c.pointer])).toEqual([
            ["ErrorCode", "#/components/schemas/Error/properties/code"],
            ["NotFoundErrorCode", "#/components/responses/NotFound/content/application~1json/schema/properties/code"],
        ]);
        const uses = (name: string) => operations.find((op) => op.name === name)!.errors.map((e) => e.catalogue);
        expect(uses("listTags")).toEqual(["ErrorCode"]);
        expect(uses("sendMessages")).toEqual(["ErrorCode", "NotFoundErrorCode"]);
        expect(uses("createTag")).toEqual(["NotFoundErrorCode"]);
    });

    it(
        "emits catalogues as `as const` objects on request, which compile under erasableSyntaxOnly where enums do not",
        async () => {
            const file = path.join(FIXTURES, "compile-traps-3.0.yaml");
            const dir = mkdtempSync(path.join(tmpdir(), "joinkit-const-"));
            const asConst = await generateApi(file, { enums: "const" });
            await writeOutput(path.join(dir, "const"), asConst.files);
            writeFileSync(
                path.join(dir, "use.ts"),
                `import { ErrorCode } from "./const/errors.js";
const code: ErrorCode = ErrorCode.RateLimited;
export const known = code === "rate_limited";
`,
            );
            expect(asConst.files.get("errors.ts")).toContain(
                "export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];",
            );
            const erasable = typecheck(dir, ["use.ts"], { erasableSyntaxOnly: true });
            expect(erasable.output).toBe("");
            expect(Object.values(await importTs(asConst.files.get("errors.ts")!, "NotFoundErrorCode"))).toEqual([
                "missing",
                "gone",
            ]);

            await writeOutput(path.join(dir, "enum"), traps().files);
            expect(typecheck(dir, ["enum/errors.ts"], { erasableSyntaxOnly: true }).output).toMatch(/TS1294/);
        },
        120_000,
    );

    it("requires an absolute baseUrl when the spec's server URL is relative or protocol-relative, naming that URL", async () => {
        const relative = await importGenerated("compile-traps-3.0");
        expect(() => relative.createClient({})).toThrow(
            'Compile traps 3.0 1: the spec\'s server URL "/api/v1" is not absolute, so createClient needs an absolute baseUrl such as "https://api.example.com/api/v1"; got undefined',
        );
        expect(() => relative.createClient({ baseUrl: "/api/v1" })).toThrow(/got "\/api\/v1"/);
        expect(relative.createClient({ baseUrl: "https://example.com/api/v1" }).raw).toBeDefined();
        const protocolRelative = await importGenerated("compile-traps-3.1");
        expect(() => protocolRelative.createClient({})).toThrow(
            /server URL "\/\/api\.example\.com\/v1" is not absolute/,
        );
        const swagger = generated.get(path.join(CORPUS, "swagger2-redoc-demo.yaml"));
        if (swagger) {
            expect(swagger.files.get("index.ts")).toMatch(
                /options: ClientOptions & \{ credentials\?: Credentials \} & \{ baseUrl: string \}/,
            );
        }
    });

    it("converts Swagger 2.0 with swagger2openapi and reads OpenAPI 3.2, locating what it reports", () => {
        const swagger = generated.get(path.join(CORPUS, "swagger2-redoc-demo.yaml"));
        const tags32 = generated.get(path.join(CORPUS, "oai-tags-3.2.yaml"));
        if (!swagger || !tags32) return; // the corpus no longer holds them
        expect(swagger.model.servers[0]?.url).toBe("//petstore.swagger.io/v2");
        for (const warning of swagger.warnings.filter((w) => w.pointer?.startsWith("#/paths"))) {
            expect(warning.line).toBeUndefined();
            expect(warning.message).toContain("(in the OpenAPI 3.0 conversion of this Swagger 2.0 document)");
        }
        expect(tags32.model.operations.map((op) => op.name)).toEqual([
            "getFlights",
            "getFlightsInternational",
            "getFlightsDomestic",
            "getFlightsDelayed",
        ]);
        expect(tags32.warnings.every((w) => w.severity === "warning" && w.line !== undefined)).toBe(true);
    });
});

describe("credentials from the spec's security schemes", () => {
    it("sends each credential the way its scheme says, only to operations whose security names it, and redacts it", async () => {
        const requests: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
        const server = createServer((request, response) => {
            const chunks: Buffer[] = [];
            request.on("data", (chunk: Buffer) => chunks.push(chunk));
            request.on("end", () => {
                requests.push({
                    method: request.method!,
                    url: request.url!,
                    headers: request.headers,
                    body: Buffer.concat(chunks).toString(),
                });
                if (request.url === "/v1/bearer") {
                    // A server that echoes the credential: the client must not hand it back.
                    response.writeHead(401, { "content-type": "text/plain" }).end(
                        `bad token ${request.headers.authorization}`,
                    );
                } else response.writeHead(204).end();
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const api = await importGenerated("security-3.0");
            const { port } = server.address() as AddressInfo;
            const client = api.createClient({
                baseUrl: `http://127.0.0.1:${port}/v1`,
                retry: false,
                credentials: {
                    bearer: "tok-123",
                    basic: { username: "ann", password: "pä55" },
                    headerKey: "key-1",
                    queryKey: "q k",
                    cookieKey: "c=1",
                    openId: "oidc-9",
                },
            });
            const bearer = await api.withBearer(client);
            await api.withBasic(client);
            await api.withHeaderKey(client, { body: { a: 1 } });
            await api.withQueryKey(client, { params: { query: { page: 2 } }, body: { a: 2 } });
            await api.withCookieKey(client, { headers: { cookie: "theme=dark" } });
            await api.withEither(client);
            await api.anonymous(client);
            const seen = requests.map(({ method, url, headers, body }) => ({
                method,
                url,
                authorization: headers.authorization,
                key: headers["x-api-key"],
                cookie: headers.cookie,
                body,
            }));
            expect(seen).toEqual([
                {
                    method: "GET",
                    url: "/v1/bearer",
                    authorization: "Bearer tok-123",
                    key: undefined,
                    cookie: undefined,
                    body: "",
                },
                {
                    method: "GET",
                    url: "/v1/basic",
                    authorization: `Basic ${Buffer.from("ann:pä55").toString("base64")}`,
                    key: undefined,
                    cookie: undefined,
                    body: "",
                },
                {
                    method: "POST",
                    url: "/v1/key-in-header",
                    authorization: undefined,
                    key: "key-1",
                    cookie: undefined,
                    body: '{"a":1}',
                },
                {
                    method: "POST",
                    url: "/v1/key-in-query?page=2&api_key=q+k",
                    authorization: undefined,
                    key: undefined,
                    cookie: undefined,
                    body: '{"a":2}',
                },
                {
                    method: "GET",
                    url: "/v1/key-in-cookie",
                    authorization: undefined,
                    key: undefined,
                    cookie: "theme=dark; session=c%3D1",
                    body: "",
                },
                // No OAuth 2 token was given, so the OpenID Connect alternative is used.
                {
                    method: "GET",
                    url: "/v1/either",
                    authorization: "Bearer oidc-9",
                    key: undefined,
                    cookie: undefined,
                    body: "",
                },
                {
                    method: "GET",
                    url: "/v1/public",
                    authorization: undefined,
                    key: undefined,
                    cookie: undefined,
                    body: "",
                },
            ]);
            expect(JSON.stringify(bearer.error)).not.toContain("tok-123");
            expect(JSON.stringify(bearer.error)).toContain("[REDACTED]");
        } finally {
            server.close();
        }
    });

    it("refuses a credential for a scheme the spec does not declare or of the wrong shape", async () => {
        const api = await importGenerated("security-3.0");
        expect(() => api.createClient({ credentials: { nope: "x" } })).toThrow('Unknown security scheme "nope"');
        expect(() => api.createClient({ credentials: { basic: "user:pass" } })).toThrow(
            'The credential for "basic" must be { username, password }',
        );
    });
});

type Generated = { createClient: (options?: object) => { raw: unknown } } & { readonly [operation: string]: any };

/** Imports a generated client's index.ts from the type-checked project. */
async function importGenerated(name: string): Promise<Generated> {
    return import(path.join(project, name, "index.ts"));
}

describe("naming", () => {
    const hostile = () => generated.get(path.join(FIXTURES, "hostile-names.yaml"))!;

    it("renames reserved, invalid, colliding and missing operationIds, keeping usable ones as written", () => {
        expect(hostile().model.operations.map((op) => [op.operationId ?? `${op.method} ${op.path}`, op.name])).toEqual([
            ["delete", "delete_"],
            ["2fa-login", "_2faLogin"],
            ["class", "class_"],
            ["get/users", "getUsers3"],
            ["getUsers", "getUsers"],
            ["paths", "paths2"],
            ["GetUsers", "GetUsers"],
            ["getUsers", "getUsers2"],
            ["get /c/{weird-param}/{and.dots}", "getCByWeirdParamByAndDots"],
            ["mixedEnums", "mixedEnums"],
        ]);
    });

    it("keeps every enum value exactly, whatever its characters", async () => {
        const errors = hostile().files.get("errors.ts")!;
        const values = Object.values(await importTs(errors, "GetCByWeirdParamByAndDotsError"));
        expect(values).toEqual([
            "a b",
            "A-B",
            "",
            'quote " and backtick ` and ${x} and */ end',
            "new\nline",
            "emoji 🚀",
            "line\u2028separator",
            "constructor",
            "__proto__",
        ]);
    });

    it("cannot be broken out of a comment or a string by spec text", async () => {
        const ts = await import("typescript");
        for (const [name, text] of hostile().files) {
            const file = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
            const identifiers: string[] = [];
            const visit = (node: import("typescript").Node): void => {
                if (ts.isIdentifier(node)) identifiers.push(node.text);
                ts.forEachChild(node, visit);
            };
            visit(file);
            // The spec's descriptions try to run injected(), alert(1) and console.log(); as code
            // they would be identifiers, inside comments and strings they are not.
            expect(identifiers, name).not.toContain("injected");
            expect(identifiers, name).not.toContain("alert");
            expect(identifiers, name).not.toContain("console");
        }
        expect(hostile().files.get("operations.ts")).toContain("Summary with *\\/ console.log('pwned') /*");
    });

    it("uses the spec's member names and descriptions from x-enum-varnames / x-enum-descriptions (array or map)", () => {
        const errors = generated.get(path.join(FIXTURES, "kitchen-sink-3.1.yaml"))!.files.get("errors.ts")!;
        expect(errors).toContain("/** The thing is not there. */\n    NotFound = 1,");
        expect(errors).toContain("Broken = 3,");
    });

    it("decodes more than one catalogue per operation, and default/5XX responses", () => {
        const ops = generated.get(path.join(FIXTURES, "kitchen-sink-3.1.yaml"))!.model.operations;
        const createPet = ops.find((op) => op.name === "createPet")!;
        expect(createPet.errors).toEqual([
            { status: "400", catalogue: "CreatePetError" },
            { status: "409", catalogue: "CreatePetErrorCode", field: "code" },
            { status: "5XX", catalogue: "ProblemCode", field: "code" },
        ]);
        expect(ops.find((op) => op.name === "getTree")!.errors).toEqual([]);
        expect(ops.find((op) => op.name === "health")!.deprecated).toBe(true);
    });

    it("bundles schemas from other files into components, keeping their names", () => {
        const schema = generated.get(path.join(FIXTURES, "kitchen-sink-3.1.yaml"))!.files.get("schema.ts")!;
        expect(schema).toMatch(/^ {8}PetReceipt: \{$/m);
        expect(schema).toContain('owner?: components["schemas"]["Owner"];');
    });
});

/** Loads a generated TypeScript file as JavaScript and returns one export. */
async function importTs(source: string, exportName: string): Promise<Record<string, unknown>> {
    const ts = await import("typescript");
    const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const module = await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`);
    return module[exportName];
}
