import { readFileSync } from "node:fs";
import { createContext } from "@dprint/formatter";
import { getPath as dprintTypeScriptPlugin } from "@dprint/typescript";
import { IndentationText, Project, QuoteKind, type StatementStructures, type WriterFunction } from "ts-morph";

// One in-memory project for every emitted file: no file system, no compiler options to
// load, no language service, so printing structures costs only the printing.
const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
        indentationText: IndentationText.FourSpaces,
        quoteKind: QuoteKind.Double,
        useTrailingCommas: true,
    },
});

// ts-morph prints structures but neither wraps long lines nor re-indents embedded
// literals; dprint (a wasm build of a Rust formatter) does both in milliseconds. Its
// style matches openapi-typescript's output: four spaces, double quotes, semicolons.
const formatter = createContext({ indentWidth: 4, lineWidth: 120 });
formatter.addPlugin(readFileSync(dprintTypeScriptPlugin()), {
    quoteStyle: "preferDouble",
    "module.sortImportDeclarations": "maintain",
    "importDeclaration.sortNamedImports": "maintain",
});

export type Statement = string | WriterFunction | StatementStructures;

/** Separates groups of statements (imports from declarations) with a blank line. */
export const BLANK_LINE: WriterFunction = (writer) => writer.blankLine();

// ts-morph's own structure printer, which `project.createSourceFile(name, structure)` runs
// before parsing what it printed into a TypeScript AST. We need only the text: printing
// without the parse saves about a third of the emission time (DigitalOcean: 400 wrappers).
// `_context` is ts-morph's internal handle (stable across 2x-28.x); the snapshot and drift
// tests prove the text is the same.
const printer = (project as unknown as { _context: PrinterContext })._context;
interface PrinterContext {
    createWriter(): { toString(): string };
    structurePrinterFactory: { forSourceFile(options: { isAmbient: boolean }): { printText(writer: unknown, structure: { statements: Statement[] }): void } };
}

/** Prints a whole file (but its header) from ts-morph structures in one batch, then formats it. */
export function printStatements(statements: Statement[]): string {
    const writer = printer.createWriter();
    printer.structurePrinterFactory.forSourceFile({ isAmbient: false }).printText(writer, { statements });
    return formatInChunks(writer.toString());
}

// Top-level statements per dprint call. dprint's wasm memory grows to fit the largest text
// it is given and never shrinks: a 50,000-operation operations.ts formatted whole took
// gigabytes. Formatting is per statement (blank lines between top-level statements are
// kept as they are), so formatting groups of them gives the same text.
const STATEMENTS_PER_CHUNK = 200;

// A top-level statement starts at column 0 after a blank line. Nothing the emitters print
// has a blank line followed by column-0 text inside a statement: descriptions live in doc
// comments (every line starts with " *") and strings are printed as JSON literals.
const STATEMENT_BREAK = /\n\n+(?=\S)/;

function formatInChunks(text: string): string {
    const parts = text.split(STATEMENT_BREAK);
    if (parts.length <= STATEMENTS_PER_CHUNK) return formatter.formatText({ filePath: "emit.ts", fileText: text });
    const formatted: string[] = [];
    for (let i = 0; i < parts.length; i += STATEMENTS_PER_CHUNK) {
        formatted.push(formatter.formatText({ filePath: "emit.ts", fileText: `${parts.slice(i, i + STATEMENTS_PER_CHUNK).join("\n\n")}\n` }));
    }
    return formatted.join("\n");
}
