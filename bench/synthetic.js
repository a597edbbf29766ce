// A synthetic OpenAPI 3.0 document with `operations` operations (a multiple of 5): one
// resource per 5 operations (list, create, get, replace, delete), each with its own schema,
// a shared path parameter and a shared error schema. Deterministic, so runs compare.
export function syntheticDocument(operations) {
    const resources = Math.ceil(operations / 5);
    const paths = {};
    const schemas = {
        Error: {
            type: "object",
            required: ["code", "message"],
            properties: { code: { type: "integer" }, message: { type: "string" } },
        },
    };
    const errors = {
        400: {
            description: "Bad request",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
    };
    for (let r = 0; r < resources; r++) {
        const name = `Item${r}`;
        const ref = { $ref: `#/components/schemas/${name}` };
        const json = (schema) => ({ "application/json": { schema } });
        schemas[name] = {
            type: "object",
            description: `Resource ${r}.`,
            required: ["id", "name"],
            properties: {
                id: { type: "string" },
                name: { type: "string", maxLength: 100 },
                count: { type: "integer", minimum: 0 },
                status: { type: "string", enum: ["active", "archived"] },
                tags: { type: "array", items: { type: "string" } },
            },
        };
        paths[`/items${r}`] = {
            get: {
                operationId: `listItems${r}`,
                summary: `List resource ${r}`,
                parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1 } }],
                responses: { 200: { description: "OK", content: json({ type: "array", items: ref }) }, ...errors },
            },
            post: {
                operationId: `createItem${r}`,
                summary: `Create resource ${r}`,
                requestBody: { required: true, content: json(ref) },
                responses: { 201: { description: "Created", content: json(ref) }, ...errors },
            },
        };
        paths[`/items${r}/{id}`] = {
            parameters: [{ $ref: "#/components/parameters/Id" }],
            get: {
                operationId: `getItem${r}`,
                summary: `Get resource ${r}`,
                responses: { 200: { description: "OK", content: json(ref) }, ...errors },
            },
            put: {
                operationId: `replaceItem${r}`,
                summary: `Replace resource ${r}`,
                requestBody: { required: true, content: json(ref) },
                responses: { 200: { description: "OK", content: json(ref) }, ...errors },
            },
            delete: {
                operationId: `deleteItem${r}`,
                summary: `Delete resource ${r}`,
                responses: { 204: { description: "Deleted" }, ...errors },
            },
        };
    }
    return {
        openapi: "3.0.3",
        info: {
            title: "Synthetic",
            version: "1.0.0",
            description: `${operations} generated operations for the scale benchmark.`,
        },
        servers: [{ url: "https://api.example.com" }],
        paths,
        components: {
            schemas,
            parameters: { Id: { name: "id", in: "path", required: true, schema: { type: "string" } } },
        },
    };
}
