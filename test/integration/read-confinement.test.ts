import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinkit as run, snapshotTree } from "../support/cli.js";

const SECRET = "TOP-SECRET-VALUE-4711";

/** A spec whose one response schema is `$ref: <ref>`, at line 11. */
function specWithRef(ref: string): string {
    return [
        "openapi: 3.1.0",
        'info: { title: refs, version: "1" }',
        "paths:",
        "  /thing:",
        "    get:",
        "      operationId: getThing",
        "      responses:",
        '        "200":',
        "          description: ok",
        "          content:",
        `            application/json: { schema: { $ref: ${JSON.stringify(ref)} } }`,
        "",
    ].join("\n");
}

/** A project (package.json), with a secret file beside it, outside it. */
function projectBesideSecret(): { project: string; secret: string } {
    const outer = mkdtempSync(path.join(tmpdir(), "joinkit-confine-"));
    const secret = path.join(outer, "secret.yaml");
    writeFileSync(secret, `type: string\ndescription: ${SECRET}\n`);
    const project = path.join(outer, "project");
    mkdirSync(path.join(project, "specs"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), '{ "name": "p", "private": true }\n');
    return { project, secret };
}

function expectRefusedRef(
    result: { code: number | null; stdout: string; stderr: string },
    rule: string,
    file: string,
): void {
    expect(result.stderr).toMatch(
        new RegExp(
            `^${
                file.replace(/\./g, "\\.")
            }:11:\\d+ error ${rule}: .*\\(at #/paths/~1thing/get/responses/200/content/application~1json/schema\\)$`,
            "m",
        ),
    );
    expect(result.stderr).toContain("joinkit: nothing was written.");
    expect(result.stderr + result.stdout).not.toContain(SECRET);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
}

describe("$refs read only inside the project", () => {
    it.each([
        ["a path out of the project", "../secret.yaml"],
        ["an absolute path", "SECRET"],
        ["/proc/self/environ", "/proc/self/environ"],
    ])("refuses %s with file, line and pointer, reading and printing nothing of it", async (_, ref) => {
        const { project, secret } = projectBesideSecret();
        writeFileSync(
            path.join(project, "specs/api.yaml"),
            specWithRef(ref === "SECRET" ? secret : ref === "../secret.yaml" ? "../../secret.yaml" : ref),
        );
        const result = await run(["generate"], project);
        expectRefusedRef(result, "ref-outside-project", "specs/api.yaml");
        expect(existsSync(path.join(project, "generated/api"))).toBe(false);
        expectRefusedRef(await run(["check"], project), "ref-outside-project", "specs/api.yaml");
    });

    it("refuses a symbolic link inside the project that leads out of it", async () => {
        const { project, secret } = projectBesideSecret();
        symlinkSync(secret, path.join(project, "specs/shared.yaml.link"));
        writeFileSync(path.join(project, "specs/api.yaml"), specWithRef("./shared.yaml.link"));
        const result = await run(["generate"], project);
        expectRefusedRef(result, "ref-outside-project", "specs/api.yaml");
        expect(result.stderr).toContain("through a symbolic link");
    });

    it("lets a document outside the project reach its own folder, and nothing above it", async () => {
        const { project } = projectBesideSecret();
        const foreign = mkdtempSync(path.join(tmpdir(), "joinkit-foreign-"));
        mkdirSync(path.join(foreign, "api"));
        writeFileSync(
            path.join(foreign, "api/parts.yaml"),
            "Thing: { type: object, properties: { id: { type: string } } }\n",
        );
        writeFileSync(path.join(foreign, "api/ok.yaml"), specWithRef("./parts.yaml#/Thing"));
        writeFileSync(path.join(foreign, "outside.yaml"), `type: string\ndescription: ${SECRET}\n`);
        writeFileSync(path.join(foreign, "api/escape.yaml"), specWithRef("../outside.yaml"));

        const ok = await run(["generate", "--spec", path.join(foreign, "api/ok.yaml"), "--out", "client"], project);
        expect(ok.stderr).not.toContain("error");
        expect(ok.code).toBe(0);
        expect(readFileSync(path.join(project, "client/schema.ts"), "utf8")).toContain("id?: string");

        const escape = await run(
            ["generate", "--spec", path.join(foreign, "api/escape.yaml"), "--out", "client2"],
            project,
        );
        expectRefusedRef(escape, "ref-outside-project", path.relative(project, path.join(foreign, "api/escape.yaml")));
    });
});

