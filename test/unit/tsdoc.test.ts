import { describe, expect, it } from "vitest";
import { safeCommentText, tsdoc } from "../../codegen/tsdoc.js";

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
        expect(tsdoc(["Summary", undefined, " ", "Details"])).toEqual([{ description: "Summary\n\nDetails", tags: [] }]);
    });

    it("emits nothing when there is nothing to say", () => {
        expect(tsdoc([undefined, ""])).toEqual([]);
    });
});
