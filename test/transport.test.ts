// Transport rules of docs/behaviour.md: content types, the error envelope and its statuses,
// unknown routes, CORS, /health. Each case pins the exact body: the envelope is the contract.
import { describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp } from './helpers/app.js';

const JSON_TYPE = 'application/json; charset=utf-8';
/** What a body in another type gets: the message says what to send instead. */
const UNSUPPORTED = { error: 'Unsupported media type', message: 'Send the body as JSON, with Content-Type: application/json' };

describe('request bodies', () => {
  it.each([
    ['not valid JSON', 'application/json', '{"customer": ', 400, { error: 'Invalid parameters', message: 'Body is not valid JSON' }],
    ['a JSON string', 'application/json', '"customer"', 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['a JSON number', 'application/json', '42', 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['JSON null', 'application/json', 'null', 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['an empty body', 'application/json', '', 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: customer' }],
    ['an empty object', 'application/json', '{}', 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: customer' }],
    ['a wrapper that is a string', 'application/json', '{"customer":"Acme"}', 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: customer' }],
    ['text/plain', 'text/plain', 'name=Acme', 415, UNSUPPORTED],
    ['a string body from fetch (text/plain)', 'text/plain;charset=UTF-8', '{"customer":{"name":"Acme"}}', 415, UNSUPPORTED],
    ['form encoding', 'application/x-www-form-urlencoded', 'customer[name]=Acme', 415, UNSUPPORTED],
  ])('%s', async (_case, type, payload, status, body) => {
    const api = client(await makeApp());
    const res = await api.post('/api/v1/customers', payload, { headers: { 'content-type': type } });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(res.headers['content-type']).toBe(JSON_TYPE);
  });

  it('accepts a body with no content type and no bytes as "no body"', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'x-api-key': DEMO_KEY } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Invalid parameters', message: 'param is missing or the value is empty: customer' });
  });

  it('accepts application/*+json and a charset parameter', async () => {
    const api = client(await makeApp());
    const body = { customer: { name: 'Vendor Type', external_customer_id: 'VT-1' } };
    expect((await api.post('/api/v1/customers', body, { headers: { 'content-type': 'application/vnd.api+json' } })).status).toBe(201);
    body.customer.external_customer_id = 'VT-2';
    expect((await api.post('/api/v1/customers', body, { headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
  });

  it('answers 413 above 1 MiB and stores nothing', async () => {
    const api = client(await makeApp());
    const big = { customer: { name: 'x'.repeat(1024 * 1024), external_customer_id: 'BIG' } };
    const res = await api.post('/api/v1/customers', big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'Payload too large' });
    expect((await api.get('/api/v1/customers?q[external_customer_id_eq]=BIG')).body.meta.total_count).toBe(0);
  });

  it('accepts a body just under 1 MiB', async () => {
    const api = client(await makeApp());
    const res = await api.post('/api/v1/customers', { customer: { name: 'x'.repeat(1024 * 1024 - 100), external_customer_id: 'ALMOST' } });
    expect(res.status).toBe(201);
  });

  it('drops __proto__ and constructor keys instead of letting them through', async () => {
    const api = client(await makeApp());
    const raw = '{"customer":{"name":"Proto","external_customer_id":"P-1","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}}';
    const res = await api.post('/api/v1/customers', raw);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Proto', external_customer_id: 'P-1' });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('responses', () => {
  it('JSON responses carry application/json; charset=utf-8; 204 has no body and no content type', async () => {
    const api = client(await makeApp());
    const get = await api.get('/api/v1/agents');
    expect(get.headers['content-type']).toBe(JSON_TYPE);
    const del = await api.delete(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`);
    expect(del.status).toBe(204);
    expect(del.raw).toBe('');
    expect(del.headers['content-type']).toBeUndefined();
  });

  it('an unexpected error is a 500 envelope without internals', async () => {
    const { buildApp } = await import('../src/app.js');
    const { makeConfig } = await import('../src/config.js');
    const app = buildApp(makeConfig({ logLevel: 'silent' }));
    app.get('/api/v1/__boom', async () => {
      throw new Error('SQLITE_IOERR at /var/lib/secret.db');
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/v1/__boom', headers: { 'x-api-key': DEMO_KEY } });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'An unexpected error occurred' });
    expect(res.body).not.toContain('secret');
  });
});

describe('routing', () => {
  it.each([
    ['GET', '/api/v1/nope'],
    ['DELETE', '/api/v1/agents'],
    ['POST', '/api/v1/agents/whatever/graph_of_nodes'],
    ['GET', '/api/v2/agents'],
    ['GET', '/nope'],
  ])('%s %s answers the 404 envelope, with or without a key', async (method, url) => {
    const app = await makeApp();
    for (const key of [DEMO_KEY, null]) {
      const res = await client(app, key).call(method as 'GET', url);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Not found', message: `No route matches ${method} ${url}` });
    }
  });

  it.each([
    ['GET', '/api/v1/voice_agents/whatever', 'getVoiceAgent', 'GET /api/v1/voice_agents/{id}'],
    ['DELETE', `/api/v1/customers/${ids.acme}/whatsapp_configs`, undefined, undefined],
    ['GET', '/api/v1/whatsapp_templates/sync_status', 'getWhatsappTemplateSyncStatus', 'GET /api/v1/whatsapp_templates/sync_status'],
    ['PATCH', '/api/v1/whatsapp_templates/t-1', 'updateWhatsappTemplate', 'PATCH /api/v1/whatsapp_templates/{template_id}'],
    ['DELETE', '/api/v1/whatsapp_messages/m-1', 'deleteWhatsappMessage', 'DELETE /api/v1/whatsapp_messages/{id}'],
    ['GET', '/api/v1/whatsapp_broadcasts?page=2', 'listWhatsappBroadcasts', 'GET /api/v1/whatsapp_broadcasts'],
    ['PUT', `/api/v1/agents/${ids.supportAgent}/executions/x`, 'updateAgentExecution', 'PUT /api/v1/agents/{agent_id}/executions/{execution_id}'],
    ['GET', '/whatsapp_templates', undefined, undefined],
    ['GET', '/api/v1/whatsapp_templates/', undefined, undefined],
  ])('%s %s: a route Kapso documents but the mock does not emulate yet says so (%s)', async (method, url, operationId, route) => {
    const app = await makeApp();
    for (const key of [DEMO_KEY, null]) {
      const res = await client(app, key).call(method as 'GET', url);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: 'Not found',
        message: operationId ? `Kapso operation ${operationId} (${route}) is not emulated yet` : `No route matches ${method} ${url}`,
      });
    }
  });

  it('an emulated operation is answered by its route, never by the table', async () => {
    const res = await client(await makeApp()).get(`/api/v1/agents/${ids.supportAgent}`);
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(ids.supportAgent);
  });

  it('the 404 message leaves out the query string', async () => {
    const res = await client(await makeApp()).get('/api/v1/nope?token=abc');
    expect(res.body).toEqual({ error: 'Not found', message: 'No route matches GET /api/v1/nope' });
  });
});

describe('CORS', () => {
  it('answers a preflight with 204 and the allowed headers', async () => {
    const app = await makeApp();
    const res = await app.inject({
      method: 'OPTIONS',
      url: `/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`,
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-api-key, content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-methods'])).toContain('PUT');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('x-api-key');
  });

  it('exposes the pagination and rate-limit headers on real responses', async () => {
    const res = await client(await makeApp()).get('/api/v1/agents', { headers: { origin: 'http://localhost:5173' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const exposed = String(res.headers['access-control-expose-headers']);
    for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After', 'Total', 'Total-Pages', 'Per-Page', 'Page', 'Link']) {
      expect(exposed).toContain(h);
    }
  });

  it('can be switched off', async () => {
    const res = await client(await makeApp({ cors: false })).get('/api/v1/agents', { headers: { origin: 'http://localhost:5173' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('/health', () => {
  it('answers 200 without a key', async () => {
    const res = await client(await makeApp(), null).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', version: expect.any(String) });
  });
});
