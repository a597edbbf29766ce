import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { vi } from "vitest";
import { main } from "../../codegen/cli.js";

export interface InProcessRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `joinkit <args>` in this process (no TypeScript start-up), capturing what it prints. */
export async function runCli(args: string[], cwd: string): Promise<InProcessRun> {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void out.push(String(line)));
    const error = vi.spyOn(console, "error").mockImplementation((line: unknown) => void err.push(String(line)));
    try {
        const code = await main(args, cwd);
        return { code, stdout: out.join("\n"), stderr: err.join("\n") };
    } finally {
        log.mockRestore();
        error.mockRestore();
    }
}

export const PET_PART = "type: object\ndescription: A pet\nproperties:\n  name: {type: string}\n";

export const PETS_SPEC = `openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://api.petstore.dev"}]
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      security: []
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "./parts/pet.yaml"}
`;

/** A scratch project (it has a package.json) with specs/pets.yaml, which $refs specs/parts/pet.yaml. */
export function petsProject(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-pets-"));
    mkdirSync(path.join(dir, "specs/parts"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), '{ "name": "pets-project", "private": true }\n');
    writeFileSync(path.join(dir, "specs/pets.yaml"), PETS_SPEC);
    writeFileSync(path.join(dir, "specs/parts/pet.yaml"), PET_PART);
    return dir;
}
