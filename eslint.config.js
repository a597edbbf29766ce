// ESLint over the project's own code (not generated/, which codegen writes and the snapshot
// and drift tests pin). typescript-eslint's rules without type information: they need no
// TypeScript program, so linting stays a few seconds; vitest's typecheck pass is the one
// type-check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
        files: ["codegen/schema-worker.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
