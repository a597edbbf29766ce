import { describe, expect, it } from "vitest";
import { Code, literal } from "../../codegen/emit/literal.js";

describe("literal", () => {
    it.each([
        ["a plain string", "abc", '"abc"'],
        ["quotes, backticks, ${ and */", 'a"b`c${d}*/', '"a\\"b`c${d}*/"'],
        ["a newline", "a\nb", '"a\\nb"'],
        ["numbers, booleans and null", [1, -2.5, true, null], "[1, -2.5, true, null]"],
        ["a short object on one line", { a: 1, "b-c": "d" }, '{ a: 1, "b-c": "d" }'],
        ["code as is", { catalogue: new Code("AmityErrorCode") }, "{ catalogue: AmityErrorCode }"],
        ["undefined properties left out", { a: 1, b: undefined }, "{ a: 1 }"],
    ])("prints %s", (_name, value, expected) => {
        expect(literal(value)).toBe(expected);
    });

    it("breaks a long literal over lines with trailing commas", () => {
        const value = { description: "x".repeat(80), n: 1 };
        expect(literal(value)).toBe(`{\n    description: "${"x".repeat(80)}",\n    n: 1,\n}`);
    });

    it("round-trips every string through the printed code", () => {
        const hostile = ['"', "\\", "`${x}`", "*/ alert(1) /*", "\u2028\u2029", "emoji 🚀", "</script>"];
        // Evaluating the printed literal is the test
        expect((0, eval)(`(${literal(hostile)})`)).toEqual(hostile);
    });
});
