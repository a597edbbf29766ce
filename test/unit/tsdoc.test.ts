import { describe, expect, it } from "vitest";
import { safeCommentText, tsdoc } from "../../codegen/emit/tsdoc.js";

describe("safeCommentText", () => {
    it("cannot end the comment it is placed in", () => {
        expect(safeCommentText("a */ b")).toBe("a *\\/ b");
    });

    it("does not let a line start a TSDoc tag", () => {
        expect(safeCommentText("text\n@deprecated not really")).toBe("text\n\\@deprecated not really");
    });

    it("normalises line endings and trailing blanks", () => {
        expect(safeCommentText("a  \r\nb\rc")).toBe("a\nb\nc");
    });
});

describe("tsdoc", () => {
    it("joins present paragraphs with a blank line and drops empty ones", () => {
        expect(tsdoc(["Summary", undefined, " ", "Details"])).toBe("/**\n * Summary\n *\n * Details\n */\n");
    });

    it("fits one line in /** … */", () => {
        expect(tsdoc(["  One line.  "])).toBe("/** One line. */\n");
    });

    it("indents every line, reads blank lines in a row as one, and ends with @deprecated when asked", () => {
        expect(tsdoc(["First\n\n\n\nsecond  \nthird"], { indent: "    ", deprecated: true })).toBe(
            "    /**\n     * First\n     *\n     * second\n     * third\n     * @deprecated\n     */\n",
        );
        expect(tsdoc([undefined], { deprecated: true })).toBe("/** @deprecated */\n");
    });

    it("emits nothing when there is nothing to say", () => {
        expect(tsdoc([undefined, ""])).toBe("");
    });
});
