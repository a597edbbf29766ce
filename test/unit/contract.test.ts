import { describe, expect, it } from "vitest";
import { readModel } from "../../codegen/model/index.js";
import { clashingExports, EMITTERS, siblingsOf } from "../../codegen/emit/emitters.js";
import { specifier } from "../../codegen/emit/context.js";
import {
    defaultExplode,
    defaultStyle,
    isErrorResponseKey,
    isIdempotentMethod,
    PARAMETER_STYLES,
    responseKeyFor,
} from "../../src/runtime/contract.js";
import { declaredMediaTypes } from "../../src/runtime/decode.js";

describe("which response keys are errors", () => {
    it.each([
        ["400", true],
        ["404", true],
        ["599", true],
        ["4XX", true],
        ["5xx", true],
        ["default", true],
        ["200", false],
        ["3XX", false],
        ["4X0", false],
        ["40", false],
        ["4000", false],
        ["x-400", false],
    ])("%s → %s", (key, expected) => {
        expect(isErrorResponseKey(key)).toBe(expected);
    });
});

describe("the key a status is answered under", () => {
    it("prefers the exact status, then its range, then default (for errors only)", () => {
        expect(responseKeyFor(404, ["default", "4XX", "404"], true)).toBe("404");
        expect(responseKeyFor(409, ["default", "4XX", "404"], true)).toBe("4XX");
        expect(responseKeyFor(409, ["default", "4xx"], true)).toBe("4xx");
        expect(responseKeyFor(500, ["default", "4XX"], true)).toBe("default");
        expect(responseKeyFor(500, ["default", "4XX"], false)).toBeUndefined();
        expect(responseKeyFor(201, ["200"], false)).toBeUndefined();
    });

    it("is the rule the runtime reads declared media types with", () => {
        const responses = { "200": ["application/json"], "4XX": ["text/plain"], default: ["application/problem+json"] };
        expect(declaredMediaTypes(200, responses, false)).toEqual(["application/json"]);
        expect(declaredMediaTypes(418, responses, true)).toEqual(["text/plain"]);
        expect(declaredMediaTypes(503, responses, true)).toEqual(["application/problem+json"]);
        expect(declaredMediaTypes(503, responses, false)).toBeUndefined();
    });

    it("is the rule codegen reads error catalogues with: only error keys get decoders", () => {
        const codes = { type: "string", enum: ["NOPE"] };
        const content = { "text/plain": { schema: codes } };
        const model = readModel(
            {
                openapi: "3.1.0",
                info: { title: "T", version: "1" },
                paths: {
                    "/a": {
                        get: {
                            responses: {
                                "200": { description: "", content },
                                "3XX": { description: "", content },
                                "4XX": { description: "", content },
                                default: { description: "", content },
                            },
                        },
                    },
                },
            },
            "t.yaml",
        );
        expect(model.operations[0]!.errors.map((e) => e.status)).toEqual(["4XX", "default"]);
    });
});

describe("parameter and method defaults", () => {
    it("follow OpenAPI: form for query and cookie, simple elsewhere; only form explodes", () => {
        expect(defaultStyle("query")).toBe("form");
        expect(defaultStyle("cookie")).toBe("form");
        expect(defaultStyle("path")).toBe("simple");
        expect(defaultStyle("header")).toBe("simple");
        for (const [location, styles] of Object.entries(PARAMETER_STYLES)) {
            expect(styles).toContain(defaultStyle(location as keyof typeof PARAMETER_STYLES));
        }
        expect(defaultExplode("form")).toBe(true);
        expect(defaultExplode("deepObject")).toBe(false);
        expect(defaultExplode("simple")).toBe(false);
    });

    it("treat the RFC 9110 idempotent methods as safe to repeat, and only those", () => {
        expect(["get", "head", "options", "trace", "put", "delete"].every(isIdempotentMethod)).toBe(true);
        expect(["post", "patch"].some(isIdempotentMethod)).toBe(false);
    });
});

describe("the emitter table", () => {
    it("names each sibling an emitter lists by its compiled file name, and refuses one it does not list", () => {
        const siblings = siblingsOf(EMITTERS.operations);
        expect(specifier(siblings, "errors")).toBe("./errors.js");
        expect(specifier(siblings, "schema")).toBe("./schema.js");
        expect(() => specifier(siblings, "index")).toThrow(/without listing it/);
    });

    it("finds a name two files would export (index.ts re-exports them all)", () => {
        const model = readModel({ openapi: "3.1.0", info: { title: "T", version: "1" }, paths: {} }, "t.yaml");
        expect(clashingExports(model, "enum")).toEqual([]);
        const clashing = { ...model, schemaTypes: [{ name: "createClient", schema: "createClient" }] };
        expect(clashingExports(clashing, "enum")).toEqual(["createClient (index.ts, schema.ts)"]);
    });
});
