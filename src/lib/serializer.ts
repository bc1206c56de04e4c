// Responses are serialized by fast-json-stringify, compiled from the route's zod schema once
// per route and status: on its first use rather than at start-up, so a cold start does not
// pay for routes a run never calls. Only declared properties are written, so internal columns
// can never leak; no zod parsing of outputs on the hot path.
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

// No schema IDs while compiling: everything is inlined, nothing resolved through $ref.
const inline = z.registry<Record<string, unknown>>();

/** One compiled serializer per schema object (the error envelope is shared by every route). */
const compiled = new WeakMap<z.ZodType, (data: unknown) => string>();

function compile(schema: z.ZodType): (data: unknown) => string {
  let fn = compiled.get(schema);
  if (!fn) {
    const jsonSchema = z.toJSONSchema(schema, { io: 'output', target: 'draft-07', unrepresentable: 'any', metadata: inline });
    fn = fastJson(jsonSchema as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
    compiled.set(schema, fn);
  }
  return fn;
}

export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= compile(schema))(data);
};
