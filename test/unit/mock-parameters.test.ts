// The simulator reads parameters as joinkit/runtime writes them: for every location, style,
// explode and shape OpenAPI defines, a value written by the runtime's params.ts comes back
// out of the simulator's reader as the same value. (No HTTP: the reader is given the text.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ParameterLocation, ParameterSpec, ParameterStyle } from "../../src/runtime/contract.js";
import { cookiePairs, headerValue, pathValue, queryPairs } from "../../src/runtime/params.js";
import { mockDocument } from "../../codegen/mock/document.js";
import type { MockParameter } from "../../codegen/mock/operations.js";
import { parseQuery, readParameters } from "../../codegen/mock/parameter-object.js";
import { SchemaChecker } from "../../codegen/mock/schema-object.js";

type Shape = "string" | "integer" | "array" | "object";
const SCHEMAS: Record<Shape, Record<string, unknown>> = {
    string: { type: "string" },
    integer: { type: "integer" },
    array: { type: "array", items: { type: "string" } },
    object: { type: "object", additionalProperties: { type: "string" } },
};
const document = mockDocument({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {} }, "params.yaml");
const checker = new SchemaChecker(document);

/** Writes the value as the runtime does, then reads it back as the simulator does. */
function roundTrip(location: ParameterLocation, style: ParameterStyle, explode: boolean, shape: Shape, value: unknown) {
    const spec: ParameterSpec = {
        name: "p",
        in: location,
        style,
        explode,
        required: true,
        type: shape === "array" ? "array" : shape === "object" ? "object" : "primitive",
    };
    const parameter: MockParameter = { spec, pointer: "#/p", schema: SCHEMAS[shape], schemaPointer: "#/p/schema" };
    const raw = {
        path: {} as Record<string, string>,
        query: [] as [string, string][],
        headers: {} as Record<string, string>,
    };
    if (location === "path") raw.path.p = pathValue(spec, value);
    if (location === "query") raw.query = parseQuery(queryPairs(spec, value).join("&"));
    if (location === "header") raw.headers.p = headerValue(spec, value)!;
    if (location === "cookie") raw.headers.cookie = cookiePairs(spec, value).join("; ");
    const read = readParameters([parameter], raw, document, checker, new Set());
    expect(read.problems).toEqual([]);
    return read.values[location].p;
}

// Text as the runtime accepts it (no lone surrogates), without what a style cannot tell
// apart from its own delimiters (noted per case).
const text = (exclude = /(?!)/) =>
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).filter((s) => !exclude.test(s));
const valueOf = (shape: Shape, exclude?: RegExp) => {
    switch (shape) {
        case "string":
            return text(exclude);
        case "integer":
            return fc.integer({ min: -1e9, max: 1e9 });
        case "array":
            return fc.array(text(exclude), { minLength: 1, maxLength: 4 });
        case "object":
            return fc.dictionary(text(exclude), text(exclude), { minKeys: 1, maxKeys: 3 });
    }
};

const CASES: [ParameterLocation, ParameterStyle, boolean, Shape, RegExp?][] = [];
for (const explode of [false, true]) {
    for (const shape of ["string", "integer", "array", "object"] as Shape[]) {
        // Label style writes "." between items, and RFC 6570 leaves "." in an item unencoded.
        CASES.push(["path", "simple", explode, shape], ["path", "label", explode, shape, /\./], [
            "path",
            "matrix",
            explode,
            shape,
        ]);
        // Headers are not percent-encoded: commas and "=" would be delimiters, and edges are trimmed.
        CASES.push(["header", "simple", explode, shape, /[,=\s]|[^\u0020-\u00ff]/]);
    }
    for (const shape of ["string", "integer", "array"] as Shape[]) CASES.push(["query", "form", explode, shape]);
}
// An exploded form object spreads its keys into the query: each is a key of its own.
CASES.push(["query", "form", false, "object"], ["query", "form", true, "object"]);
// spaceDelimited writes its delimiter as %20, as a space inside an item is written.
CASES.push(["query", "spaceDelimited", false, "array", /\s/], ["query", "pipeDelimited", false, "array"]);
CASES.push(["query", "deepObject", true, "object"]);
for (const shape of ["string", "integer"] as Shape[]) CASES.push(["cookie", "form", false, shape]);
CASES.push(["cookie", "form", false, "array"], ["cookie", "form", true, "array"]);

describe("the simulator reads every parameter style as joinkit/runtime writes it", () => {
    it.each(CASES)("%s %s explode=%s %s", (location, style, explode, shape, exclude) => {
        fc.assert(
            fc.property(valueOf(shape, exclude), (value) => {
                expect(roundTrip(location, style, explode, shape, value)).toEqual(value);
            }),
            { seed: 29, numRuns: 100 },
        );
    });
});

describe("reading parameters", () => {
    const param = (
        spec: Partial<ParameterSpec>,
        schema: unknown = { type: "integer", maximum: 10 },
    ): MockParameter => ({
        spec: { name: "limit", in: "query", style: "form", explode: true, required: false, ...spec },
        pointer: "#/paths/~1x/get/parameters/0",
        schema,
        schemaPointer: "#/paths/~1x/get/parameters/0/schema",
    });
    const read = (parameters: MockParameter[], query: string, headers: Record<string, string> = {}) =>
        readParameters(
            parameters,
            { path: {}, query: parseQuery(query), headers },
            document,
            checker,
            new Set(["api_key"]),
        );

    it("types values by their schema and checks them, naming the keyword it breaks", () => {
        expect(read([param({})], "limit=7").values.query).toEqual({ limit: 7 });
        expect(read([param({})], "limit=70").problems).toEqual([{
            in: "query",
            name: "limit",
            message: "must be <= 10 (got 70)",
            pointer: "#/paths/~1x/get/parameters/0/schema/maximum",
        }]);
        expect(read([param({})], "limit=seven").problems[0]?.message).toBe("must be integer (got string)");
    });

    it("refuses a missing required parameter, a repeated single one, unknown keys and broken percent-encoding", () => {
        const problems = (parameters: MockParameter[], query: string) =>
            read(parameters, query).problems.map((p) => [p.name, p.message]);
        expect(problems([param({ required: true })], "")).toEqual([["limit", "is required"]]);
        expect(problems([param({})], "limit=1&limit=2")).toEqual([["limit", "is given 2 times; it takes one value"]]);
        expect(problems([param({})], "limt=1")).toEqual([["limt", "is not a query parameter of this operation"]]);
        expect(problems([param({}, { type: "string" })], "limit=%E0%A4%A")).toEqual([
            ["limit", '"%E0%A4%A" is not valid percent-encoding'],
        ]);
        // An API key's query parameter is the security scheme's, not unknown.
        expect(problems([param({})], "api_key=k")).toEqual([]);
    });

    it("reads a `content` parameter as JSON", () => {
        const json = param({ contentType: "application/json", type: undefined }, { type: "object", required: ["a"] });
        expect(read([json], `limit=${encodeURIComponent('{"a":1}')}`).values.query).toEqual({ limit: { a: 1 } });
        expect(read([json], "limit=%7B").problems[0]?.message).toMatch(/is not JSON/);
    });
});
