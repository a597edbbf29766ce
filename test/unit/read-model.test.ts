import { describe, expect, it } from "vitest";
import { readModel } from "../../codegen/model/index.js";

const op = (extra: Record<string, unknown>) => ({ responses: { "200": { description: "ok" } }, ...extra });
const doc = (paths: Record<string, unknown>, components: Record<string, unknown> = {}) => ({
    openapi: "3.1.0",
    info: { title: "T", version: "1" },
    paths,
    components,
});

describe("readModel: operation names", () => {
    it("prefers a spec's own operationId over a derived name that collides with it", () => {
        const model = readModel(
            doc({ "/users": { get: op({}) }, "/other": { get: op({ operationId: "getUsers" }) } }),
            "t.yaml",
        );
        expect(model.operations.map((o) => [o.path, o.name])).toEqual([
            ["/users", "getUsers2"],
            ["/other", "getUsers"],
        ]);
    });

    it("derives names from method and path, with path parameters as 'by'", () => {
        const model = readModel(doc({ "/users/{id}/posts": { delete: op({}) } }), "t.yaml");
        expect(model.operations[0]!.name).toBe("deleteUsersByIdPosts");
    });

    it("renames ids that are reserved, invalid or equal but for case, and warns with the pointer", () => {
        const model = readModel(
            doc({
                "/a": { get: op({ operationId: "delete" }), post: op({ operationId: "get/users" }) },
                "/b": { get: op({ operationId: "GetUsers" }) },
            }),
            "t.yaml",
        );
        // "GetUsers" is a usable name as written, so it is kept; "get/users" is converted.
        expect(model.operations.map((o) => o.name)).toEqual(["delete_", "getUsers", "GetUsers"]);
        expect(model.warnings.map((w) => w.pointer)).toContain("#/paths/~1a/get/operationId");
    });
});

describe("readModel: error catalogues", () => {
    it("reads a text enum body and a code-field envelope, shared by $ref, into one enum each", () => {
        const model = readModel(
            doc(
                {
                    "/x": {
                        post: op({
                            operationId: "x",
                            responses: {
                                "400": {
                                    content: { "text/plain": { schema: { $ref: "#/components/schemas/TextError" } } },
                                },
                                "404": { $ref: "#/components/responses/NotFound" },
                                default: { $ref: "#/components/responses/NotFound" },
                            },
                        }),
                    },
                    "/y": {
                        get: op({
                            operationId: "y",
                            responses: { "5XX": { $ref: "#/components/responses/NotFound" } },
                        }),
                    },
                },
                {
                    schemas: {
                        TextError: {
                            type: "string",
                            enum: ["BAD THING", "WORSE THING"],
                            "x-enum-descriptions": ["bad", "worse"],
                        },
                        Envelope: { type: "object", properties: { code: { $ref: "#/components/schemas/Code" } } },
                        Code: { type: "integer", enum: [1, 2], "x-enum-varnames": ["One", "Two"] },
                    },
                    responses: {
                        NotFound: {
                            content: { "application/json": { schema: { $ref: "#/components/schemas/Envelope" } } },
                        },
                    },
                },
            ),
            "t.yaml",
        );
        expect(model.catalogues).toEqual([
            {
                name: "TextError",
                description: undefined,
                pointer: "#/components/schemas/TextError",
                members: [
                    { name: "BadThing", value: "BAD THING", description: "bad" },
                    { name: "WorseThing", value: "WORSE THING", description: "worse" },
                ],
            },
            {
                name: "Code",
                description: undefined,
                pointer: "#/components/schemas/Code",
                members: [
                    { name: "One", value: 1, description: undefined },
                    { name: "Two", value: 2, description: undefined },
                ],
            },
        ]);
        expect(model.operations[0]!.errors).toEqual([
            { status: "400", catalogue: "TextError" },
            { status: "404", catalogue: "Code", field: "code" },
            { status: "default", catalogue: "Code", field: "code" },
        ]);
        expect(model.operations[1]!.errors).toEqual([{ status: "5XX", catalogue: "Code", field: "code" }]);
    });

    it("names an inline catalogue after its operation and numbers colliding member names", () => {
        const model = readModel(
            doc({
                "/x": {
                    get: op({
                        operationId: "getThing",
                        responses: {
                            "400": {
                                content: { "text/plain": { schema: { type: "string", enum: ["a b", "A-B", "", 7] } } },
                            },
                        },
                    }),
                },
            }),
            "t.yaml",
        );
        expect(model.catalogues[0]!.name).toBe("GetThingError");
        expect(model.catalogues[0]!.members.map((m) => [m.name, m.value])).toEqual([
            ["AB", "a b"],
            ["AB2", "A-B"],
            ["Empty", ""],
            ["Code7", 7],
        ]);
    });

    it("leaves out enum values TypeScript enums cannot hold, with a warning", () => {
        const model = readModel(
            doc({
                "/x": {
                    get: op({
                        responses: {
                            "400": { content: { "application/json": { schema: { enum: ["ok", true, null] } } } },
                        },
                    }),
                },
            }),
            "t.yaml",
        );
        expect(model.catalogues[0]!.members.map((m) => m.value)).toEqual(["ok"]);
        expect(model.warnings.filter((w) => w.rule === "enum-value")).toHaveLength(2);
    });
});

