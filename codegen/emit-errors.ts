import { StructureKind, type EnumDeclarationStructure } from "ts-morph";
import type { ApiModel } from "./read-model.js";
import { printStatements } from "./ts-project.js";
import { tsdoc } from "./tsdoc.js";

/** `errors.ts`: one enum per error catalogue, members documented from the spec. */
export function emitErrors(model: ApiModel, header: string): string {
    const enums: EnumDeclarationStructure[] = model.catalogues.map((catalogue) => ({
        kind: StructureKind.Enum,
        isExported: true,
        name: catalogue.name,
        docs: tsdoc([catalogue.description, `Declared at \`${catalogue.pointer}\`.`]),
        members: catalogue.members.map((member) => ({
            name: member.name,
            initializer: JSON.stringify(member.value),
            docs: tsdoc([member.description]),
        })),
    }));
    return printStatements(header, enums.length > 0 ? enums : ["export {};"]);
}
