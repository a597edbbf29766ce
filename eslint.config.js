// ESLint over the project's own code (not generated/, which codegen writes and the snapshot
// and drift tests pin). typescript-eslint's rules without type information: they need no
// TypeScript program, so linting stays a few seconds; vitest's typecheck pass is the one
// type-check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The generator's rooms (codegen/*/README.md), lowest first: a room imports only rooms below
// it, and each third-party package that carries a kind of knowledge is imported by one room.
// pipeline.ts, the one composer, sits between emit/ and output/.
const ROOMS = ["core", "spec", "model", "mock", "emit", "pipeline", "output", "docs", "cli"];
const OWNED = {
    spec: ["@redocly/openapi-core", "js-yaml", "yaml-ast-parser", "swagger2openapi"],
    emit: ["openapi-typescript", "typescript", "ts-morph"],
    output: ["chokidar", "diff"],
    docs: ["@redocly/cli", "@markdoc/markdoc", "serve-static"],
};
// model/naming.ts asks the installed TypeScript what an identifier is (its Unicode tables).
const EXCEPTIONS = { "codegen/model/naming.ts": ["typescript"] };

function wall(room) {
    const above = ROOMS.slice(ROOMS.indexOf(room) + 1);
    const folders = above.filter((r) => r !== "pipeline");
    const upward = [
        ...(folders.length > 0 ? [`^(\\.\\./)+(${folders.join("|")})/`] : []),
        ...(above.includes("pipeline") ? ["^(\\.\\./)+pipeline\\.js$"] : []),
    ].join("|");
    const foreign = Object.entries(OWNED).filter(([owner]) => owner !== room).flatMap(([owner, names]) =>
        names.map((name) => ({ name, message: `only codegen/${owner}/ imports ${name}` }))
    );
    const rule = (extra = []) => ({
        "no-restricted-imports": ["error", {
            paths: foreign.filter(({ name }) => !extra.includes(name)),
            patterns: upward === ""
                ? []
                : [{
                    regex: upward,
                    message: `codegen/${room}/ may import only the rooms below it (${
                        ROOMS.slice(0, ROOMS.indexOf(room)).join(", ") || "none"
                    })`,
                }],
        }],
        "no-restricted-syntax": upward === "" ? "off" : ["error", {
            selector: `ImportExpression[source.value=/${upward.replaceAll("/", "\\/")}/]`,
            message: `codegen/${room}/ may import only the rooms below it`,
        }],
    });
    const files = room === "pipeline" ? ["codegen/pipeline.ts"] : [`codegen/${room}/**/*.ts`];
    return [
        { files, rules: rule() },
        ...Object.entries(EXCEPTIONS).filter(([file]) =>
            files.some((glob) => file.startsWith(glob.replace("**/*.ts", "")))
        )
            .map(([file, names]) => ({ files: [file], rules: rule(names) })),
    ];
}

export default tseslint.config(
    {
        ignores: [
            "generated/**",
            "**/dist/**",
            "docs/**",
            "test/integration/__snapshots__/**",
            ".screenshots/**",
            "coverage/**",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            ecmaVersion: 2023,
            sourceType: "module",
            globals: {
                process: "readonly",
                console: "readonly",
                URL: "readonly",
                setTimeout: "readonly",
                clearTimeout: "readonly",
            },
        },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            // `any` marks untyped JSON documents (parsed YAML, bundled specs) knowingly.
            "@typescript-eslint/no-explicit-any": "off",
            // `_`-prefixed parameters and caught errors are unused on purpose.
            "@typescript-eslint/no-unused-vars": ["error", {
                argsIgnorePattern: "^_",
                varsIgnorePattern: "^_",
                caughtErrors: "none",
            }],
            // The project matches control characters on purpose: to escape them in messages and
            // to refuse them in headers (ten places; a directive on each would say the same).
            "no-control-regex": "off",
            // `Paths extends {}` mirrors openapi-fetch's own constraint.
            "@typescript-eslint/no-empty-object-type": "off",
            // Type-only imports are spelled `import type`/`type X` (verbatimModuleSyntax).
            "@typescript-eslint/consistent-type-imports": ["error", {
                fixStyle: "inline-type-imports",
                disallowTypeAnnotations: false,
            }],
            // tsc (strict, noImplicitAny) already reports undefined names, with TypeScript's globals.
            "no-undef": "off",
        },
    },
    {
        // The schema worker runs from its own source text in a worker thread, where only
        // `require` is available to it (see the file's comment).
        files: ["codegen/emit/schema-worker.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    ...ROOMS.flatMap(wall),
);
