// The simulator's Schema Object checker and sampler, case by case: each case is a schema,
// a value, and the problems expected (the keyword's pointer and the message).
import { describe, expect, it } from "vitest";
import { mockDocument } from "../../codegen/mock/document.js";
import { seededRandom } from "../../codegen/mock/random.js";
import { SchemaChecker, type Direction } from "../../codegen/mock/schema-object.js";
import { SchemaSampler } from "../../codegen/mock/schema-sample.js";

const components = {
    schemas: {
        Pet: {
            type: "object",
            required: ["id", "name"],
            properties: {
                id: { type: "integer", readOnly: true },
                name: { type: "string" },
                secret: { type: "string", writeOnly: true },
            },
        },
        Cat: {
            type: "object",
            required: ["kind", "meows"],
            properties: { kind: { const: "cat" }, meows: { type: "boolean" } },
        },
        Dog: {
            type: "object",
            required: ["kind", "barks"],
            properties: { kind: { const: "dog" }, barks: { type: "boolean" } },
        },
        Node: {
            type: "object",
            required: ["children"],
            properties: { children: { type: "array", items: { $ref: "#/components/schemas/Node" } } },
        },
    },
};
const doc = (openapi: string) =>
    mockDocument({ openapi, info: { title: "t", version: "1" }, paths: {}, components }, "t.yaml");
const v31 = new SchemaChecker(doc("3.1.0"));
const v30 = new SchemaChecker(doc("3.0.3"));

type Case = [
    name: string,
    schema: unknown,
    value: unknown,
    expected: [pointer: string, message: string, at?: string][],
    direction?: Direction,
];
const S = "#/s";
const CASES: Case[] = [
    ["type", { type: "string" }, 3, [[`${S}/type`, "must be string (got integer)"]]],
    ["integer is not 1.5", { type: "integer" }, 1.5, [[`${S}/type`, "must be integer (got number)"]]],
    ["3.1 type list with null", { type: ["string", "null"] }, null, []],
    ["nullable (3.0, and honoured in 3.1 documents that use it)", { type: "string", nullable: true }, null, []],
    ["enum", { enum: ["a", "b"] }, "c", [[`${S}/enum`, 'must be one of "a", "b" (got "c")']]],
    ["const", { const: 1 }, 2, [[`${S}/const`, "must be 1 (got 2)"]]],
    ["minLength counts characters, not UTF-16 units", { type: "string", minLength: 2 }, "🚀", [[
        `${S}/minLength`,
        "must be at least 2 characters long (got 1)",
    ]]],
    ["pattern", { type: "string", pattern: "^[a-z]+$" }, "A1", [[
        `${S}/pattern`,
        'must match the pattern ^[a-z]+$ (got "A1")',
    ]]],
    ["format uuid", { type: "string", format: "uuid" }, "000-000", [[
        `${S}/format`,
        'must be a valid uuid (got "000-000")',
    ]]],
    ["format date-time", { type: "string", format: "date-time" }, "2024-01-01T00:00:00Z", []],
    ["an unknown format is an annotation", { type: "string", format: "color" }, "red", []],
    ["3.0 boolean exclusiveMinimum", { type: "number", minimum: 0, exclusiveMinimum: true }, 0, [[
        `${S}/minimum`,
        "must be > 0 (got 0)",
    ]]],
    ["3.1 numeric exclusiveMaximum", { type: "number", exclusiveMaximum: 10 }, 10, [[
        `${S}/exclusiveMaximum`,
        "must be < 10 (got 10)",
    ]]],
    ["multipleOf with decimals", { type: "number", multipleOf: 0.01 }, 0.3, []],
    ["int32", { type: "integer", format: "int32" }, 2 ** 31, [[`${S}/format`, `must fit int32 (got ${2 ** 31})`]]],
    ["required, at the missing property", { type: "object", required: ["a"] }, {}, [[
        `${S}/required`,
        "is required",
        "/a",
    ]]],
    ["additionalProperties false", { type: "object", properties: { a: {} }, additionalProperties: false }, {
        a: 1,
        b: 2,
    }, [[
        `${S}/additionalProperties`,
        "is not a property the schema allows (additionalProperties: false)",
        "/b",
    ]]],
    ["nested through $ref", { $ref: "#/components/schemas/Pet" }, { id: 1, name: 2 }, [[
        "#/components/schemas/Pet/properties/name/type",
        "must be string (got integer)",
        "/name",
    ]], "response"],
    ["readOnly is not required in a request", { $ref: "#/components/schemas/Pet" }, { name: "Rex" }, [], "request"],
    [
        "writeOnly is not required in a response",
        { type: "object", required: ["secret"], properties: { secret: { writeOnly: true } } },
        {},
        [],
        "response",
    ],
    ["but readOnly is required in a response", { $ref: "#/components/schemas/Pet" }, { name: "Rex" }, [[
        "#/components/schemas/Pet/required",
        "is required",
        "/id",
    ]], "response"],
    ["array items and bounds", { type: "array", items: { type: "integer" }, maxItems: 1 }, [1, "x"], [
        [`${S}/maxItems`, "must have at most 1 item(s) (got 2)"],
        [`${S}/items/type`, "must be integer (got string)", "/1"],
    ]],
    ["uniqueItems compares JSON values", { type: "array", uniqueItems: true }, [{ a: 1, b: 2 }, { b: 2, a: 1 }], [[
        `${S}/uniqueItems`,
        'must not repeat an item ({"b":2,"a":1} appears twice)',
    ]]],
    ["prefixItems", { type: "array", prefixItems: [{ type: "string" }], items: { type: "integer" } }, ["a", 1, 2], []],
    [
        "oneOf with a discriminator checks the named branch only",
        {
            oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
            discriminator: {
                propertyName: "kind",
                mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" },
            },
        },
        { kind: "dog", meows: true },
        [["#/components/schemas/Dog/required", "is required", "/barks"]],
    ],
    ["oneOf that matches two", { oneOf: [{ type: "integer" }, { type: "number" }] }, 1, [[
        `${S}/oneOf`,
        "matches 2 of the schemas in oneOf; it must match exactly one",
    ]]],
    [
        "anyOf that matches none names the closest",
        { anyOf: [{ type: "string" }, { type: "object", required: ["a"] }] },
        {},
        [[`${S}/anyOf`, "matches none of the 2 schemas in anyOf (closest: /a is required)"]],
    ],
    ["not", { not: { type: "string" } }, "x", [[`${S}/not`, "must not match the schema in `not`"]]],
    ["if/then", { if: { properties: { a: { const: 1 } } }, then: { required: ["b"] } }, { a: 1 }, [[
        `${S}/then/required`,
        "is required",
        "/b",
    ]]],
    ["a recursive schema", { $ref: "#/components/schemas/Node" }, { children: [{ children: [{ children: [] }] }] }, []],
    ["false", false, 1, [[S, "is not allowed here (the schema is `false`)"]]],
];