describe("readModel: extensions", () => {
    it("reads x-idempotent and x-rate-limit, and warns on malformed ones", () => {
        const model = readModel(
            doc({
                "/a": { post: op({ "x-idempotent": true, "x-rate-limit": { requests: 1, perSeconds: 1 } }) },
                "/b": { post: op({ "x-idempotent": "yes", "x-rate-limit": { requests: 0 } }) },
            }),
            "t.yaml",
        );
        expect(model.operations.map((o) => [o.idempotent, o.rateLimit])).toEqual([
            [true, { requests: 1, perSeconds: 1 }],
            [false, undefined],
        ]);
        expect(model.warnings.map((w) => w.rule).sort()).toEqual(["x-idempotent", "x-rate-limit"]);
    });
});

describe("readModel: what the runtime needs to build requests", () => {
    it("reads burst and maxInFlight in x-rate-limit", () => {
        const model = readModel(
            doc({ "/a": { post: op({ "x-rate-limit": { requests: 1, perSeconds: 1, burst: 3, maxInFlight: 1 } }) } }),
            "t.yaml",
        );
        expect(model.operations[0]!.rateLimit).toEqual({ requests: 1, perSeconds: 1, burst: 3, maxInFlight: 1 });
    });

    it("merges path-level parameters, resolves style and explode defaults, and says what each schema allows", () => {
        const model = readModel(
            doc({
                "/items/{id}": {
                    parameters: [
                        { name: "id", in: "path", required: true, schema: { type: "string" } },
                        { name: "tags", in: "query", schema: { type: "array", items: { type: "string" } } },
                    ],
                    get: op({
                        parameters: [
                            {
                                name: "tags",
                                in: "query",
                                style: "pipeDelimited",
                                explode: false,
                                schema: { type: "array" },
                            },
                            { name: "filter", in: "query", style: "deepObject", schema: { type: "object" } },
                            { name: "X-Id", in: "header", schema: { type: ["integer", "null"] } },
                            { name: "session", in: "cookie", required: true, schema: { type: "string" } },
                            { name: "q", in: "query", content: { "application/json": { schema: { type: "object" } } } },
                            { name: "bad", in: "path", style: "form", schema: { type: "string" } },
                        ],
                        requestBody: {
                            required: true,
                            content: { "application/merge-patch+json": {}, "text/plain": {} },
                        },
                        responses: {
                            "200": { description: "ok", content: { "application/json": {} } },
                            "404": { description: "no" },
                        },
                    }),
                },
            }),
            "t.yaml",
        );
        const [operation] = model.operations;
        expect(operation!.parameters).toEqual([
            { name: "id", in: "path", style: "simple", explode: false, required: true, type: "primitive" },
            { name: "tags", in: "query", style: "pipeDelimited", explode: false, required: false, type: "array" },
            { name: "filter", in: "query", style: "deepObject", explode: false, required: false, type: "object" },
            { name: "X-Id", in: "header", style: "simple", explode: false, required: false, type: "primitive" },
            { name: "session", in: "cookie", style: "form", explode: true, required: true, type: "primitive" },
            { name: "q", in: "query", style: "form", explode: true, required: false, contentType: "application/json" },
            { name: "bad", in: "path", style: "simple", explode: false, required: true, type: "primitive" },
        ]);
        expect(operation!.requestBody).toEqual({
            required: true,
            mediaTypes: ["application/merge-patch+json", "text/plain"],
        });
        expect(operation!.responses).toEqual({ "200": ["application/json"], "404": [] });
        expect(model.warnings.filter((w) => w.rule === "parameter-style")).toHaveLength(1);
    });
});

