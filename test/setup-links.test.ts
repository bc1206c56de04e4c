// Setup links (docs/behaviour.md "Other resources"): the client flow, revocation of the customer's
// other active links, expiry 30 days after creation by the mock's clock (and never from the
// response cache), `meta.current_page` pagination, ordering and not-found cases.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import type { AnyEvent, RecordRef } from '../src/lib/events.js';
import { client, ids, makeApp, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const links = (customerId: string) => `/api/v1/customers/${encodeURIComponent(customerId)}/setup_links`;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The fixtures' links of a customer, as records. */
const seeded = (customerId: string) => seed.records.filter((r) => r.kind === 'setupLinks' && r.record.customer_id === customerId);
const seededWith = (customerId: string, status: string) => {
  const found = seeded(customerId).filter((r) => r.record.status === status);
  expect(found).toHaveLength(1);
  return found[0]!;
};

let app: Awaited<ReturnType<typeof makeApp>>;
let api: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;
let events: string[];

beforeEach(async () => {
  ({ app, api, clock, db } = await makeFrozenApp(T0));
  events = [];
  app.events.onLive((e: AnyEvent) => {
    if (e.name.startsWith('record.') && (e.data as RecordRef).type === 'setup_link') events.push(`${e.name} ${(e.data as RecordRef).id}`);
  });
});

const statusOf = async (customerId: string, id: string) =>
  ((await api.get(`${links(customerId)}?per_page=100`)).body.data as { id: string; status: string }[]).find((l) => l.id === id)?.status;
const storedStatus = (id: string) => db.prepare('SELECT status FROM setup_links WHERE id = ?').pluck().get(id);

describe('client flow', () => {
  it('create, list; a second create revokes the first; the older links keep their status', async () => {
    const activeBefore = seededWith(ids.globex, 'active').id;
    const used = seededWith(ids.globex, 'used').id;
    const expired = seededWith(ids.globex, 'expired').id;

    clock.advance(1000);
    const first = await api.post(links(ids.globex));
    expect(first.status).toBe(201);
    const firstId = first.body.data.id as string;
    expect(firstId).toMatch(UUID_V4);
    expect(first.body).toEqual({
      data: { id: firstId, status: 'active', expires_at: at(1000 + 30 * DAY), url: expect.stringMatching(/^https:\/\/app\.kapso\.ai\/whatsapp\/setup\/[\w-]{20}$/), created_at: at(1000) },
    });

    const list = await api.get(links(ids.globex));
    expect(list.status).toBe(200);
    expect(list.body.meta).toEqual({ current_page: 1, per_page: 20, total_pages: 1, total_count: 4 });
    expect(list.body.data.map((l: { id: string; status: string }) => [l.id, l.status])).toEqual([
      [firstId, 'active'], [activeBefore, 'revoked'], [used, 'used'], [expired, 'expired'],
    ]);
    expect(list.body.data[0]).toEqual(first.body.data);

    clock.advance(1000);
    const second = await api.post(links(ids.globex));
    expect(second.status).toBe(201);
    expect(second.body.data.url).not.toBe(first.body.data.url);
    expect(await statusOf(ids.globex, firstId)).toBe('revoked');
    expect(await statusOf(ids.globex, second.body.data.id)).toBe('active');
    expect(events).toEqual([
      `record.updated ${activeBefore}`, `record.created ${firstId}`, `record.updated ${firstId}`, `record.created ${second.body.data.id}`,
    ]);
  });

  it('a customer without links gets its first one', async () => {
    const customer = await api.post('/api/v1/customers', { customer: { name: 'Hooli', external_customer_id: 'HOOLI-1' } });
    const url = links(customer.body.data.id);
    expect((await api.get(url)).body).toEqual({ data: [], meta: { current_page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
    const created = await api.post(url);
    expect(created.status).toBe(201);
    expect((await api.get(url)).body).toEqual({ data: [created.body.data], meta: { current_page: 1, per_page: 20, total_pages: 1, total_count: 1 } });
  });

  it('only the customer\'s own links are revoked', async () => {
    const umbrellaActive = seededWith(ids.umbrella, 'active').id;
    const globexActive = seededWith(ids.globex, 'active').id;
    expect((await api.post(links(ids.acme))).status).toBe(201);
    expect(await statusOf(ids.globex, globexActive)).toBe('active');
    expect(await statusOf(ids.acme, seededWith(ids.acme, 'used').id)).toBe('used');
    const other = client(app, OTHER_KEY);
    expect((await other.get(links(ids.umbrella))).body.data.find((l: { id: string }) => l.id === umbrellaActive).status).toBe('active');
  });

  it('a body is ignored (the operation takes none)', async () => {
    const res = await api.post(links(ids.acme), { setup_link: { success_redirect_url: 'https://example.com/ok' } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(['created_at', 'expires_at', 'id', 'status', 'url']);
  });

  it('at most one link of a customer is active after many creates', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      created.push((await api.post(links(ids.acme))).body.data.id);
    }
    const statuses = (await api.get(links(ids.acme))).body.data.map((l: { id: string; status: string }) => [l.id, l.status]);
    expect(statuses.slice(0, 5)).toEqual(created.reverse().map((id, i) => [id, i === 0 ? 'active' : 'revoked']));
    expect(db.prepare("SELECT count(*) FROM setup_links WHERE customer_id = ? AND status = 'active'").pluck().get(ids.acme)).toBe(1);
  });
});

describe('expiry (30 days after creation, by the mock\'s clock)', () => {
  it('a new link is active until the last millisecond and expired from expires_at on', async () => {
    const created = (await api.post(links(ids.initech))).body.data;
    clock.advance(30 * DAY - 1);
    expect(await statusOf(ids.initech, created.id)).toBe('active');
    clock.advance(1);
    expect(await statusOf(ids.initech, created.id)).toBe('expired');
    // Nothing was written: the status is read against the clock.
    expect(storedStatus(created.id)).toBe('active');
    clock.advance(365 * DAY);
    expect(await statusOf(ids.initech, created.id)).toBe('expired');
  });

  it('a seeded active link created more than 30 days ago reads expired; a new link stores it as expired (no event), not revoked', async () => {
    const stale = seededWith(ids.initech, 'active');
    expect(Date.parse(String(stale.record.created_at)) + 30 * DAY).toBeLessThan(Date.parse(T0));
    expect(await statusOf(ids.initech, stale.id)).toBe('expired');
    const updatedAt = db.prepare('SELECT updated_at FROM setup_links WHERE id = ?').pluck().get(stale.id);

    const created = await api.post(links(ids.initech));
    expect(created.status).toBe(201);
    expect(await statusOf(ids.initech, stale.id)).toBe('expired');
    expect(storedStatus(stale.id)).toBe('expired');
    expect(db.prepare('SELECT updated_at FROM setup_links WHERE id = ?').pluck().get(stale.id)).toBe(updatedAt);
    expect(events).toEqual([`record.created ${created.body.data.id}`]);
  });

  it('a seeded link without created_at was created when the fixtures loaded, so it is active for 30 days from then', async () => {
    const active = seededWith(ids.globex, 'active').id;
    const link = ((await api.get(links(ids.globex))).body.data as { id: string }[]).find((l) => l.id === active);
    expect(link).toMatchObject({ status: 'active', created_at: T0, expires_at: at(30 * DAY) });
  });

  it('used and revoked links stay so after their expiry', async () => {
    clock.advance(400 * DAY);
    expect(await statusOf(ids.acme, seededWith(ids.acme, 'used').id)).toBe('used');
    expect(await statusOf(ids.acme, seededWith(ids.acme, 'revoked').id)).toBe('revoked');
  });

  it('the list is never answered from the response cache: real time passing expires a link', async () => {
    const real = await makeApp();
    const live = client(real);
    const created = (await live.post(links(ids.acme))).body.data;
    // The link now expires 800 ms from now (real time).
    real.db.prepare('UPDATE setup_links SET expires_at = ? WHERE id = ?').run(new Date(Date.now() + 800).toISOString(), created.id);
    const before = await live.get(links(ids.acme));
    expect(before.body.data[0]).toMatchObject({ id: created.id, status: 'active' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await live.get(links(ids.acme));
    expect(after.body.data[0]).toMatchObject({ id: created.id, status: 'expired' });
  });
});

describe('pagination (meta.current_page) and order', () => {
  it('pages newest first with current_page, clamps per_page, and falls back on bad values', async () => {
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      created.push((await api.post(links(ids.acme))).body.data.id);
    }
    const all = [...created].reverse().concat(seeded(ids.acme).map((r) => r.id).reverse());
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await api.get(`${links(ids.acme)}?page=${page}&per_page=2`);
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual({ current_page: page, per_page: 2, total_pages: 3, total_count: 6 });
      pages.push(...res.body.data.map((l: { id: string }) => l.id));
    }
    expect(pages).toEqual(all);
    expect((await api.get(`${links(ids.acme)}?page=9&per_page=2`)).body).toEqual({ data: [], meta: { current_page: 9, per_page: 2, total_pages: 3, total_count: 6 } });
    expect((await api.get(`${links(ids.acme)}?per_page=500`)).body.meta).toEqual({ current_page: 1, per_page: 100, total_pages: 1, total_count: 6 });
    expect((await api.get(`${links(ids.acme)}?page=abc&per_page=-1`)).body.meta).toEqual({ current_page: 1, per_page: 20, total_pages: 1, total_count: 6 });
  });

  it('breaks created_at ties by id, descending', async () => {
    const tied = [];
    for (let i = 0; i < 3; i++) tied.push((await api.post(links(ids.acme))).body.data.id as string);
    const listed = (await api.get(links(ids.acme))).body.data.slice(0, 3).map((l: { id: string }) => l.id);
    expect(listed).toEqual([...tied].sort().reverse());
  });
});

describe('not found', () => {
  it.each([
    ['an unknown customer', MISSING_ID],
    ['an ID that is not a UUID', 'acme'],
    ["another project's customer", ids.umbrella],
  ])('GET and POST answer 404 for %s and write nothing', async (_case, customerId) => {
    const before = db.prepare('SELECT count(*) FROM setup_links').pluck().get();
    for (const res of [await api.get(links(customerId)), await api.post(links(customerId))]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Customer not found' });
    }
    expect(db.prepare('SELECT count(*) FROM setup_links').pluck().get()).toBe(before);
  });

  it('a deleted customer\'s links go with it', async () => {
    expect((await api.delete(`/api/v1/customers/${ids.acme}`)).status).toBe(204);
    expect((await api.get(links(ids.acme))).status).toBe(404);
    expect(db.prepare('SELECT count(*) FROM setup_links WHERE customer_id = ?').pluck().get(ids.acme)).toBe(0);
  });
});
