import { describe, expect, it } from "vitest";
import { fileHeader } from "../../codegen/emit/header.js";

describe("fileHeader", () => {
    it("escapes control characters in the spec's file name, so no file opens with a raw one", () => {
        const header = fileHeader({ file: "/x/a\u001b[31mb.yaml", hash: "sha256:000000000000" } as never);
        expect(header).not.toMatch(/\u001b/);
        expect(header).toContain("a\\x1b[31mb.yaml");
    });
});
