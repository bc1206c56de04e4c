// WhatsApp webhooks CRUD (the API's later revision, openapi-platform.yaml): a config's webhooks,
// the spec's defaults, validation (URL, event names, ranges, headers), the two filters, and the
// rules docs/families/whatsapp-webhooks.md decides. Deliveries are test/webhooks-delivery.test.ts.
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { demo, other, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const hooks = (configId: string) => `/api/v1/whatsapp_configs/${configId}/whatsapp_webhooks`;
const hook = (configId: string, id: string) => `${hooks(configId)}/${id}`;

const seeded = (configId: string) => seed.find('whatsappWebhooks', (r) => r.whatsapp_config_id === configId).id;
const supportHook = seeded(ids.acmeSupport);
const salesHook = seeded(ids.acmeSales);

let app: FastifyInstance;
let api: Client;
let clock: Clock;

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
});

const minimal = { url: 'https://example.com/webhook', secret_key: 'my-secret-key', events: ['whatsapp.message.received', 'whatsapp.message.sent'] };

describe('the client flow', () => {
  it('create with the spec\'s defaults, get, list, update, delete, get again', async () => {
    const created = await api.post(hooks(ids.acmeSupport), { whatsapp_webhook: minimal });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(id).toMatch(UUID_V4);
    expect(created.body).toEqual({
      data: {
        id, ...minimal, active: true, headers: null, buffer_enabled: false, buffer_window_seconds: 5, max_buffer_size: 50,
        buffer_events: ['whatsapp.message.received'], inactivity_minutes: 60, payload_version: 'v2', created_at: T0, updated_at: T0,
      },
    });
    expect((await api.get(hook(ids.acmeSupport, id))).body).toEqual(created.body);
    const listed = await api.get(hooks(ids.acmeSupport));
    expect(listed.body.data[0]).toEqual(created.body.data);
    expect(listed.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 1, total_count: 2 });

    clock.advance(1000);
    const updated = await api.patch(hook(ids.acmeSupport, id), {
      whatsapp_webhook: { active: false, headers: { 'X-Tenant': 'acme' }, buffer_enabled: true, buffer_window_seconds: 60, max_buffer_size: 1, inactivity_minutes: 1440, payload_version: 'v1' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({
      ...created.body.data, active: false, headers: { 'X-Tenant': 'acme' }, buffer_enabled: true, buffer_window_seconds: 60, max_buffer_size: 1,
      inactivity_minutes: 1440, payload_version: 'v1', updated_at: at(1000),
    });
    expect((await api.get(hook(ids.acmeSupport, id))).body).toEqual(updated.body);

    expect((await api.delete(hook(ids.acmeSupport, id))).status).toBe(204);
    const gone = await api.get(hook(ids.acmeSupport, id));
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: 'WhatsApp webhook not found' });
    expect((await api.delete(hook(ids.acmeSupport, id))).status).toBe(404);
  });

  it('every field given on create is kept', async () => {
    const full = {
      url: 'http://127.0.0.1:3000/webhooks/kapso?source=mock', secret_key: 's3cret', events: ['whatsapp.conversation.inactive'], active: false,
      headers: { 'X-Custom-Header': 'custom-value', Authorization: 'Bearer receiver-token' }, buffer_enabled: true, buffer_window_seconds: 1,
      max_buffer_size: 100, buffer_events: [], inactivity_minutes: 1, payload_version: 'v1',
    };
    const created = await api.post(hooks(ids.globexOrders), { whatsapp_webhook: full });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.any(String), ...full, created_at: T0, updated_at: T0 });
  });

  it('the seeded webhooks: the Demo Project\'s are inactive, so nothing is sent until one is switched on', async () => {
    const support = await api.get(hook(ids.acmeSupport, supportHook));
    expect(support.status).toBe(200);
    expect(support.body.data).toMatchObject({ active: false, headers: { 'X-Acme-Source': 'kapso' }, payload_version: 'v2' });
    const sales = await api.get(hook(ids.acmeSales, salesHook));
    expect(sales.body.data).toMatchObject({ active: false, buffer_enabled: true, buffer_window_seconds: 10, max_buffer_size: 25, inactivity_minutes: 30 });
    expect(seed.count('whatsappWebhooks', demo.id)).toBeGreaterThanOrEqual(3);
    expect(seed.count('whatsappWebhooks', other.id)).toBeGreaterThanOrEqual(1);
  });

  it('an update that changes nothing writes nothing and keeps updated_at; PUT works as PATCH; an empty headers object clears them', async () => {
    const before = (await api.get(hook(ids.acmeSupport, supportHook))).body.data;
    clock.advance(1000);
    expect((await api.put(hook(ids.acmeSupport, supportHook), { whatsapp_webhook: { active: false, headers: { 'X-Acme-Source': 'kapso' } } })).body.data).toEqual(before);
    expect((await api.patch(hook(ids.acmeSupport, supportHook), { whatsapp_webhook: {} })).body.data).toEqual(before);
    const cleared = await api.patch(hook(ids.acmeSupport, supportHook), { whatsapp_webhook: { headers: {} } });
    expect(cleared.body.data).toEqual({ ...before, headers: null, updated_at: at(1000) });
    const again = await api.patch(hook(ids.acmeSupport, supportHook), { whatsapp_webhook: { headers: null } });
    expect(again.body.data.updated_at).toBe(at(1000));
  });
});

