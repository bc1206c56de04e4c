// Generates the contract document from the routes' zod schemas. Only `npm run openapi` and the
// tests load this (through renderOpenApiYaml): what it writes is committed as openapi.yaml, and
// the server serves that file (plugins/docs.ts) without generating anything at start-up.
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ERROR_TEXT } from '../errors.js';

// The reference page (plugins/docs.ts) shows the address it is served on in place of http://127.0.0.1:4400.
const DESCRIPTION = [
  "A local emulator of Kapso's REST API (https://app.kapso.ai/api/v1).",
  'Point a client at http://127.0.0.1:4400/api/v1 with one of the seeded keys, listed on the home page (http://127.0.0.1:4400/); "Try it out" uses seeded IDs.',
  "Operation IDs, tags, paths and shapes follow Kapso's published OpenAPI document; docs/behaviour.md in the repository lists the decisions where it is silent, and what is not emulated yet.",
  '',
  "Kapso's Meta proxy (the official WhatsApp SDK's base URL) is at http://127.0.0.1:4400/meta/whatsapp over the same data, in Meta's Graph shape with Graph errors (docs/meta-proxy.md).",
].join('\n');

const componentSchemas = createJsonSchemaTransformObject({ zodToJsonConfig: { target: 'openapi-3.0' } });
const SAFE_INT = Number.MAX_SAFE_INTEGER;
const STATUS_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', ...ERROR_TEXT };

type Json = Record<string, unknown>;

/**
 * Makes the generated document read like a hand-written one: no copies shared between
 * operations (no YAML anchors), no unused input twins of the component schemas, no
 * safe-integer bounds zod adds to every integer, no regex next to a date-time format, status texts instead of "Default Response",
 * query parameters with a default marked optional, optional bodies as required: false, error bodies in
 * JSON whatever a route produces, and a response schema marked x-media-type (the event stream) under
 * that media type instead of JSON.
 */
function tidy(document: unknown): Json {
  const doc = JSON.parse(JSON.stringify(document)) as Json;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const o = node as Json;
    if (o.minimum === -SAFE_INT) delete o.minimum;
    if (o.maximum === SAFE_INT) delete o.maximum;
    if (o.format === 'date-time' && typeof o.pattern === 'string') delete o.pattern;
    if (o.in === 'query' && (o.schema as Json | undefined)?.default !== undefined) o.required = false;
    Object.values(o).forEach(walk);
  };
  walk(doc);
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(item)) {
      // A body that may be left out is a nullish zod schema (Fastify validates an absent body as
      // null); the document says so with required: false instead of a nullable object.
      const body = operation.requestBody as { required?: boolean; content?: Record<string, { schema?: Json }> } | undefined;
      const bodySchema = body?.content?.['application/json']?.schema;
      if (body && bodySchema?.nullable === true) {
        delete bodySchema.nullable;
        body.required = false;
      }
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
        if (response.description === 'Default Response') response.description = STATUS_TEXT[status] ?? 'Response';
        const content = response.content as Record<string, { schema?: Json }> | undefined;
        // A route that answers a file (`produces`) still answers its errors in JSON.
        if (Number(status) >= 400 && content && !content['application/json']) response.content = { 'application/json': Object.values(content)[0] };
        // A response that is not JSON (the event stream) names its media type with x-media-type on its schema.
        const schema = content?.['application/json']?.schema;
        if (typeof schema?.['x-media-type'] === 'string') {
          const { 'x-media-type': media, ...rest } = schema;
          response.content = { [media as string]: { schema: rest } };
        }
      }
    }
  }
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
  const text = JSON.stringify(doc.paths);
  for (const name of Object.keys(schemas)) {
    if (name.endsWith('Input') && !text.includes(`#/components/schemas/${name}"`)) delete schemas[name];
  }
  // Component schemas by name: their order would otherwise follow the order modules happen to load in.
  if (doc.components) (doc.components as Json).schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return doc;
}

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'kapso-mock: Kapso External API', version: '1.0.0', description: DESCRIPTION },
        servers: [{ url: '/', description: 'This kapso-mock server' }],
        components: {
          securitySchemes: {
            ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A project API key (the seeded ones are listed on the home page, /).' },
            BearerAuth: { type: 'http', scheme: 'bearer', description: 'The Meta proxy also takes the project API key as a Bearer token.' },
            AdminToken: { type: 'http', scheme: 'bearer', description: 'KAPSO_MOCK_ADMIN_TOKEN, when the server has one (otherwise /__admin is open).' },
          },
        },
        security: [{ ApiKeyAuth: [] }],
      },
      transform: createJsonSchemaTransform({ skipList: [] }),
      transformObject: (input) => tidy(componentSchemas(input)),
    });
  },
  { name: 'openapi-generator' },
);
