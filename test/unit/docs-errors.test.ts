import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { codesByStatus, withErrorTables } from "../../codegen/docs/errors.js";
import { prepareApi } from "../../codegen/pipeline.js";

const dir = mkdtempSync(path.join(tmpdir(), "joinkit-docs-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const error = (example: number | undefined, description: string) => ({
    description,
    content: {
        "application/json": {
            schema: { $ref: "#/components/schemas/Error" },
            ...(example !== undefined ? { example: { code: example } } : {}),
        },
    },
});

/** One shared `code` enum at three statuses, and a body enum used at one status only. */
const SPEC = {
    openapi: "3.1.0",
    info: { title: "Codes", version: "1" },
    paths: {
        "/things": {
            post: {
                operationId: "makeThing",
                responses: {
                    "201": { description: "made" },
                    "400": error(10, "Malformed: `10`, or `11` when the name is taken."),
                    "404": error(undefined, "Gone: `12`."),
                    "409": error(undefined, "Conflict, with no code named."),
                    "422": {
                        description: "text",
                        content: { "text/plain": { schema: { type: "string", enum: ["BAD_NAME", "BAD_SIZE"] } } },
                    },
                },
            },
        },
    },
    components: {
        schemas: {
            Error: {
                type: "object",
                required: ["code"],
                properties: { code: { type: "integer", enum: [10, 11, 12, 13] } },
            },
        },
    },
};

async function api() {
    const file = path.join(dir, "codes.yaml");
    writeFileSync(file, stringify(SPEC));
    return prepareApi(file, { cwd: dir });
}

describe("error codes per status in the docs", () => {
    it("narrows a shared catalogue to the codes each response names (examples, code spans), and keeps a one-status catalogue whole", async () => {
        const { bundled, model } = await api();
        const codes = codesByStatus(bundled as Record<string, any>, model, model.operations[0]!);
        expect(codes.map((c) => [c.status, c.members.map((m) => m.value), c.declared])).toEqual([
            ["400", [10, 11], true],
            ["404", [12], true],
            ["409", [10, 11, 12, 13], false],
            ["422", ["BAD_NAME", "BAD_SIZE"], true],
        ]);
    });

    it("puts one table in each error response and takes the listed enum off its schema, leaving the spec's components alone", async () => {
        const { bundled, model } = await api();
        const doc = withErrorTables(bundled as Record<string, any>, model);
        const responses = doc.paths["/things"].post.responses;
        expect(responses["404"].description).toContain("**Error codes at 404**");
        expect(responses["404"].description.match(/\| `12` \|/g)).toHaveLength(1);
        expect(responses["404"].description).not.toContain("`13`");
        expect(responses["409"].description).toContain("the spec does not say which");
        const code = responses["400"].content["application/json"].schema.properties.code;
        expect(code.enum).toBeUndefined();
        expect(code.title).toBe(model.operations[0]!.errors[0]!.catalogue);
        expect(responses["422"].content["text/plain"].schema.enum).toBeUndefined();
        expect(doc.components.schemas.Error.properties.code.enum).toEqual([10, 11, 12, 13]);
    });
});
