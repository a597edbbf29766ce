/**
 * A deterministic document for the emitted-formatting test: operation names, paths,
 * parameter and field names, catalogue names, enum values, server URLs and texts of every
 * length from short to past 120 columns (and texts with both kinds of quote, `*\/`, a tag,
 * blank lines in a row), so every place a line of the emitted files may break is met on
 * both sides of the limit.
 */
const letters = (n: number, shift = 0) =>
    Array.from({ length: n }, (_, i) => "abcdefghijklmnopqrstuvwxyz"[(i * 7 + n + shift) % 26]).join("");
const TEXTS = ['He said "hi"', "it's", `both ' and "" here`, "plain", "*/ end @tag", "one\n\n\n\ntwo", "x".repeat(130)];
const METHODS = ["get", "post", "put", "delete", "patch"];

export function longLinesDocument(operations = 150): Record<string, unknown> {
    const schemas: Record<string, unknown> = {};
    for (let c = 0; c < 6; c++) {
        const values = [0, 1, 2].map((
            i,
        ) => (c % 2
            ? 1000 * c + i
            : `${TEXTS[(c + i) % TEXTS.length]!.replace(/\n/g, " ")} ${letters(10 + ((i * 37 + c * 23) % 120))}`)
        );
        schemas[`Err${letters(5 + c * 9)}`] = {
            type: c % 2 ? "integer" : "string",
            description: TEXTS[c % TEXTS.length],
            enum: values,
            "x-enum-descriptions": values.map((_, i) => TEXTS[(c + i + 1) % TEXTS.length]),
        };
    }
    const catalogues = Object.keys(schemas);
    const securitySchemes: Record<string, unknown> = {
        oauth: {
            type: "oauth2",
            flows: { clientCredentials: { tokenUrl: "https://example.com/token", scopes: { read: "r" } } },
        },
    };
    for (let i = 0; i < 40; i++) {
        securitySchemes[`key${letters(10 + 2 * i)}`] = {
            type: "apiKey",
            in: "header",
            name: `X-${letters(5 + i * 3)}`,
            description: TEXTS[i % TEXTS.length],
        };
    }
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < operations; i++) {
        const errors: Record<string, unknown> = {};
        for (let k = 0; k < i % 5; k++) {
            const code = { $ref: `#/components/schemas/${catalogues[(i + k) % catalogues.length]}` };
            errors[String(400 + k)] = {
                description: "Error.",
                content: { "application/json": { schema: { type: "object", properties: { code } } } },
            };
        }
        const parameters: Record<string, unknown>[] = [{
            name: "id",
            in: "path",
            required: true,
            schema: { type: "string" },
        }];
        if (i % 3 === 0) {
            parameters.push({
                name: letters(5 + (i % 110)),
                in: "query",
                schema: { type: "array", items: { type: "string" } },
                style: "form",
                explode: false,
            });
        }
        const operation: Record<string, unknown> = {
            operationId: `${letters(4 + ((i * 11) % 95))}${i}`,
            summary: i % 4 ? TEXTS[i % TEXTS.length] : undefined,
            description: i % 6 ? TEXTS[(i * 5) % TEXTS.length] : undefined,
            deprecated: i % 9 === 0 || undefined,
            parameters,
            responses: {
                200: {
                    description: "OK.",
                    content: { [`application/vnd.${letters(1 + (i % 60))}+json`]: { schema: { type: "object" } } },
                },
                ...errors,
            },
        };
        if (i % 4 === 1) {
            const field = letters(3 + (i % 100));
            operation.requestBody = {
                required: true,
                content: {
                    "multipart/form-data": {
                        schema: { type: "object", properties: { [field]: { type: "string" } } },
                        encoding: {
                            [field]: { contentType: `image/${letters(1 + (i % 50))}`, style: "form", explode: true },
                        },
                    },
                },
            };
        }
        if (i % 10 === 3) operation["x-rate-limit"] = { requests: 5, perSeconds: 1, burst: 10, maxInFlight: 2 };
        if (i % 8 === 2) operation.security = [{ [`key${letters(10 + 2 * (i % 40))}`]: [] }, { oauth: ["read"] }];
        paths[`/${letters(3 + (i % 40))}/{id}/${letters(1 + ((i * 13) % 90))}${i}`] = { [METHODS[i % 5]!]: operation };
    }
    return {
        openapi: "3.0.3",
        info: { title: `Long "lines" ${letters(40)}`, version: "1" },
        servers: [
            {
                url: `https://${letters(20)}.example.com/{v}/${letters(90)}`,
                description: TEXTS[0],
                variables: { v: { default: "v1", enum: ["v1", "v2"], description: TEXTS[6] } },
            },
            { url: "https://b.example.com", description: TEXTS[2] },
        ],
        security: [{ oauth: [] }],
        paths,
        components: { schemas, securitySchemes },
    };
}