describe('lists', () => {
  it('newest first, paginated, and only the config\'s own', async () => {
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await api.post(hooks(ids.acmeSupport), { whatsapp_webhook: { ...minimal, url: `https://example.com/hook-${i}` } });
    }
    const page = await api.get(`${hooks(ids.acmeSupport)}?per_page=2&page=2`);
    expect(page.body.meta).toEqual({ page: 2, per_page: 2, total_pages: 2, total_count: 4 });
    expect(page.body.data.map((w: any) => w.url)).toEqual(['https://example.com/hook-0', 'http://localhost:3000/webhooks/kapso']);
    const sales = await api.get(hooks(ids.acmeSales));
    expect(sales.body.data.map((w: any) => w.id)).toEqual([salesHook]);
    const none = await api.get(hooks(ids.initechDispatch));
    expect(none.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
  });

  it.each([
    ['q[url_cont]=KAPSO', 1],
    ['q[url_cont]=nowhere', 0],
    ['q[active_eq]=true', 1],
    ['q[active_eq]=false', 1],
    ['q[active_eq]=1', 1],
    ['q[active_eq]=0', 1],
    ['q[active_eq]=maybe', 0],
    ['q[active_eq]=', 2],
    ['q[active_eq]=true&q[url_cont]=example', 1],
    ['q[unknown_eq]=x', 2],
  ])('%s finds %i', async (query, count) => {
    await api.post(hooks(ids.acmeSupport), { whatsapp_webhook: minimal });
    const res = await api.get(`${hooks(ids.acmeSupport)}?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(count);
    expect(res.body.meta.total_count).toBe(count);
  });
});

describe('not found', () => {
  it.each([
    ['a missing config', () => hooks(MISSING_ID), 'WhatsApp configuration not found'],
    ['another project\'s config', () => hooks(ids.umbrellaConfig), 'WhatsApp configuration not found'],
    ['a missing webhook', () => hook(ids.acmeSupport, MISSING_ID), 'WhatsApp webhook not found'],
    ['another config\'s webhook', () => hook(ids.acmeSales, supportHook), 'WhatsApp webhook not found'],
    ['an ID that is not a UUID', () => hook(ids.acmeSupport, 'not-a-uuid'), 'WhatsApp webhook not found'],
  ])('%s is 404', async (_case, url, error) => {
    const res = await api.get(url());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error });
  });

  it('another project\'s key sees the Demo Project\'s webhooks as missing, and changes nothing', async () => {
    const before = app.state.dump();
    expect((await api.get(hook(ids.acmeSupport, supportHook), { key: OTHER_KEY })).status).toBe(404);
    expect((await api.patch(hook(ids.acmeSupport, supportHook), { whatsapp_webhook: { active: true } }, { key: OTHER_KEY })).status).toBe(404);
    expect((await api.delete(hook(ids.acmeSupport, supportHook), { key: OTHER_KEY })).status).toBe(404);
    expect(app.state.dump()).toEqual(before);
  });

  it('a webhook goes with its config', async () => {
    expect((await api.delete(`/api/v1/whatsapp_configs/${ids.acmeSupport}`)).status).toBe(204);
    expect((await api.get(hook(ids.acmeSupport, supportHook))).status).toBe(404);
    expect(app.db.prepare('SELECT count(*) FROM whatsapp_webhooks WHERE id = ?').pluck().get(supportHook)).toBe(0);
  });
});

describe('validation', () => {
  const create = (fields: Record<string, unknown>) => api.post(hooks(ids.acmeSupport), { whatsapp_webhook: { ...minimal, ...fields } });

  it.each([
    ['no url', { url: undefined }, "url can't be blank"],
    ['a url that is not one', { url: 'not a url' }, 'url is not a valid http(s) URL'],
    ['an ftp url', { url: 'ftp://example.com/hook' }, 'url is not a valid http(s) URL'],
    ['no secret_key', { secret_key: undefined }, "secret_key can't be blank"],
    ['a blank secret_key', { secret_key: '   ' }, "secret_key can't be blank"],
    ['no events', { events: undefined }, "events can't be blank"],
    ['empty events', { events: [] }, "events can't be blank"],
    ['an unknown event', { events: ['whatsapp.message.deleted'] }, `events[0] must be one of: whatsapp.message.received, whatsapp.message.sent, whatsapp.message.delivered, whatsapp.message.read, whatsapp.message.failed, whatsapp.conversation.created, whatsapp.conversation.ended, whatsapp.conversation.inactive`],
    ['an event twice', { events: ['whatsapp.message.sent', 'whatsapp.message.sent'] }, 'events must not name an event twice'],
    ['events as a string', { events: 'whatsapp.message.sent' }, 'events must be an array'],
    ['active as a string', { active: 'true' }, 'active must be a boolean'],
    ['buffer_window_seconds 0', { buffer_window_seconds: 0 }, 'buffer_window_seconds must be at least 1'],
    ['buffer_window_seconds 61', { buffer_window_seconds: 61 }, 'buffer_window_seconds must be at most 60'],
    ['buffer_window_seconds 1.5', { buffer_window_seconds: 1.5 }, 'buffer_window_seconds must be an integer'],
    ['max_buffer_size 0', { max_buffer_size: 0 }, 'max_buffer_size must be at least 1'],
    ['max_buffer_size 101', { max_buffer_size: 101 }, 'max_buffer_size must be at most 100'],
    ['inactivity_minutes 0', { inactivity_minutes: 0 }, 'inactivity_minutes must be at least 1'],
    ['inactivity_minutes 1441', { inactivity_minutes: 1441 }, 'inactivity_minutes must be at most 1440'],
    ['a buffer event Kapso cannot buffer', { buffer_events: ['whatsapp.message.sent'] }, 'buffer_events[0] must be one of: whatsapp.message.received'],
    ['payload_version v3', { payload_version: 'v3' }, 'payload_version must be one of: v2, v1'],
    ['headers that are not an object', { headers: ['X-A'] }, 'headers must be an object'],
    ['a header value that is not a string', { headers: { 'X-A': 1 } }, 'headers.X-A must be a string'],
    ['a header Kapso sets', { headers: { 'x-webhook-signature': 'forged' } }, 'headers cannot set x-webhook-signature: every delivery sets it'],
    ['Content-Type', { headers: { 'Content-Type': 'text/plain' } }, 'headers cannot set Content-Type: every delivery sets it'],
    ['a header name with a space', { headers: { 'X Bad': 'v' } }, 'headers has an invalid header name: "X Bad"'],
    ['a header value with a line break', { headers: { 'X-A': 'a\r\nX-Injected: 1' } }, 'headers has an invalid value for X-A (no line breaks or control characters)'],
  ])('%s is 422', async (_case, fields, message) => {
    const res = await create(fields);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect((await api.get(hooks(ids.acmeSupport))).body.meta.total_count).toBe(1);
  });

  it('the same rules on update; a missing wrapper is 400', async () => {
    const res = await api.patch(hook(ids.acmeSupport, supportHook), { whatsapp_webhook: { events: [], inactivity_minutes: 0 } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: "events can't be blank, inactivity_minutes must be at least 1" });
    const bare = await api.patch(hook(ids.acmeSupport, supportHook), { active: true });
    expect(bare.status).toBe(400);
    expect(bare.body).toEqual({ error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_webhook' });
  });
});
