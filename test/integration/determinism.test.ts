import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateWorkspace, workspaceAt } from "../../codegen/output/workspace.js";
import { ROOT } from "../support/fixtures.js";

/** A workspace whose spec files were created in the given order. */
function workspaceWith(order: string[]): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-order-"));
    mkdirSync(path.join(dir, "specs"));
    for (const config of ["redocly.yaml", ".redocly.lint-ignore.yaml"]) {
        copyFileSync(path.join(ROOT, config), path.join(dir, config));
    }
    for (const name of order) copyFileSync(path.join(ROOT, "specs", name), path.join(dir, "specs", name));
    return dir;
}

describe("determinism", () => {
    it("gives identical bytes whatever order the spec files were created or listed in", async () => {
        const names = readdirSync(path.join(ROOT, "specs")).sort();
        const forward = await generateWorkspace(workspaceAt(workspaceWith(names)));
        const backward = await generateWorkspace(workspaceAt(workspaceWith([...names].reverse())));
        const flatten = (apis: typeof forward) =>
            [...apis].flatMap(([api, generated]) =>
                [...generated.files].map(([file, text]) => [`${api}/${file}`, text])
            );
        expect(flatten(backward)).toEqual(flatten(forward));
        expect([...forward.keys()]).toEqual(names.map((n) => n.replace(/\.yaml$/, "")));
    });
});
