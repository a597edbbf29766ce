import { group, hang, INDENT, layout, stringLiteral } from "./layout.js";
import type { ApiModel, CatalogueModel } from "../model/index.js";
import { tsdoc } from "./tsdoc.js";

/**
 * How error catalogues are emitted: TypeScript `enum`s, or `as const` objects with a
 * union type of the same name, which type-stripping runtimes and `erasableSyntaxOnly`
 * accept. Both are used the same way: `ErrorCode.NotFound`, `code: ErrorCode`.
 */
export type EnumStyle = "enum" | "const";

/** `errors.ts`: one enum (or const object) per error catalogue, members documented from the spec. */
export function emitErrors(model: ApiModel, style: EnumStyle = "enum"): string {
    if (model.catalogues.length === 0) return "export {};\n";
    // Enums are set apart by a blank line; const objects and their types follow one another.
    return style === "enum" ? model.catalogues.map(asEnum).join("\n") : model.catalogues.map(asConst).join("");
}

function docs(catalogue: CatalogueModel): string {
    return tsdoc([catalogue.description, `Declared at \`${catalogue.pointer}\`.`]);
}

/** Each member: its doc comment, then `Name = value` (`=`) or `Name: value` (`:`), a long string on the next line. */
function members(catalogue: CatalogueModel, separator: " =" | ":"): string {
    return catalogue.members
        .map((member) => {
            const value = typeof member.value === "string"
                ? hang(stringLiteral(member.value))
                : ` ${JSON.stringify(member.value)}`;
            return `${tsdoc([member.description], { indent: INDENT })}${INDENT}${
                layout([`${member.name}${separator}`, value, ","], INDENT)
            }\n`;
        })
        .join("");
}

function asEnum(catalogue: CatalogueModel): string {
    return `${docs(catalogue)}export enum ${catalogue.name} {\n${members(catalogue, " =")}}\n`;
}

function asConst(catalogue: CatalogueModel): string {
    const { name } = catalogue;
    const type = layout([
        `export type ${name} =`,
        hang(group(`(typeof ${name})[`, [`keyof typeof ${name}`], "]")),
        ";",
    ]);
    return `${docs(catalogue)}export const ${name} = {\n${members(catalogue, ":")}} as const;\n${
        tsdoc([`One of the values of {@link ${name}}.`])
    }${type}\n`;
}
