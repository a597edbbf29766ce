// What each public entry point costs a browser bundle: esbuild, minified, then gzip -9.
// Run after `npm run build` (`npm run size` does both). Prints a Markdown table.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const entries = [
    ["joinkit/amity", "createAmityClient", 'export { createAmityClient, AmityErrorCode } from "joinkit/amity";'],
    [
        "joinkit/sonoran-cad",
        "createSonoranCadClient",
        'export { createSonoranCadClient, SonoranCadError } from "joinkit/sonoran-cad";',
    ],
    ["joinkit", "createAmityClient only", 'export { createAmityClient } from "joinkit";'],
    ["joinkit", "everything", 'export * from "joinkit";'],
    ["openapi-fetch", "createClient (for comparison)", 'export { default } from "openapi-fetch";'],
];

export async function measure(source) {
    const result = await build({
        stdin: { contents: source, resolveDir: process.cwd(), loader: "js" },
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        write: false,
        logLevel: "silent",
    });
    const code = result.outputFiles[0].contents;
    return {
        code: new TextDecoder().decode(code),
        minified: code.byteLength,
        gzipped: gzipSync(code, { level: 9 }).byteLength,
    };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
    console.log("| entry point | imports | minified | min + gzip |");
    console.log("|---|---|---:|---:|");
    for (const [entry, what, source] of entries) {
        const { minified, gzipped } = await measure(source);
        console.log(`| \`${entry}\` | ${what} | ${kb(minified)} | ${kb(gzipped)} |`);
    }
}
