// /__admin/settings and rate limiting as Kapso documents it (docs/admin-api.md "Rate limiting"):
// X-RateLimit-Limit and X-RateLimit-Remaining on every /api/v1 response when it is on,
// 429 with Retry-After over the limit. Windows are one minute on the mock's clock, so the
// tests freeze it and know exactly where each window ends.
import { describe, expect, it } from 'vitest';
import { client, ids, makeApp, MISSING_ID, OTHER_KEY } from '../helpers/app.js';

/** The webhook settings as a server starts (docs/webhooks.md "Settings"). */
const WEBHOOK_DEFAULTS = {
  webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [],
  webhook_delay_ms: 0, webhook_duplicate_rate: 0,
};

/** 15 seconds into a minute: the window ends 45 s later. */
const T0 = '2026-03-01T10:00:15.000Z';

async function setup(overrides: Parameters<typeof makeApp>[0] = {}) {
  const app = await makeApp(overrides);
  const admin = client(app, null);
  expect((await admin.post('/__admin/clock', { now: T0 })).status).toBe(200);
  return { app, api: client(app), admin };
}

const limited = (seconds: number) => ({ error: 'Rate limit exceeded', message: `Please retry after ${seconds} seconds` });

describe('rate limiting', () => {
  it('is off by default: no X-RateLimit headers, no limit', async () => {
    const { api, admin } = await setup();
    for (let i = 0; i < 30; i++) {
      const res = await api.get('/api/v1/agents');
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      expect(res.headers['x-ratelimit-remaining']).toBeUndefined();
    }
    expect((await admin.get('/__admin/settings')).body).toEqual({ data: { rate_limit: 0, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, ...WEBHOOK_DEFAULTS } });
  });

  it('rateLimit 3: three requests with the budget counting down, then 429 with Retry-After until the window ends', async () => {
    const { api } = await setup({ rateLimit: 3 });
    for (const remaining of ['2', '1', '0']) {
      const res = await api.get('/api/v1/agents');
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(remaining);
    }
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(429);
    expect(res.body).toEqual(limited(45));
    expect(res.headers['retry-after']).toBe('45');
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
    expect(res.headers['x-ratelimit-limit']).toBe('3');
    // Still limited on the next request, whatever the route or method.
    const write = await api.post('/api/v1/customers', { customer: { name: 'Nope', external_customer_id: 'NOPE-1' } });
    expect(write.status).toBe(429);
    expect(write.body).toEqual(limited(45));
  });

  it('Retry-After follows the clock within the window', async () => {
    const { api, admin } = await setup({ rateLimit: 1 });
    expect((await api.get('/api/v1/agents')).status).toBe(200);
    await admin.post('/__admin/clock', { advance_ms: 44_100 });
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual(limited(1));
  });

  it('every /api/v1 response carries the headers, errors included; a rate-limited request changes nothing', async () => {
    const { app, api } = await setup({ rateLimit: 3 });
    const missing = await api.get(`/api/v1/customers/${MISSING_ID}`);
    expect(missing.status).toBe(404);
    expect(missing.headers['x-ratelimit-remaining']).toBe('2');
    const invalid = await api.post('/api/v1/customers', { customer: { name: '' } });
    expect(invalid.status).toBe(422);
    expect(invalid.headers['x-ratelimit-remaining']).toBe('1');
    expect((await api.get('/api/v1/agents')).headers['x-ratelimit-remaining']).toBe('0');
    const before = app.state.dump();
    const res = await api.post('/api/v1/customers', { customer: { name: 'Late', external_customer_id: 'LATE-1' } });
    expect(res.status).toBe(429);
    expect(app.state.dump()).toEqual(before);
  });

  it('budgets are per key: the other project has its own', async () => {
    const { api } = await setup({ rateLimit: 2 });
    await api.get('/api/v1/agents');
    await api.get('/api/v1/agents');
    expect((await api.get('/api/v1/agents')).status).toBe(429);
    const other = await api.get('/api/v1/agents', { key: OTHER_KEY });
    expect(other.status).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('admin calls, /health and unauthenticated requests use no budget', async () => {
    const { app, api, admin } = await setup({ rateLimit: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await admin.get('/__admin/settings')).status).toBe(200);
      expect((await client(app, null).get('/health')).status).toBe(200);
      expect((await api.get('/api/v1/agents', { key: 'unknown-key' })).status).toBe(401);
    }
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('moving the clock past the minute restores the budget', async () => {
    const { api, admin } = await setup({ rateLimit: 2 });
    await api.get('/api/v1/agents');
    await api.get('/api/v1/agents');
    expect((await api.get('/api/v1/agents')).status).toBe(429);

    // 44.999 s later: still the same window.
    await admin.post('/__admin/clock', { advance_ms: 44_999 });
    expect((await api.get('/api/v1/agents')).status).toBe(429);
    // At 10:01:00.000 a new window starts.
    const clock = await admin.post('/__admin/clock', { advance_ms: 1 });
    expect(clock.body.data.now).toBe('2026-03-01T10:01:00.000Z');
    const res = await api.get('/api/v1/agents');
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('rate-limited requests are in the journal as 429', async () => {
    const { api, admin } = await setup({ rateLimit: 1 });
    await api.get('/api/v1/agents');
    await api.get('/api/v1/agents');
    const journal = await admin.get('/__admin/requests');
    expect(journal.body.data.map((e: any) => [e.status, e.response_body])).toEqual([[429, limited(45)], [200, expect.any(Object)]]);
  });

  it('PATCH /__admin/settings switches it on and off at runtime', async () => {
    const { api, admin } = await setup();
    const on = await admin.patch('/__admin/settings', { rate_limit: 2 });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ data: { rate_limit: 2, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, ...WEBHOOK_DEFAULTS } });
    expect((await api.get('/api/v1/agents')).headers['x-ratelimit-limit']).toBe('2');
    await api.get('/api/v1/agents');
    expect((await api.get('/api/v1/agents')).status).toBe(429);

    // Changing the limit starts every key on a fresh window.
    const raised = await admin.patch('/__admin/settings', { rate_limit: 5 });
    expect(raised.body.data.rate_limit).toBe(5);
    const fresh = await api.get('/api/v1/agents');
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-ratelimit-remaining']).toBe('4');

    const off = await admin.patch('/__admin/settings', { rate_limit: 0 });
    expect(off.body.data.rate_limit).toBe(0);
    for (let i = 0; i < 10; i++) {
      const res = await api.get('/api/v1/agents');
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('a rate limit from the configuration can be switched off at runtime', async () => {
    const { api, admin } = await setup({ rateLimit: 1 });
    expect((await admin.get('/__admin/settings')).body.data.rate_limit).toBe(1);
    await api.get('/api/v1/agents');
    expect((await api.get('/api/v1/agents')).status).toBe(429);
    await admin.patch('/__admin/settings', { rate_limit: 0 });
    expect((await api.get('/api/v1/agents')).status).toBe(200);
  });
});

describe('GET and PATCH /__admin/settings', () => {
  it('GET shows the start-up values', async () => {
    const { admin } = await setup({ rateLimit: 7, autoProvision: true, journalSize: 25 });
    const res = await admin.get('/__admin/settings');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { rate_limit: 7, auto_provision: true, journal_size: 25, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, ...WEBHOOK_DEFAULTS } });
  });

  it('an empty PATCH changes nothing', async () => {
    const { admin } = await setup();
    const res = await admin.patch('/__admin/settings', {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { rate_limit: 0, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, ...WEBHOOK_DEFAULTS } });
  });

  it('PATCH changes several settings at once and GET shows them', async () => {
    const { admin } = await setup();
    const res = await admin.patch('/__admin/settings', { rate_limit: 10, auto_provision: true, journal_size: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { rate_limit: 10, auto_provision: true, journal_size: 5, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, ...WEBHOOK_DEFAULTS } });
    expect((await admin.get('/__admin/settings')).body).toEqual(res.body);
  });

  it('a smaller journal_size keeps the newest entries, and the journal stays within it', async () => {
    const { api, admin } = await setup();
    for (let i = 1; i <= 5; i++) await api.get(`/api/v1/customers?page=${i}`);
    const res = await admin.patch('/__admin/settings', { journal_size: 3 });
    expect(res.body.data.journal_size).toBe(3);
    const journal = await admin.get('/__admin/requests');
    expect(journal.body.meta).toEqual({ count: 3, capacity: 3 });
    expect(journal.body.data.map((e: any) => e.id)).toEqual([5, 4, 3]);

    await api.get('/api/v1/customers?page=6');
    expect((await admin.get('/__admin/requests')).body.data.map((e: any) => e.id)).toEqual([6, 5, 4]);

    // Growing again keeps what is there and makes room.
    await admin.patch('/__admin/settings', { journal_size: 10 });
    await api.get('/api/v1/customers?page=7');
    const grown = await admin.get('/__admin/requests');
    expect(grown.body.meta).toEqual({ count: 4, capacity: 10 });
    expect(grown.body.data.map((e: any) => e.id)).toEqual([7, 6, 5, 4]);
  });

  it('journal_size 0 switches the journal off; turning it back on records again', async () => {
    const { api, admin } = await setup();
    await api.get('/api/v1/agents');
    await admin.patch('/__admin/settings', { journal_size: 0 });
    await api.get('/api/v1/agents');
    expect((await admin.get('/__admin/requests')).body).toEqual({ data: [], meta: { count: 0, capacity: 0 } });
    await admin.patch('/__admin/settings', { journal_size: 2 });
    await api.get(`/api/v1/agents/${ids.supportAgent}`);
    expect((await admin.get('/__admin/requests')).body.data.map((e: any) => [e.id, e.path])).toEqual([[3, `/api/v1/agents/${ids.supportAgent}`]]);
  });

  it.each([
    ['rate_limit: -1', { rate_limit: -1 }, 'rate_limit must be at least 0'],
    ['rate_limit: "5"', { rate_limit: '5' }, 'rate_limit must be a number'],
    ['rate_limit: 1.5', { rate_limit: 1.5 }, 'rate_limit must be an integer'],
    ['auto_provision: "yes"', { auto_provision: 'yes' }, 'auto_provision must be a boolean'],
    ['journal_size: -1', { journal_size: -1 }, 'journal_size must be at least 0'],
    ['journal_size over a million', { journal_size: 1_000_001 }, 'journal_size must be at most 1000000'],
  ])('refuses %s: 422 and changes nothing', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.patch('/__admin/settings', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect((await admin.get('/__admin/settings')).body).toEqual({ data: { rate_limit: 0, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, ...WEBHOOK_DEFAULTS } });
  });

  it('refuses a body that is not an object: 400', async () => {
    const { admin } = await setup();
    const res = await admin.patch('/__admin/settings', [1]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'Body must be a JSON object' });
  });
});
