import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createContext } from "@dprint/formatter";
import { getPath as dprintTypeScriptPlugin } from "@dprint/typescript";
import { describe, expect, it } from "vitest";
import { syntheticDocument } from "../../bench/synthetic.js";
import { EMITTERS, siblingsOf, type OutputName } from "../../codegen/emit/emitters.js";
import { prepareApi } from "../../codegen/pipeline.js";
import { isSpecFile } from "../../codegen/output/workspace.js";
import { CORPUS, HAS_CORPUS, ROOT } from "../support/fixtures.js";
import { longLinesDocument } from "../support/long-lines.js";

// Generation prints operations.ts, errors.ts and index.ts already formatted (codegen/emit/layout.ts)
// and runs no formatter. The proof: dprint, configured as generation used to run it (and as
// openapi-typescript's output is styled), leaves every one of those files unchanged, for every
// spec the tests use, every corpus document, a document of many operations and one whose
// names and texts cross the 120-column limit everywhere a line may break (long-lines.ts).
const formatter = createContext({ indentWidth: 4, lineWidth: 120 });
formatter.addPlugin(readFileSync(dprintTypeScriptPlugin()), {
    quoteStyle: "preferDouble",
    "module.sortImportDeclarations": "maintain",
    "importDeclaration.sortNamedImports": "maintain",
});

const FIXTURES = path.join(ROOT, "test/fixtures/specs");
const inFolder = (folder: string) =>
    readdirSync(folder)
        .filter((name) => isSpecFile(name) && name !== "redocly.yaml" && name !== "kitchen-sink-parts.yaml")
        .sort()
        .map((name) => path.join(folder, name));

const scratch = mkdtempSync(path.join(tmpdir(), "joinkit-formatting-"));
const synthetic = path.join(scratch, "synthetic-250.json");
writeFileSync(synthetic, JSON.stringify(syntheticDocument(250)));
const longLines = path.join(scratch, "long-lines.json");
writeFileSync(longLines, JSON.stringify(longLinesDocument()));

const documents = [
    ...inFolder(path.join(ROOT, "specs")),
    ...inFolder(FIXTURES),
    synthetic,
    longLines,
    ...(HAS_CORPUS ? inFolder(CORPUS) : []),
];
const PRINTED: readonly OutputName[] = ["operations", "errors", "index"];

describe("emitted files are formatted as they are printed", () => {
    it("covers the specs, the fixtures and, when present, the corpus", () => {
        expect(documents.length).toBeGreaterThanOrEqual(HAS_CORPUS ? 20 : 10);
    });

    it.each(
        documents.map((
            file,
        ) => [path.relative(ROOT, file).startsWith("..") ? path.basename(file) : path.relative(ROOT, file), file]),
    )(
        "%s: dprint leaves operations.ts, errors.ts (both enum styles) and index.ts unchanged",
        async (_name, file) => {
            const { model } = await prepareApi(file, { cwd: path.dirname(file) });
            expect(model.operations.length).toBeGreaterThan(0);
            for (const name of PRINTED) {
                for (const enums of name === "errors" ? (["enum", "const"] as const) : (["enum"] as const)) {
                    const emitter = EMITTERS[name];
                    const text = await emitter.emit({
                        model,
                        enums,
                        typesDocument: {},
                        displayName: file,
                        siblings: siblingsOf(emitter),
                    });
                    expect(
                        formatter.formatText({ filePath: emitter.file, fileText: text }),
                        `${emitter.file} (${enums})`,
                    ).toBe(text);
                }
            }
        },
        120_000,
    );
});
