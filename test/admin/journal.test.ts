// /__admin/requests: what the code under test sent to /api/v1 and what it got back,
// filtered, counted, awaited, cleared, and bounded whatever the load.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { keptBody } from '../../src/admin/journal/capture.js';
import { MAX_STORED_BODY } from '../../src/admin/journal/journal.js';
import { client, DEMO_KEY, ids, makeApp, OTHER_KEY } from '../helpers/app.js';

const T0 = '2026-03-01T10:00:00.000Z';

async function setup(overrides: Parameters<typeof makeApp>[0] = {}) {
  const app = await makeApp(overrides);
  return { app, api: client(app), admin: client(app, null) };
}

describe('what is recorded', () => {
  it('a request with method, path, raw query, redacted headers, parsed body, status, parsed response, duration and project', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    const created = await api.post('/api/v1/customers?trace=1&tag=a&tag=b', { customer: { name: 'Journal Co', external_customer_id: 'J-1' } }, {
      headers: { authorization: 'Bearer something-secret', 'x-request-id': 'req-1' },
    });
    expect(created.status).toBe(201);

    const res = await admin.get('/__admin/requests');
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 1, capacity: 1000 });
    const [entry] = res.body.data;
    expect(entry).toEqual({
      id: 1,
      time: T0,
      method: 'POST',
      path: '/api/v1/customers',
      query: { trace: '1', tag: ['a', 'b'] },
      headers: expect.objectContaining({
        'x-api-key': '[redacted]',
        authorization: '[redacted]',
        'content-type': 'application/json',
        'x-request-id': 'req-1',
      }),
      body: { customer: { name: 'Journal Co', external_customer_id: 'J-1' } },
      status: 201,
      response_body: created.body,
      duration_ms: expect.any(Number),
      project_id: ids.demoProject,
    });
    expect(entry.duration_ms).toBeGreaterThanOrEqual(0);
    expect(res.raw).not.toContain(DEMO_KEY);
    expect(res.raw).not.toContain('something-secret');
  });

  it('the key appears nowhere in the journal, whatever the outcome', async () => {
    const { api, admin } = await setup();
    await api.get('/api/v1/customers');
    await api.get('/api/v1/customers', { key: 'wrong-key-value' });
    await api.get(`/api/v1/agents/${ids.supportAgent}`, { key: OTHER_KEY });
    await api.post('/api/v1/customers', '{"customer":', {});
    const res = await admin.get('/__admin/requests');
    expect(res.body.data).toHaveLength(4);
    for (const key of [DEMO_KEY, OTHER_KEY, 'wrong-key-value']) expect(res.raw).not.toContain(key);
    expect(res.body.data.every((e: any) => e.headers['x-api-key'] === '[redacted]')).toBe(true);
  });

  it('records 401s and unknown routes with project_id null', async () => {
    const { app, api, admin } = await setup();
    expect((await client(app, null).get('/api/v1/agents')).status).toBe(401);
    expect((await api.get('/api/v1/agents', { key: 'unknown-key' })).status).toBe(401);
    expect((await api.get('/api/v1/no-such-thing')).status).toBe(404);
    const res = await admin.get('/__admin/requests');
    expect(res.body.data.map((e: any) => [e.method, e.path, e.status, e.project_id, e.response_body])).toEqual([
      ['GET', '/api/v1/no-such-thing', 404, null, { error: 'Not found', message: 'No route matches GET /api/v1/no-such-thing' }],
      ['GET', '/api/v1/agents', 401, null, { error: 'Invalid or missing API key' }],
      ['GET', '/api/v1/agents', 401, null, { error: 'Invalid or missing API key' }],
    ]);
    expect(res.body.data[2].headers['x-api-key']).toBeUndefined();
  });

  it('records a 204 with response_body null and a request without body with body null', async () => {
    const { api, admin } = await setup();
    expect((await api.delete(`/api/v1/whatsapp_configs/${ids.globexOrders}`)).status).toBe(204);
    const [entry] = (await admin.get('/__admin/requests')).body.data;
    expect(entry).toMatchObject({ method: 'DELETE', status: 204, body: null, response_body: null });
  });

  it('does not record /health, the documents or /__admin calls', async () => {
    const { app, admin } = await setup();
    expect((await client(app, null).get('/health')).status).toBe(200);
    expect((await client(app, null).get('/openapi.json')).status).toBe(200);
    await admin.get('/__admin/settings');
    await admin.post('/__admin/snapshots', { name: 'x' });
    await admin.get('/__admin/requests');
    const res = await admin.get('/__admin/requests');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { count: 0, capacity: 1000 } });
    expect((await admin.get('/__admin/requests/count')).body).toEqual({ data: { count: 0 } });
  });

  it('a body over 64 KiB is noted with its size, not kept', async () => {
    const { app, admin } = await setup();
    const payload = JSON.stringify({ customer: { name: 'Big Body', external_customer_id: 'BIG-1' }, padding: 'x'.repeat(70_000) });
    const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'x-api-key': DEMO_KEY, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(201);
    const journal = await admin.get('/__admin/requests');
    const [entry] = journal.body.data;
    expect(entry.headers['content-length']).toBe(String(Buffer.byteLength(payload)));
    expect(entry.body).toBe(`[${Buffer.byteLength(payload)} bytes, not kept]`);
    expect(entry.response_body).toEqual(JSON.parse(res.body));
    expect(journal.raw.length).toBeLessThan(10_000);
  });
});