describe("readModel: nothing is dropped without a word", () => {
    /** The warnings, as `pointer rule`. */
    const said = (model: ReturnType<typeof readModel>) => model.warnings.map((w) => `${w.pointer} ${w.rule}`);

    it("reports an OpenAPI 3.2 `in: querystring` parameter, and any other unknown location, where it is", () => {
        const model = readModel(
            {
                ...doc({
                    "/search": {
                        get: op({
                            parameters: [
                                { name: "q", in: "querystring", content: { "application/x-www-form-urlencoded": {} } },
                                { name: "h", in: "body", schema: { type: "string" } },
                                { name: "ok", in: "query", schema: { type: "string" } },
                            ],
                        }),
                    },
                }),
                openapi: "3.2.0",
            },
            "t.yaml",
        );
        expect(model.operations[0]!.parameters.map((p) => p.name)).toEqual(["ok"]);
        expect(said(model)).toEqual([
            "#/paths/~1search/get/parameters/0/in parameter-location",
            "#/paths/~1search/get/parameters/1/in parameter-location",
        ]);
        expect(model.warnings[0]!.message).toMatch(/querystring.*not supported.*"q"/);
    });

    it("reports a parameter without a name or that a $ref cannot reach, once even when shared by a path's operations", () => {
        const model = readModel(
            doc({
                "/a": {
                    parameters: [{ in: "query", schema: { type: "string" } }, { $ref: "#/components/parameters/none" }],
                    get: op({}),
                    post: op({}),
                },
            }),
            "t.yaml",
        );
        expect(said(model)).toEqual([
            "#/paths/~1a/parameters/0/name parameter-name",
            "#/paths/~1a/parameters/1 parameter-location",
        ]);
    });

    it("reports what the client does not use: servers below the root, callbacks, links, webhooks, part headers", () => {
        const model = readModel(
            {
                ...doc({
                    "/a": {
                        servers: [{ url: "https://a.example" }],
                        post: op({
                            servers: [{ url: "https://b.example" }],
                            callbacks: { done: {} },
                            requestBody: {
                                content: {
                                    "multipart/form-data": {
                                        encoding: { file: { headers: { "X-Part": {} }, style: "matrix" } },
                                    },
                                },
                            },
                            responses: { "201": { description: "made", links: { next: { operationId: "x" } } } },
                        }),
                    },
                }),
                webhooks: { ping: { post: op({}) } },
                servers: [{ description: "no url" }, { url: "https://api.example" }],
            },
            "t.yaml",
        );
        expect(said(model).sort()).toEqual([
            "#/paths/~1a/post/callbacks unsupported",
            "#/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/file/headers unsupported",
            "#/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/file/style encoding-style",
            "#/paths/~1a/post/responses/201/links unsupported",
            "#/paths/~1a/post/servers unsupported",
            "#/paths/~1a/servers unsupported",
            "#/servers/0 server-url",
            "#/webhooks unsupported",
        ]);
        expect(model.servers.map((s) => s.url)).toEqual(["https://api.example"]);
    });

    it("reports a parameter whose content names more than the one media type used", () => {
        const model = readModel(
            doc({
                "/a": {
                    get: op({
                        parameters: [{ name: "f", in: "query", content: { "application/json": {}, "text/plain": {} } }],
                    }),
                },
            }),
            "t.yaml",
        );
        expect(model.operations[0]!.parameters[0]!.contentType).toBe("application/json");
        expect(said(model)).toEqual(["#/paths/~1a/get/parameters/0/content parameter-content"]);
    });
});
