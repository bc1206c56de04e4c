// The route builder: statuses by method, the hidden update twin, and wrapper keys declared on the
// body schema (a missing wrapper is a 400 only where the schema says there is one).
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandlerPlugin } from '../../src/plugins/error-handler.js';
import { jsonBodyPlugin } from '../../src/plugins/json-body.js';
import { defaultErrors, routes, wrapped, wrapperOf } from '../../src/lib/route.js';

const Thing = z.object({ data: z.object({ name: z.string() }) });

async function app() {
  const a = Fastify();
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  await a.register(errorHandlerPlugin);
  await a.register(jsonBodyPlugin);
  const r = routes(a, ['Things']);
  r.post('/wrapped', { operationId: 'w', summary: 's', body: wrapped('thing', z.object({ name: z.string() })), response: Thing },
    async (request) => ({ data: { name: request.body.thing.name } }));
  // Shaped like a wrapper (one key holding an object) but declared flat, as createAgentSnapshot's {graph} is.
  r.post('/flat', { operationId: 'f', summary: 's', body: z.object({ graph: z.object({ name: z.string() }) }), response: Thing },
    async (request) => ({ data: { name: request.body.graph.name } }));
  r.post('/started', { operationId: 'st', summary: 's', response: Thing, status: 202 }, async () => ({ data: { name: 'started' } }));
  r.update('/things/:id', { method: 'PATCH', operationId: 'u', summary: 's', params: z.object({ id: z.string() }), response: Thing },
    async (request) => ({ data: { name: request.params.id } }));
  r.delete('/things/:id', { operationId: 'd', summary: 's', params: z.object({ id: z.string() }) }, async () => undefined);
  await a.ready();
  return a;
}

const post = async (url: string, payload: unknown) => {
  const res = await (await app()).inject({ method: 'POST', url, payload: payload as object, headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: res.json() };
};

describe('routes()', () => {
  it('a body declared as wrapped: its wrapper missing is a 400, a field inside it a 422', async () => {
    expect(await post('/wrapped', { other: {} })).toEqual({ status: 400, body: { error: 'Invalid parameters', message: 'param is missing or the value is empty: thing' } });
    expect(await post('/wrapped', { thing: { name: 1 } })).toEqual({ status: 422, body: { error: 'Validation failed', message: 'name must be a string' } });
    expect(await post('/wrapped', { thing: { name: 'ok' } })).toEqual({ status: 201, body: { data: { name: 'ok' } } });
  });

  it('a body not declared as wrapped is flat, whatever its shape: its missing key is a field like any other (422)', async () => {
    expect(await post('/flat', {})).toEqual({ status: 422, body: { error: 'Validation failed', message: "graph can't be blank" } });
    expect(await post('/flat', { graph: { name: 'g' } })).toEqual({ status: 201, body: { data: { name: 'g' } } });
  });

  it('sends the declared status, the update on both methods, 204 with no body for a delete', async () => {
    const a = await app();
    expect((await a.inject({ method: 'POST', url: '/started' })).statusCode).toBe(202);
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await a.inject({ method, url: '/things/abc', payload: {} });
      expect([method, res.statusCode, res.json()]).toEqual([method, 200, { data: { name: 'abc' } }]);
    }
    const del = await a.inject({ method: 'DELETE', url: '/things/abc' });
    expect([del.statusCode, del.body, del.headers['content-type']]).toEqual([204, '', undefined]);
  });

  it('knows the wrapper of a wrapped schema only', () => {
    expect(wrapperOf(wrapped('customer', z.object({})))).toBe('customer');
    expect(wrapperOf(z.object({ customer: z.object({}) }))).toBeUndefined();
  });

  it('declares the error statuses a method can answer', () => {
    expect(defaultErrors('GET', false, false)).toEqual([401]);
    expect(defaultErrors('GET', true, false)).toEqual([401, 404]);
    expect(defaultErrors('POST', false, true)).toEqual([400, 401, 422]);
    expect(defaultErrors('POST', true, true)).toEqual([400, 401, 404, 422]);
    expect(defaultErrors('POST', true, false)).toEqual([401, 404]);
    expect(defaultErrors('PATCH', true, true)).toEqual([400, 401, 404, 422]);
    expect(defaultErrors('DELETE', true, false)).toEqual([401, 404]);
  });
});