describe('a long response body in the journal', () => {
  it('keeps its first 64 Ki characters, and a short body as it is', () => {
    const short = JSON.stringify({ data: 'x'.repeat(100) });
    expect(keptBody(short)).toBe(short);
    const long = JSON.stringify({ data: 'é'.repeat(MAX_STORED_BODY) });
    expect(keptBody(long)).toBe(long.slice(0, MAX_STORED_BODY));
  });

  it('does not keep the rest of the body alive (a slice would: V8 points it into the whole)', () => {
    // 100 bodies of 1 MB, each kept truncated: about 6.5 MB of heap, or 100 MB if the slices held their parents.
    const script = `const { keptBody } = await import(${JSON.stringify(new URL('../../src/admin/journal/capture.ts', import.meta.url).href)});
      const kept = [];
      for (let i = 0; i < 100; i++) kept.push(keptBody(JSON.stringify({ data: 'x'.repeat(1_000_000) + i })));
      gc(); gc();
      console.log(Math.round(process.memoryUsage().heapUsed / 2 ** 20), kept.length);`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
    const [heapMb, count] = out.split(' ').map(Number);
    expect(count).toBe(100);
    expect(heapMb).toBeLessThan(50);
  });
});

describe('GET /__admin/requests filters', () => {
  /** Six requests at known instants: t+0s .. t+5s. */
  async function recorded() {
    const s = await setup();
    const { api, admin } = s;
    await admin.post('/__admin/clock', { now: T0 });
    const steps = [
      () => api.get('/api/v1/customers'),
      () => api.post('/api/v1/customers', { customer: { name: 'F1', external_customer_id: 'F-1' } }),
      () => api.get(`/api/v1/customers/${ids.acme}`),
      () => api.get(`/api/v1/customers/${ids.acme}/whatsapp_configs`),
      () => api.get('/api/v1/agents', { key: OTHER_KEY }),
      () => api.post('/api/v1/customers', { customer: { name: '' } }, { key: OTHER_KEY }),
    ];
    for (const step of steps) {
      await step();
      await admin.post('/__admin/clock', { advance_ms: 1000 });
    }
    return s;
  }
  const idsOf = (body: any) => body.data.map((e: any) => e.id);

  it('without filters: everything, newest first', async () => {
    const { admin } = await recorded();
    const res = await admin.get('/__admin/requests');
    expect(res.status).toBe(200);
    expect(idsOf(res.body)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(res.body.data.map((e: any) => e.time)).toEqual([5, 4, 3, 2, 1, 0].map((s) => `2026-03-01T10:00:0${s}.000Z`));
  });

  it.each([
    ['method', 'method=POST', [6, 2]],
    ['method in lower case', 'method=post', [6, 2]],
    ['exact path', 'path=/api/v1/customers', [6, 2, 1]],
    ['exact path (no prefix match without *)', `path=/api/v1/customers/${ids.acme}`, [3]],
    ['path prefix', 'path=/api/v1/customers*', [6, 4, 3, 2, 1]],
    ['path prefix of a record', `path=/api/v1/customers/${ids.acme}*`, [4, 3]],
    ['status', 'status=422', [6]],
    ['project_id', `project_id=${ids.otherProject}`, [6, 5]],
    ['since (inclusive)', 'since=2026-03-01T10:00:04.000Z', [6, 5]],
    ['until (inclusive)', 'until=2026-03-01T10:00:01.000Z', [2, 1]],
    ['since and until', 'since=2026-03-01T10:00:01Z&until=2026-03-01T10:00:03Z', [4, 3, 2]],
    ['several filters', `method=GET&project_id=${ids.demoProject}&path=/api/v1/customers*`, [4, 3, 1]],
    ['a limit', 'limit=2', [6, 5]],
    ['a limit with a filter', 'method=GET&limit=2', [5, 4]],
    ['nothing matching', 'status=500', []],
  ])('by %s', async (_case, query, expected) => {
    const { admin } = await recorded();
    const res = await admin.get(`/__admin/requests?${query}`);
    expect(res.status).toBe(200);
    expect(idsOf(res.body)).toEqual(expected);
    expect(res.body.meta).toEqual({ count: expected.length, capacity: 1000 });
    const { limit: _l, ...countQuery } = Object.fromEntries(new URLSearchParams(query));
    if (!query.includes('limit')) {
      const count = await admin.get(`/__admin/requests/count?${new URLSearchParams(countQuery)}`);
      expect(count.status).toBe(200);
      expect(count.body).toEqual({ data: { count: expected.length } });
    }
  });

  it.each([
    ['limit=0', 'limit must be at least 1'],
    ['status=abc', 'status must be a number'],
  ])('refuses %s: 400', async (query, message) => {
    const { admin } = await setup();
    const res = await admin.get(`/__admin/requests?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message });
  });

  it.each(['since=yesterday', 'until=not-a-time'])('refuses a time that is not a time (%s): 400, not 500', async (query) => {
    const { admin } = await setup();
    const res = await admin.get(`/__admin/requests?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: `${query.split('=')[0]} must be an RFC 3339 timestamp` });
  });
});

