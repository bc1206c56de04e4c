// /__admin/faults and the X-Kapso-Mock-Status header: make chosen /api/v1 requests fail,
// slow down or drop, and check that the rules fire exactly as often as asked.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp, MISSING_ID, OTHER_KEY } from '../helpers/app.js';

const UNAVAILABLE = { error: 'Service unavailable' };

async function setup(overrides: Parameters<typeof makeApp>[0] = {}) {
  const app = await makeApp(overrides);
  return { app, api: client(app), admin: client(app, null) };
}

/**
 * A request outside the contract check: a rule's own body is by design not the documented
 * one, so only these tests read responses without it.
 */
async function raw(app: FastifyInstance, method: 'GET' | 'POST', url: string, key = DEMO_KEY) {
  const res = await app.inject({ method, url, headers: { 'x-api-key': key } });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

describe('POST /__admin/faults', () => {
  it('a rule with times: 3 fires exactly 3 times, then the real answer comes back', async () => {
    const { api, admin } = await setup();
    const added = await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 503, times: 3 });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      data: { id: expect.any(String), path: '/api/v1/agents', status: 503, times: 3, remaining: 3, hits: 0, created_at: expect.any(String) },
    });
    const id = added.body.data.id;

    for (let i = 1; i <= 3; i++) {
      const res = await api.get('/api/v1/agents');
      expect(res.status).toBe(503);
      expect(res.body).toEqual(UNAVAILABLE);
      const rule = (await admin.get('/__admin/faults')).body.data[0];
      expect([rule.hits, rule.remaining]).toEqual([i, 3 - i]);
    }
    for (let i = 0; i < 3; i++) {
      const res = await api.get('/api/v1/agents');
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(2);
    }
    const list = await admin.get('/__admin/faults');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [{ ...added.body.data, id, hits: 3, remaining: 0 }] });
    expect((await admin.get('/__admin/requests/count?status=503')).body).toEqual({ data: { count: 3 } });
  });

  it('a rule without times fires every time (remaining null)', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 500 });
    for (let i = 0; i < 5; i++) {
      const res = await api.get('/api/v1/agents');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'An unexpected error occurred' });
    }
    expect((await admin.get('/__admin/faults')).body.data[0]).toMatchObject({ hits: 5, remaining: null });
  });

  it('a failed write changes nothing', async () => {
    const { app, api, admin } = await setup();
    const before = app.state.dump();
    await admin.post('/__admin/faults', { method: 'POST', path: '/api/v1/customers', status: 503 });
    const res = await api.post('/api/v1/customers', { customer: { name: 'Never', external_customer_id: 'NEVER-1' } });
    expect(res.status).toBe(503);
    expect(app.state.dump()).toEqual(before);
  });

  it('matches the method, when given', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { method: 'post', path: '/api/v1/customers', status: 503 });
    expect((await api.get('/api/v1/customers')).status).toBe(200);
    const res = await api.post('/api/v1/customers', { customer: { name: 'X', external_customer_id: 'X-1' } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual(UNAVAILABLE);
  });

  const customer = `/api/v1/customers/${ids.acme}`;
  const customerConfigs = `/api/v1/customers/${ids.acme}/whatsapp_configs`;
  it.each([
    ['exact', '/api/v1/customers', { '/api/v1/customers': true, [customer]: false, [customerConfigs]: false, '/api/v1/agents': false }],
    ['* for one segment', '/api/v1/customers/*', { '/api/v1/customers': false, [customer]: true, [customerConfigs]: false, '/api/v1/agents': false }],
    ['{name} for one segment', '/api/v1/customers/{customer_id}/whatsapp_configs', { '/api/v1/customers': false, [customer]: false, [customerConfigs]: true, '/api/v1/agents': false }],
    ['** for the rest', '/api/v1/customers/**', { '/api/v1/customers': true, [customer]: true, [customerConfigs]: true, '/api/v1/agents': false }],
    ['** for everything', '/api/v1/**', { '/api/v1/customers': true, [customer]: true, [customerConfigs]: true, '/api/v1/agents': true }],
    ['a record ID', customer, { '/api/v1/customers': false, [customer]: true, [customerConfigs]: false, '/api/v1/agents': false }],
  ])('path pattern: %s (%s)', async (_case, path, expected) => {
    const { api, admin } = await setup();
    expect((await admin.post('/__admin/faults', { method: 'GET', path, status: 503 })).status).toBe(201);
    const fired: Record<string, boolean> = {};
    for (const url of Object.keys(expected)) {
      const res = await api.get(`${url}?page=1`);
      fired[url] = res.status === 503;
      if (!fired[url]) expect(res.status).toBe(200);
    }
    expect(fired).toEqual(expected);
  });

  it('a project_id rule affects only that project\'s key', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', project_id: ids.otherProject, status: 503 });
    expect((await api.get('/api/v1/agents')).status).toBe(200);
    const res = await api.get('/api/v1/agents', { key: OTHER_KEY });
    expect(res.status).toBe(503);
    expect(res.body).toEqual(UNAVAILABLE);
    expect((await admin.get('/__admin/faults')).body.data[0].hits).toBe(1);
  });

  it('a rule for a sandbox leaves the Demo Project alone', async () => {
    const { api, admin } = await setup();
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    await admin.post('/__admin/faults', { path: '/api/v1/agents/*', project_id: sandbox.id, status: 404 });
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}`)).status).toBe(200);
    const res = await api.get(`/api/v1/agents/${ids.supportAgent}`, { key: sandbox.api_key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not found' });
  });

  it('sends a custom body and headers as given, even for a status the route documents', async () => {
    const { app, admin } = await setup();
    await admin.post('/__admin/faults', {
      method: 'GET', path: '/api/v1/customers', status: 422, body: { errors: ['x'] }, headers: { 'x-fault': 'yes', 'retry-after': '7' },
    });
    const res = await raw(app, 'GET', '/api/v1/customers');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: ['x'] });
    expect(res.headers['x-fault']).toBe('yes');
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('sends a custom body for a status the route does not document', async () => {
    const { app, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 503, body: { maintenance: true, until: '2026-03-01' } });
    const res = await raw(app, 'GET', '/api/v1/agents');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ maintenance: true, until: '2026-03-01' });
  });

  it('adds headers to the default envelope', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 503, headers: { 'retry-after': '120' } });
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(503);
    expect(res.body).toEqual(UNAVAILABLE);
    expect(res.headers['retry-after']).toBe('120');
  });

  it('a fixed latency answers normally afterwards, and the journal shows the wait', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', latency_ms: 150, times: 1 });
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(200);
    expect(res.body.data.map((a: any) => a.id)).toEqual([ids.orderAgent, ids.supportAgent]);
    const [entry] = (await admin.get('/__admin/requests')).body.data;
    console.log(`latency rule 150 ms: journal duration_ms=${entry.duration_ms}`);
    expect(entry.status).toBe(200);
    expect(entry.duration_ms).toBeGreaterThanOrEqual(150);
    // times: 1 — the next request is not delayed by the rule (it is not counted as a hit).
    await api.get('/api/v1/agents');
    expect((await admin.get('/__admin/faults')).body.data[0]).toMatchObject({ hits: 1, remaining: 0 });
  });

  it('a uniform latency {min, max} delays at least min', async () => {
    const { api, admin } = await setup();
    const added = await admin.post('/__admin/faults', { path: '/api/v1/agents', latency_ms: { min: 40, max: 80 } });
    expect(added.status).toBe(201);
    expect(added.body.data.latency_ms).toEqual({ min: 40, max: 80 });
    expect((await api.get('/api/v1/agents')).status).toBe(200);
    const [entry] = (await admin.get('/__admin/requests')).body.data;
    expect(entry.duration_ms).toBeGreaterThanOrEqual(40);
  });

  it('latency and status together: waits, then answers the status', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', latency_ms: 50, status: 504 });
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(504);
    expect(res.body).toEqual({ error: 'Gateway timeout' });
    expect((await admin.get('/__admin/requests')).body.data[0].duration_ms).toBeGreaterThanOrEqual(50);
  });

  it('drop: the client sees the connection close, and the journal records status 0', async () => {
    const app = await makeApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const admin = client(app, null);
    expect((await admin.post('/__admin/faults', { path: '/api/v1/agents', drop: true, times: 1 })).status).toBe(201);

    await expect(fetch(`http://127.0.0.1:${port}/api/v1/agents`, { headers: { 'x-api-key': DEMO_KEY } })).rejects.toThrow();
    const next = await fetch(`http://127.0.0.1:${port}/api/v1/agents`, { headers: { 'x-api-key': DEMO_KEY } });
    expect(next.status).toBe(200);

    const journal = await admin.get('/__admin/requests');
    expect(journal.body.data.map((e: any) => [e.id, e.path, e.status, e.response_body, e.project_id])).toEqual([
      [2, '/api/v1/agents', 200, expect.any(Object), ids.demoProject],
      [1, '/api/v1/agents', 0, null, ids.demoProject],
    ]);
  });

  it('probability 0 never fires, probability 1 always fires', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/customers', probability: 0, status: 500 });
    await admin.post('/__admin/faults', { path: '/api/v1/agents', probability: 1, status: 503 });
    for (let i = 0; i < 20; i++) {
      expect((await api.get('/api/v1/customers')).status).toBe(200);
      expect((await api.get('/api/v1/agents')).status).toBe(503);
    }
    expect((await admin.get('/__admin/faults')).body.data.map((r: any) => r.hits)).toEqual([0, 20]);
  });

  it('the first matching rule decides; a spent rule lets the next one fire', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 502, times: 1 });
    await admin.post('/__admin/faults', { path: '/api/v1/**', status: 503, times: 1 });
    expect((await api.get('/api/v1/agents')).body).toEqual({ error: 'Bad gateway' });
    expect((await api.get('/api/v1/agents')).body).toEqual(UNAVAILABLE);
    expect((await api.get('/api/v1/agents')).status).toBe(200);
  });

  it('does not apply to requests that fail authentication, nor to /__admin', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/**', status: 503 });
    const res = await api.get('/api/v1/agents', { key: 'unknown-key' });
    expect(res.status).toBe(401);
    expect((await admin.get('/__admin/faults')).status).toBe(200);
    expect((await admin.get('/__admin/faults')).body.data[0].hits).toBe(0);
  });

  it.each([
    ['nothing to do', { path: '/api/v1/agents' }, 'a fault needs status, latency_ms or drop'],
    ['drop: false only', { path: '/api/v1/agents', drop: false, times: 2 }, 'a fault needs status, latency_ms or drop'],
  ])('refuses a rule with %s: 422', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/faults', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect((await admin.get('/__admin/faults')).body).toEqual({ data: [] });
  });

  it.each([
    ['latency min above max', { latency_ms: { min: 100, max: 10 } }, 'latency_ms.min must be at most latency_ms.max'],
    ['a status below 400', { status: 200 }, 'status must be at least 400'],
    ['a status above 599', { status: 600 }, 'status must be at most 599'],
    ['times 0', { status: 503, times: 0 }, 'times must be at least 1'],
    ['a probability above 1', { status: 503, probability: 1.5 }, 'probability must be at most 1'],
    ['a negative probability', { status: 503, probability: -0.1 }, 'probability must be at least 0'],
    ['a status as a string', { status: '503' }, 'status must be a number'],
    ['headers that are not strings', { status: 503, headers: { 'x-a': 1 } }, 'headers.x-a must be a string'],
  ])('refuses %s: 422', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/faults', { path: '/api/v1/agents', ...body });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect((await admin.get('/__admin/faults')).body).toEqual({ data: [] });
  });

  it('refuses a rule without a path: 422', async () => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/faults', { status: 503 });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: "path can't be blank" });
  });
});

describe('DELETE /__admin/faults', () => {
  it('DELETE /__admin/faults/{id} removes one rule: 204, then 404', async () => {
    const { api, admin } = await setup();
    const first = (await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 503 })).body.data;
    const second = (await admin.post('/__admin/faults', { path: '/api/v1/customers', status: 500 })).body.data;
    const res = await admin.delete(`/__admin/faults/${first.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await admin.get('/__admin/faults')).body).toEqual({ data: [second] });
    expect((await api.get('/api/v1/agents')).status).toBe(200);
    expect((await api.get('/api/v1/customers')).status).toBe(500);

    const again = await admin.delete(`/__admin/faults/${first.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: 'Fault rule not found' });
  });

  it('DELETE /__admin/faults/{id} for an unknown rule is 404', async () => {
    const { admin } = await setup();
    const res = await admin.delete(`/__admin/faults/${MISSING_ID}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Fault rule not found' });
  });

  it('DELETE /__admin/faults removes every rule', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 503 });
    await admin.post('/__admin/faults', { path: '/api/v1/customers', status: 500 });
    const res = await admin.delete('/__admin/faults');
    expect(res.status).toBe(204);
    expect((await admin.get('/__admin/faults')).body).toEqual({ data: [] });
    expect((await api.get('/api/v1/agents')).status).toBe(200);
    expect((await api.get('/api/v1/customers')).status).toBe(200);
  });
});

describe('X-Kapso-Mock-Status', () => {
  it.each([
    [400, { error: 'Invalid parameters', message: 'The request could not be understood' }],
    [401, { error: 'Invalid or missing API key' }],
    [404, { error: 'Not found' }],
    [409, { error: 'Conflict' }],
    [422, { error: 'Validation failed' }],
    [429, { error: 'Rate limit exceeded', message: 'Please retry after 60 seconds' }],
    [500, { error: 'An unexpected error occurred' }],
    [502, { error: 'Bad gateway' }],
    [503, { error: 'Service unavailable' }],
  ])('%i forces that status with its envelope', async (status, body) => {
    const { app, api, admin } = await setup();
    const before = app.state.dump();
    const res = await api.post('/api/v1/customers', { customer: { name: 'Forced', external_customer_id: 'F-1' } }, {
      headers: { 'x-kapso-mock-status': String(status) },
    });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    if (status === 429) {
      expect(res.headers['retry-after']).toBe('60');
      expect(res.headers['x-ratelimit-remaining']).toBe('0');
    }
    expect(app.state.dump()).toEqual(before);
    const [entry] = (await admin.get('/__admin/requests')).body.data;
    expect(entry).toMatchObject({ status, response_body: body, headers: { 'x-kapso-mock-status': String(status) } });
    // One request only: the next one is answered normally.
    expect((await api.get('/api/v1/customers')).status).toBe(200);
  });

  it.each(['abc', '200', '600', '399', '', '503.5'])('refuses %j: 400', async (value) => {
    const { api } = await setup();
    const res = await api.get('/api/v1/agents', { headers: { 'x-kapso-mock-status': value } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'X-Kapso-Mock-Status must be an HTTP error status from 400 to 599' });
  });
});