describe("SchemaChecker", () => {
    it.each(CASES)("%s", (_name, schema, value, expected, direction = "request") => {
        const problems = v31.check(schema, S, value, direction);
        expect(problems.map((p) => [p.pointer, p.message, ...(p.at ? [p.at] : [])])).toEqual(expected);
    });

    it("ignores a $ref's siblings in 3.0 and applies them in 3.1", () => {
        const schema = { $ref: "#/components/schemas/Pet", maxProperties: 1 };
        expect(v30.check(schema, S, { id: 1, name: "a" }, "response")).toEqual([]);
        expect(v31.check(schema, S, { id: 1, name: "a" }, "response").map((p) => p.pointer)).toEqual([
            `${S}/maxProperties`,
        ]);
    });
});

describe("SchemaSampler", () => {
    const document = doc("3.1.0");
    const checker = new SchemaChecker(document);
    const sampler = new SchemaSampler(document, checker);
    const schemas: [string, unknown][] = [
        ["an object with formats", {
            type: "object",
            required: ["id", "at", "mail", "code", "n"],
            properties: {
                id: { type: "string", format: "uuid" },
                at: { type: "string", format: "date-time" },
                mail: { type: "string", format: "email" },
                code: { type: "string", pattern: "^[A-Z]{3}-\\d{2,4}$" },
                n: { type: "integer", minimum: 5, maximum: 7, multipleOf: 2 },
            },
        }],
        ["a discriminated union", {
            oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
            discriminator: { propertyName: "kind" },
        }],
        ["allOf merged", {
            allOf: [{ $ref: "#/components/schemas/Pet" }, {
                type: "object",
                required: ["age"],
                properties: { age: { type: "integer", minimum: 1 } },
            }],
        }],
        ["a recursive schema", { $ref: "#/components/schemas/Node" }],
        ["bounded strings and arrays", {
            type: "array",
            minItems: 3,
            maxItems: 3,
            uniqueItems: true,
            items: { type: "string", minLength: 20, maxLength: 20 },
        }],
    ];

    it.each(schemas)("makes data that matches its schema: %s", (_name, schema) => {
        for (const seed of ["a", "b", "c"]) {
            const sample = sampler.sample(schema, S, "response", seededRandom(seed, "k"));
            expect(checker.check(schema, S, sample.value, "response")).toEqual([]);
            expect(sample.valid).toBe(true);
        }
    });

    it("is deterministic: the same seed and key give the same value, another seed another", () => {
        const [, schema] = schemas[0]!;
        const once = sampler.sample(schema, S, "response", seededRandom(7, "op 200")).value;
        expect(sampler.sample(schema, S, "response", seededRandom(7, "op 200")).value).toEqual(once);
        expect(sampler.sample(schema, S, "response", seededRandom(8, "op 200")).value).not.toEqual(once);
    });

    it("prefers the schema's own example, and leaves writeOnly out of responses and readOnly out of requests", () => {
        expect(sampler.sample({ type: "string", example: "hello" }, S, "response", seededRandom(1, "k")).value).toBe(
            "hello",
        );
        const pet = { $ref: "#/components/schemas/Pet" };
        expect(sampler.sample(pet, S, "response", seededRandom(1, "k")).value).not.toHaveProperty("secret");
        expect(sampler.sample(pet, S, "request", seededRandom(1, "k")).value).not.toHaveProperty("id");
    });
});