describe('DELETE /__admin/requests', () => {
  it('clears the journal; ids keep increasing afterwards', async () => {
    const { api, admin } = await setup();
    await api.get('/api/v1/agents');
    await api.get('/api/v1/agents');
    const res = await admin.delete('/__admin/requests');
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await admin.get('/__admin/requests')).body).toEqual({ data: [], meta: { count: 0, capacity: 1000 } });
    expect((await admin.get('/__admin/requests/count')).body).toEqual({ data: { count: 0 } });
    await api.get('/api/v1/agents');
    expect((await admin.get('/__admin/requests')).body.data.map((e: any) => e.id)).toEqual([3]);
  });
});

describe('bounded journal', () => {
  it('keeps exactly the newest journalSize entries after 10 000 requests', async () => {
    const { app, admin } = await setup({ journalSize: 50 });
    const api = client(app);
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 1; i <= 10_000; i++) {
      const res = await api.get(`/api/v1/customers?page=${i}`);
      if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
    }
    console.log(`journal: heap ${((process.memoryUsage().heapUsed - heapBefore) / 1048576).toFixed(1)} MiB after 10 000 requests (size 50)`);

    const res = await admin.get('/__admin/requests');
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 50, capacity: 50 });
    expect(res.body.data.map((e: any) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => 10_000 - i));
    expect(res.body.data.map((e: any) => e.query.page)).toEqual(Array.from({ length: 50 }, (_, i) => String(10_000 - i)));
    expect((await admin.get('/__admin/requests/count')).body).toEqual({ data: { count: 50 } });
  }, 120_000);

  it('journalSize 0 records nothing', async () => {
    const { api, admin } = await setup({ journalSize: 0 });
    for (let i = 0; i < 5; i++) expect((await api.get('/api/v1/agents')).status).toBe(200);
    expect((await admin.get('/__admin/requests')).body).toEqual({ data: [], meta: { count: 0, capacity: 0 } });
    expect((await admin.get('/__admin/requests/count')).body).toEqual({ data: { count: 0 } });
  });
});

