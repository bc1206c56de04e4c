// Responses are serialized by fast-json-stringify, compiled once per route and status from
// the route's zod schema. Only declared properties are written, so internal columns can
// never leak; no zod parsing of outputs on the hot path.
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

// No schema IDs while compiling: everything is inlined, nothing resolved through $ref.
const inline = z.registry<Record<string, unknown>>();

export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  const jsonSchema = z.toJSONSchema(schema, { io: 'output', target: 'draft-07', unrepresentable: 'any', metadata: inline });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
};
