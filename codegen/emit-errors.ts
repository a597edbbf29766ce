import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import type { ApiModel, CatalogueModel } from "./model/index.js";
import { printStatements } from "./ts-project.js";
import { safeCommentText, tsdoc } from "./tsdoc.js";

/**
 * How error catalogues are emitted: TypeScript `enum`s, or `as const` objects with a
 * union type of the same name, which type-stripping runtimes and `erasableSyntaxOnly`
 * accept. Both are used the same way: `ErrorCode.NotFound`, `code: ErrorCode`.
 */
export type EnumStyle = "enum" | "const";

/** `errors.ts`: one enum (or const object) per error catalogue, members documented from the spec. */
export function emitErrors(model: ApiModel, style: EnumStyle = "enum"): string {
    const statements = model.catalogues.flatMap((catalogue) => (style === "enum" ? asEnum(catalogue) : asConst(catalogue)));
    return printStatements(statements.length > 0 ? statements : ["export {};"]);
}

function docs(catalogue: CatalogueModel) {
    return tsdoc([catalogue.description, `Declared at \`${catalogue.pointer}\`.`]);
}

function asEnum(catalogue: CatalogueModel): StatementStructures[] {
    return [
        {
            kind: StructureKind.Enum,
            isExported: true,
            name: catalogue.name,
            docs: docs(catalogue),
            members: catalogue.members.map((member) => ({
                name: member.name,
                initializer: JSON.stringify(member.value),
                docs: tsdoc([member.description]),
            })),
        },
    ];
}

function asConst(catalogue: CatalogueModel): StatementStructures[] {
    const members = catalogue.members.map((member) => {
        const doc = member.description === undefined ? "" : docComment(member.description);
        return `${doc}${member.name}: ${JSON.stringify(member.value)},`;
    });
    return [
        {
            kind: StructureKind.VariableStatement,
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            docs: docs(catalogue),
            declarations: [{ name: catalogue.name, initializer: `{\n${members.join("\n")}\n} as const` }],
        },
        {
            kind: StructureKind.TypeAlias,
            isExported: true,
            name: catalogue.name,
            docs: tsdoc([`One of the values of {@link ${catalogue.name}}.`]),
            type: `(typeof ${catalogue.name})[keyof typeof ${catalogue.name}]`,
        },
    ];
}

function docComment(text: string): string {
    const lines = safeCommentText(text.trim()).split("\n");
    return lines.length === 1 ? `/** ${lines[0]} */\n` : `/**\n${lines.map((line) => ` * ${line}`.trimEnd()).join("\n")}\n */\n`;
}