describe("remote $refs only when asked", () => {
    let server: Server;
    let url: string;
    const requests: string[] = [];
    beforeAll(async () => {
        server = createServer((req, res) => {
            requests.push(req.url ?? "");
            res.writeHead(200, { "Content-Type": "application/yaml" }).end(
                "type: object\nproperties:\n  remote: { type: string }\n",
            );
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/schemas/thing.yaml`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("refuses a remote $ref by default, located, without making the request", async () => {
        const { project } = projectBesideSecret();
        writeFileSync(path.join(project, "specs/api.yaml"), specWithRef(url));
        const before = requests.length;
        const result = await run(["generate"], project);
        expectRefusedRef(result, "remote-ref", "specs/api.yaml");
        expect(result.stderr).toContain("--allow-remote-refs");
        expect(requests.length).toBe(before);
    });

    it("fetches it with --allow-remote-refs, or with the package.json opt-in, printing every URL fetched", async () => {
        const { project } = projectBesideSecret();
        writeFileSync(path.join(project, "specs/api.yaml"), specWithRef(url));
        const flagged = await run(["generate", "--allow-remote-refs"], project);
        expect(flagged.stderr).not.toContain("error");
        expect(flagged.code).toBe(0);
        expect(flagged.stdout).toContain(`joinkit: fetching remote $ref ${url}`);
        expect(requests).toContain("/schemas/thing.yaml");
        expect(readFileSync(path.join(project, "generated/api/schema.ts"), "utf8")).toContain("remote?: string");

        writeFileSync(
            path.join(project, "package.json"),
            '{ "name": "p", "private": true, "joinkit": { "allowRemoteRefs": true } }\n',
        );
        const configured = await run(["check"], project);
        expect(configured.code).toBe(0);
        expect(configured.stdout).toContain(`joinkit: fetching remote $ref ${url}`);
    });
});

describe("config: looked up only inside the project, plugins only when asked", () => {
    /** A redocly.yaml whose plugin leaves a marker file when it is loaded. */
    function pluginConfig(dir: string): string {
        const marker = path.join(dir, "PLUGIN-RAN");
        writeFileSync(
            path.join(dir, "evil.cjs"),
            `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\nmodule.exports = { id: "evil" };\n`,
        );
        writeFileSync(path.join(dir, "redocly.yaml"), "extends: [minimal]\nplugins:\n  - ./evil.cjs\n");
        return marker;
    }

    it("ignores a config with plugins above the project (a shared temp folder, say)", async () => {
        const outer = mkdtempSync(path.join(tmpdir(), "joinkit-shared-"));
        const marker = pluginConfig(outer);
        const project = path.join(outer, "someone");
        mkdirSync(path.join(project, "specs"), { recursive: true });
        writeFileSync(path.join(project, "package.json"), "{}\n");
        writeFileSync(
            path.join(project, "specs/api.yaml"),
            specWithRef("#/components/schemas/Thing") + "components:\n  schemas:\n    Thing: { type: string }\n",
        );
        const result = await run(["generate", "--allow-config-plugins"], project);
        expect(result.code).toBe(0);
        expect(existsSync(marker)).toBe(false);
    });

    it("refuses a project config with plugins, located, unless the user opts in", async () => {
        const { project } = projectBesideSecret();
        const marker = pluginConfig(project);
        writeFileSync(
            path.join(project, "specs/api.yaml"),
            specWithRef("#/components/schemas/Thing") + "components:\n  schemas:\n    Thing: { type: string }\n",
        );
        const before = snapshotTree(project);
        const refused = await run(["generate"], project);
        expect(refused.stderr).toMatch(
            /^redocly\.yaml:2 error config-plugins: declares plugins, which run code.*--allow-config-plugins/m,
        );
        expect(refused.code).toBe(1);
        expect(existsSync(marker)).toBe(false);
        expect(snapshotTree(project)).toEqual(before);

        const allowed = await run(["generate", "--allow-config-plugins"], project);
        expect(allowed.stderr).not.toContain(" error ");
        expect(allowed.code).toBe(0);
        expect(existsSync(marker)).toBe(true);
    });

    it("never runs plugins from a config beside a document outside the project, even with the opt-in", async () => {
        const { project } = projectBesideSecret();
        const foreign = mkdtempSync(path.join(tmpdir(), "joinkit-theirs-"));
        const marker = pluginConfig(foreign);
        writeFileSync(
            path.join(foreign, "api.yaml"),
            specWithRef("#/components/schemas/Thing") + "components:\n  schemas:\n    Thing: { type: string }\n",
        );
        const result = await run([
            "generate",
            "--spec",
            path.join(foreign, "api.yaml"),
            "--out",
            "client",
            "--allow-config-plugins",
        ], project);
        expect(result.code).toBe(0);
        expect(existsSync(marker)).toBe(false);
    });

    it("refuses a config that extends one from a URL", async () => {
        const { project } = projectBesideSecret();
        writeFileSync(
            path.join(project, "redocly.yaml"),
            "extends:\n  - minimal\n  - https://example.test/redocly.yaml\n",
        );
        writeFileSync(
            path.join(project, "specs/api.yaml"),
            specWithRef("#/components/schemas/Thing") + "components:\n  schemas:\n    Thing: { type: string }\n",
        );
        const result = await run(["generate"], project);
        expect(result.stderr).toMatch(
            /^redocly\.yaml:3 error config-extends: extends https:\/\/example\.test\/redocly\.yaml, which would be fetched/m,
        );
        expect(result.code).toBe(1);
    });
});
