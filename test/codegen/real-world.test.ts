import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApi, type GeneratedApi } from "../../codegen/pipeline.js";
import { writeOutput } from "../../codegen/workspace.js";
import { ROOT } from "../support/fixtures.js";
import { typecheck } from "../support/typecheck.js";

const CORPUS = path.join(ROOT, "../shared/corpus");
const FIXTURES = path.join(ROOT, "test/fixtures/specs");

const documents = [
    { file: path.join(CORPUS, "petstore-like-simple-3.1.yaml"), operations: 6 },
    { file: path.join(CORPUS, "github-ghes-3.6-diff-3.0.json"), operations: 155 },
    { file: path.join(CORPUS, "digitalocean-3.0.yaml"), operations: 408 },
    { file: path.join(FIXTURES, "kitchen-sink-3.1.yaml"), operations: 5 },
    { file: path.join(FIXTURES, "kitchen-sink-3.0.yaml"), operations: 3 },
    { file: path.join(FIXTURES, "hostile-names.yaml"), operations: 10 },
];

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
                `${path.basename(file)}: ${api.model.operations.length} of ${api.model.operationsFound} operations emitted, ` +
                    `${api.model.catalogues.length} error catalogues, ${api.warnings.length} warnings, ${ms} ms`,
            );
        }
    }, 120_000);
    afterAll(() => console.log(`\n${report.join("\n")}`));

    it.each(documents)("emits every operation of $file", ({ file, operations }) => {
        const api = generated.get(file)!;
        expect(api.model.operationsFound).toBe(operations);
        expect(api.model.operations).toHaveLength(operations);
        const wrappers = api.files.get("operations.ts")!.match(/^export function /gm) ?? [];
        expect(wrappers).toHaveLength(operations);
    });

    it("type-checks every generated client under strict", () => {
        const result = typecheck(project);
        expect(result.output).toBe("");
        expect(result.ok).toBe(true);
    }, 120_000);

    it("reports what it could not use as warnings with a JSON pointer, not as failures", () => {
        const hostile = generated.get(path.join(FIXTURES, "hostile-names.yaml"))!;
        const dropped = hostile.warnings.filter((w) => w.rule === "enum-value");
        expect(dropped.map((w) => w.pointer)).toEqual([
            "#/paths/~1c~1{weird-param}~1{and.dots}/post/responses/400/content/application~1json/schema/properties/code/enum/3",
            "#/paths/~1c~1{weird-param}~1{and.dots}/post/responses/400/content/application~1json/schema/properties/code/enum/4",
        ]);
    });
});

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
        expect(values).toEqual(["a b", "A-B", "", 'quote " and backtick ` and ${x} and */ end', "new\nline", "emoji 🚀", "line\u2028separator", "constructor", "__proto__"]);
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
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const module = await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`);
    return module[exportName];
}
