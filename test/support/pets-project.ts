import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

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
