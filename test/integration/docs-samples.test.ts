import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsSamples } from "../../codegen/docs/build.js";
import { SHIPPED_SPECS } from "../../codegen/docs/shipped-samples.js";
import { generateApi, prepareApi } from "../../codegen/pipeline.js";
import { workspaceAt } from "../../codegen/output/workspace.js";
import { ROOT, CORPUS, HAS_CORPUS } from "../support/fixtures.js";

const SPECS = ["sonoran-cad", "amity-social-cloud", "sonoran-cms"];
// Documents nobody here wrote: parameters of every style, file uploads, several media types.
const USER_SPECS = [
    "museum-3.1.yaml",
    "readme-file-uploads-3.0.yaml",
    "readme-multiple-mediatypes-3.0.yaml",
    "readme-parameters-style-3.1.yaml",
];
const SAMPLES = path.join(ROOT, ".docs-samples");

type Sample = { file: string; spec: string; operation: string; label: string; source: string };

let samples: Sample[];
/** Virtual files of the one program: every sample, and the user specs' generated clients. */
const virtual = new Map<string, string>();
let userProject: string;

beforeAll(async () => {
    samples = [];
    for (const spec of SPECS) {
        for (
            const [index, sample] of (await docsSamples(path.join(ROOT, "specs", `${spec}.yaml`), workspaceAt(ROOT)))
                .entries()
        ) {
            samples.push({ ...sample, spec, file: path.join(SAMPLES, spec, `${sample.operation}-${index}.ts`) });
        }
    }
    // A user's project: its own package, its generated/ folder, samples importing from there.
    userProject = mkdtempSync(path.join(tmpdir(), "joinkit-samples-"));
    writeFileSync(path.join(userProject, "package.json"), JSON.stringify({ name: "someone-else", type: "module" }));
    for (const file of HAS_CORPUS ? USER_SPECS : []) {
        const spec = path.join(CORPUS, file);
        const name = file.replace(/\.(ya?ml|json)$/, "");
        const generated = await generateApi(spec);
        for (const [out, text] of generated.files) virtual.set(path.join(userProject, "generated", name, out), text);
        const workspace = { ...workspaceAt(userProject), project: userProject };
        for (
            const [index, sample] of (await docsSamples(spec, workspace, {
                generatedModule: `./generated/${name}/index.js`,
                shippedClients: false,
            })).entries()
        ) {
            samples.push({ ...sample, spec: name, file: path.join(userProject, `${sample.operation}-${index}.ts`) });
        }
    }
    for (const sample of samples) virtual.set(sample.file, sample.source);
}, 240_000);

afterAll(() => rmSync(userProject, { recursive: true, force: true }));

/** Type-checks every virtual file in one program, strict, against this repo's clients; diagnostics by file. */
function typecheck(files: ReadonlyMap<string, string>): Map<string, string[]> {
    const options: ts.CompilerOptions = {
        strict: true,
        noEmit: true,
        noUncheckedIndexedAccess: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
        types: ["node"],
        typeRoots: [path.join(ROOT, "node_modules/@types")],
        skipLibCheck: true,
        baseUrl: ROOT,
        paths: {
            "joinkit/runtime": ["src/runtime/index.ts"],
            "joinkit/apis/*": ["generated/*/index.ts"],
            "joinkit/amity": ["src/amity.ts"],
            "joinkit/sonoran-cad": ["src/sonoran-cad.ts"],
            "joinkit/sonoran-cms": ["src/sonoran-cms.ts"],
        },
    };
    const host = ts.createCompilerHost(options, true);
    const { fileExists, readFile, getSourceFile, directoryExists } = host;
    host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
    host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
    host.directoryExists = (dir) =>
        [...files.keys()].some((file) => file.startsWith(`${dir}/`)) || directoryExists!.call(host, dir);
    host.getSourceFile = (file, language, onError, create) => {
        const text = files.get(file);
        return text === undefined
            ? getSourceFile.call(host, file, language, onError, create)
            : ts.createSourceFile(file, text, language);
    };
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    const byFile = new Map<string, string[]>();
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
        const file = diagnostic.file?.fileName ?? "(global)";
        const line = diagnostic.file && diagnostic.start !== undefined
            ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
            : 0;
        byFile.set(file, [
            ...(byFile.get(file) ?? []),
            `${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`,
        ]);
    }
    return byFile;
}

describe("the docs' TypeScript samples", () => {
    it("give every operation of every spec a generated-client sample, and one with the shipped client where there is one", async () => {
        for (const spec of SPECS) {
            const { model } = await prepareApi(path.join(ROOT, "specs", `${spec}.yaml`));
            for (const op of model.operations) {
                const own = samples.filter((s) => s.spec === spec && s.operation === op.name);
                expect(own.map((s) => s.label)[0], `${spec} ${op.name}`).toBe("Generated client");
                const generated = own[0]!.source;
                expect(generated).toContain(`from "joinkit/apis/${spec}"`);
                expect(generated).toMatch(new RegExp(`await ${op.name}\\(client`));
                expect(generated).toContain("switch (error.kind)");
                if (op.errors.length > 0) {
                    expect(generated).toMatch(new RegExp(`error\\.code === ${op.errors[0]!.catalogue}\\.\\w+`));
                }
            }
            const shipped = samples.filter((s) => s.spec === spec && s.label !== "Generated client");
            expect(SHIPPED_SPECS).toContain(spec);
            expect(new Set(shipped.map((s) => s.operation)).size, spec).toBe(model.operations.length);
        }
        expect(
            samples.find((s) =>
                s.spec === "amity-social-cloud" && s.operation === "joinCommunity" && s.label === "createAmityClient"
            )?.source,
        ).toContain(
            "amity.joinCommunity(",
        );
        expect(samples.find((s) => s.operation === "getJoinRequests" && s.label === "createAmityClient")?.source)
            .toContain(
                "for await (const { data, error } of amity.joinRequests(",
            );
        if (HAS_CORPUS) expect(samples.filter((s) => s.spec === "museum-3.1").length).toBeGreaterThan(0);
        expect(
            samples.filter((s) => USER_SPECS.some((f) => f.startsWith(s.spec))).every((s) =>
                s.label === "Generated client"
            ),
        ).toBe(true);
    });

    it(
        "type-check, all in one program, against the generated and the shipped clients (and a wrong one does not)",
        () => {
            const amity = samples.find((s) =>
                s.spec === "amity-social-cloud" && s.operation === "joinCommunity" && s.label === "Generated client"
            )!;
            const wrong = path.join(SAMPLES, "wrong.ts");
            const files = new Map(virtual);
            files.set(
                wrong,
                amity.source.replace(/AmityErrorCode\.\w+/, "AmityErrorCode.NoSuchCode").replace(
                    "communityId",
                    "communityID",
                ),
            );
            const diagnostics = typecheck(files);
            expect(diagnostics.get(wrong)?.length ?? 0).toBeGreaterThanOrEqual(2);
            diagnostics.delete(wrong);
            expect(Object.fromEntries(diagnostics)).toEqual({});
            expect(samples.length).toBeGreaterThan(120);
        },
        240_000,
    );
});