describe('POST /__admin/requests/wait', () => {
  it('resolves as soon as the Nth matching request arrives, not before', async () => {
    const { api, admin } = await setup();
    let resolved = false;
    const waiting = admin.post('/__admin/requests/wait', { method: 'POST', path: '/api/v1/customers', count: 3, timeout_ms: 20_000 }).then((res) => {
      resolved = true;
      return res;
    });
    for (let i = 1; i <= 3; i++) {
      await sleep(30);
      // Requests that do not match never count.
      expect((await api.get('/api/v1/customers')).status).toBe(200);
      expect((await api.post('/api/v1/customers', { customer: { name: `W${i}`, external_customer_id: `W-${i}` } })).status).toBe(201);
      if (i < 3) {
        await sleep(30);
        expect(resolved).toBe(false);
      }
    }
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 3, timed_out: false });
    expect(res.body.data.map((e: any) => e.body.customer.name)).toEqual(['W3', 'W2', 'W1']);
    expect(res.body.data.every((e: any) => e.method === 'POST' && e.status === 201)).toBe(true);
  });

  it('counts matching requests already recorded', async () => {
    const { api, admin } = await setup();
    await api.get('/api/v1/agents');
    await api.get('/api/v1/agents');
    const res = await admin.post('/__admin/requests/wait', { path: '/api/v1/agents', count: 2, timeout_ms: 20_000 });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 2, timed_out: false });
    expect(res.body.data.map((e: any) => e.id)).toEqual([2, 1]);
  });

  it('mixes recorded and new requests', async () => {
    const { api, admin } = await setup();
    await api.get('/api/v1/agents');
    const waiting = admin.post('/__admin/requests/wait', { path: '/api/v1/agents', count: 2, timeout_ms: 20_000 });
    await sleep(30);
    await api.get('/api/v1/agents');
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 2, timed_out: false });
    expect(res.body.data.map((e: any) => e.id)).toEqual([2, 1]);
  });

  it('times out cleanly with 200, timed_out true and what was seen', async () => {
    const { api, admin } = await setup();
    await api.get('/api/v1/agents', { key: OTHER_KEY });
    await api.get('/api/v1/customers');
    const res = await admin.post('/__admin/requests/wait', { project_id: ids.otherProject, count: 3, timeout_ms: 100 });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 1, timed_out: true });
    expect(res.body.data.map((e: any) => [e.id, e.path])).toEqual([[1, '/api/v1/agents']]);
  });

  it('timeout_ms 0 answers at once with what is there', async () => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/requests/wait', { timeout_ms: 0 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { count: 0, timed_out: true } });
  });

  it('filters on status: a fault-rule 503 counts for status 503', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/faults', { path: '/api/v1/agents', status: 503, times: 1 });
    const waiting = admin.post('/__admin/requests/wait', { status: 503, timeout_ms: 20_000 });
    await sleep(20);
    expect((await api.get('/api/v1/agents')).status).toBe(503);
    const res = await waiting;
    expect(res.body.meta).toEqual({ count: 1, timed_out: false });
    expect(res.body.data[0]).toMatchObject({ status: 503, response_body: { error: 'Service unavailable' } });
  });

  it.each([
    ['count 0', { count: 0 }, 'count must be at least 1'],
    ['count 10 001', { count: 10_001 }, 'count must be at most 10000'],
    ['count as a string', { count: '2' }, 'count must be a number'],
    ['a negative timeout', { timeout_ms: -1 }, 'timeout_ms must be at least 0'],
    ['a timeout over a minute', { timeout_ms: 60_001 }, 'timeout_ms must be at most 60000'],
    ['a fractional timeout', { timeout_ms: 1.5 }, 'timeout_ms must be an integer'],
  ])('refuses %s: 422', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/requests/wait', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it('refuses a since that is not a time: 422, not 500', async () => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/requests/wait', { since: 'yesterday', timeout_ms: 0 });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('Validation failed');
  });

  it('on a real server, concurrent requests release a pending wait, and closing the server ends a wait that would never finish', async () => {
    const app = await makeApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const wait = (body: object) =>
      fetch(`${base}/__admin/requests/wait`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    const waiting = wait({ path: '/api/v1/agents', count: 2, timeout_ms: 20_000 });
    await sleep(30);
    for (let i = 0; i < 2; i++) expect((await fetch(`${base}/api/v1/agents`, { headers: { 'x-api-key': DEMO_KEY } })).status).toBe(200);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 2, timed_out: false });

    const never = wait({ path: '/api/v1/never', timeout_ms: 60_000 });
    await sleep(30);
    await app.close();
    const ended = await never;
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ data: [], meta: { count: 0, timed_out: true } });
  });
});
