// Customers: the full client flow, updated_at, pagination, ordering and Ransack filters
// (docs/behaviour.md "Lists"), and the validation matrix, with the state checked after each call.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, ids, makeApp, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { expectDeleted } from './helpers/flows.js';
import { seed } from './helpers/seed.js';

const customers = '/api/v1/customers';
const customer = (id: string) => `${customers}/${encodeURIComponent(id)}`;
/** The list URL with its query string encoded as a client would (brackets, `+`, `%`, non-ASCII). */
const listUrl = (query: Record<string, string | number> = {}) => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return qs === '' ? customers : `${customers}?${qs}`;
};

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

const fixtures = {
  acme: {
    id: ids.acme, name: 'Acme Corporation', external_customer_id: 'ACME-001',
    created_at: '2026-01-10T14:30:00.000Z', updated_at: '2026-02-02T08:15:00.000Z',
  },
  globex: {
    id: ids.globex, name: 'Globex Retail', external_customer_id: 'GLOBEX-042',
    created_at: '2026-02-03T10:00:00.000Z', updated_at: '2026-02-03T10:00:00.000Z',
  },
  initech: {
    id: ids.initech, name: 'Initech Logistics', external_customer_id: 'INITECH-7',
    created_at: '2026-03-01T16:45:00.000Z', updated_at: '2026-03-01T16:45:00.000Z',
  },
  umbrella: {
    id: ids.umbrella, name: 'Umbrella Health Clinics', external_customer_id: 'UMB-1001',
    created_at: '2026-01-21T09:00:00.000Z', updated_at: '2026-01-21T09:00:00.000Z',
  },
};
/** The Demo Project's customers, newest first. */
const SEEDED = [ids.initech, ids.globex, ids.acme];

let api: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  ({ api, clock, db } = await makeFrozenApp(T0));
});

const idsOf = (res: { body: any }) => res.body.data.map((c: any) => c.id as string);
/** Every customer of the Demo Project as the list shows it (ids, newest first). */
const listed = async () => idsOf(await api.get(listUrl({ per_page: 100 })));
const rowCount = () => (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;

/** Creates customers through the API, one second apart; returns their ids oldest first. */
async function createMany(n: number, prefix = 'Bulk'): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    const res = await api.post(customers, { customer: { name: `${prefix} ${i}`, external_customer_id: `${prefix.toUpperCase()}-${i}` } });
    expect(res.status).toBe(201);
    created.push(res.body.data.id);
  }
  return created;
}

describe('client flow', () => {
  it('create, get, list, update, get, delete, get (404), delete again (404)', async () => {
    const created = await api.post(customers, { customer: { name: 'Wayne Enterprises', external_customer_id: 'WAYNE-1' } });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(id).toMatch(UUID_V4);
    expect(created.body).toEqual({
      data: { id, name: 'Wayne Enterprises', external_customer_id: 'WAYNE-1', created_at: T0, updated_at: T0 },
    });

    const got = await api.get(customer(id));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const list = await api.get(customers);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      data: [created.body.data, fixtures.initech, fixtures.globex, fixtures.acme],
      meta: { page: 1, per_page: 20, total_pages: 1, total_count: 4 },
    });

    clock.advance(60_000);
    const patched = await api.patch(customer(id), { customer: { name: 'Wayne Industries' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      data: { id, name: 'Wayne Industries', external_customer_id: 'WAYNE-1', created_at: T0, updated_at: at(60_000) },
    });

    const after = await api.get(customer(id));
    expect(after.status).toBe(200);
    expect(after.body).toEqual(patched.body);

    await expectDeleted(api, customer(id), 'Customer not found');

    expect(await listed()).toEqual(SEEDED);
  });

  it('gets a seeded customer', async () => {
    const res = await api.get(customer(ids.acme));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: fixtures.acme });
  });

  it('PUT is accepted as an alias of PATCH', async () => {
    clock.advance(5000);
    const res = await api.put(customer(ids.globex), { customer: { name: 'Globex Corporation', external_customer_id: 'GLOBEX-043' } });
    expect(res.status).toBe(200);
    const expected = { ...fixtures.globex, name: 'Globex Corporation', external_customer_id: 'GLOBEX-043', updated_at: at(5000) };
    expect(res.body).toEqual({ data: expected });
    expect((await api.get(customer(ids.globex))).body).toEqual({ data: expected });
  });

  it('updates one field and keeps the other', async () => {
    clock.advance(1000);
    const res = await api.patch(customer(ids.acme), { customer: { external_customer_id: 'ACME-002' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.acme, external_customer_id: 'ACME-002', updated_at: at(1000) } });
    expect((await api.get(customer(ids.acme))).body.data).toEqual(res.body.data);
  });

  it('deleting a customer deletes its WhatsApp configs and their agent links, and nothing else', async () => {
    const res = await api.delete(customer(ids.acme));
    expect(res.status).toBe(204);
    expect((await api.get(`/api/v1/whatsapp_configs/${ids.acmeSupport}`)).status).toBe(404);
    expect((await api.get(`/api/v1/whatsapp_configs/${ids.acmeSales}`)).status).toBe(404);
    expect((await api.get(`/api/v1/whatsapp_configs/${ids.globexOrders}`)).status).toBe(200);
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs`)).body.data).toEqual([]);
    expect(await listed()).toEqual([ids.initech, ids.globex]);
  });
});

describe('not found', () => {
  const cases = [
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'customer-123'],
    ['an SQL-looking id', "1' OR '1'='1"],
    ["another project's customer", ids.umbrella],
  ] as const;
  const calls = [
    ['GET', (id: string) => api.get(customer(id))],
    ['PATCH', (id: string) => api.patch(customer(id), { customer: { name: 'Stolen' } })],
    ['PUT', (id: string) => api.put(customer(id), { customer: { name: 'Stolen' } })],
    ['DELETE', (id: string) => api.delete(customer(id))],
  ] as const;

  it.each(calls.flatMap(([method, call]) => cases.map(([what, id]) => [method, what, id, call] as const)))(
    '%s answers 404 for %s and changes nothing',
    async (_method, _what, id, call) => {
      const res = await call(id);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Customer not found' });
      expect(await listed()).toEqual(SEEDED);
      const umbrella = await api.get(customer(ids.umbrella), { key: OTHER_KEY });
      expect(umbrella.status).toBe(200);
      expect(umbrella.body).toEqual({ data: fixtures.umbrella });
    },
  );
});

describe('updated_at changes only when a stored field really changes', () => {
  beforeEach(() => clock.advance(3_600_000));

  it.each([
    ['the same name', { name: 'Acme Corporation' }],
    ['the same external id', { external_customer_id: 'ACME-001' }],
    ['both fields unchanged', { name: 'Acme Corporation', external_customer_id: 'ACME-001' }],
    ['an empty wrapper', {}],
    ['only unknown fields', { created_at: '2020-01-01T00:00:00.000Z', updated_at: '2020-01-01T00:00:00.000Z', id: MISSING_ID }],
  ])('PATCH with %s answers 200 and changes nothing', async (_case, wrapper) => {
    const res = await api.patch(customer(ids.acme), { customer: wrapper });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: fixtures.acme });
    expect((await api.get(customer(ids.acme))).body).toEqual({ data: fixtures.acme });
  });

  it('PUT with the same values changes nothing either', async () => {
    const res = await api.put(customer(ids.acme), { customer: { name: 'Acme Corporation' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: fixtures.acme });
  });

  it('a real change moves updated_at to now, and repeating it moves nothing', async () => {
    const first = await api.patch(customer(ids.acme), { customer: { name: 'Acme Corp.' } });
    expect(first.status).toBe(200);
    expect(first.body.data.updated_at).toBe(at(3_600_000));
    expect(first.body.data.created_at).toBe(fixtures.acme.created_at);

    clock.advance(1000);
    const second = await api.patch(customer(ids.acme), { customer: { name: 'Acme Corp.' } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await api.get(customer(ids.acme))).body).toEqual(first.body);
  });

  it('a change of case is a change', async () => {
    const res = await api.patch(customer(ids.acme), { customer: { name: 'ACME CORPORATION' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.acme, name: 'ACME CORPORATION', updated_at: at(3_600_000) } });
  });
});

describe('pagination', () => {
  it('defaults to page 1 of 20 and pages through every record exactly once', async () => {
    const created = await createMany(22);
    const newestFirst = [...created].reverse().concat(SEEDED);

    const first = await api.get(customers);
    expect(first.status).toBe(200);
    expect(first.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 2, total_count: 25 });
    expect(idsOf(first)).toEqual(newestFirst.slice(0, 20));

    const second = await api.get(listUrl({ page: 2 }));
    expect(second.status).toBe(200);
    expect(second.body.meta).toEqual({ page: 2, per_page: 20, total_pages: 2, total_count: 25 });
    expect(idsOf(second)).toEqual(newestFirst.slice(20));
  });

  it('honours per_page and page together', async () => {
    const created = await createMany(7);
    const newestFirst = [...created].reverse().concat(SEEDED);
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const res = await api.get(listUrl({ page, per_page: 4 }));
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual({ page, per_page: 4, total_pages: 3, total_count: 10 });
      pages.push(...idsOf(res));
    }
    expect(pages).toEqual(newestFirst);
  });

  it('clamps per_page above 100 to 100', async () => {
    await createMany(120);
    const res = await api.get(listUrl({ per_page: 500 }));
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ page: 1, per_page: 100, total_pages: 2, total_count: 123 });
    expect(res.body.data).toHaveLength(100);
    const rest = await api.get(listUrl({ per_page: 500, page: 2 }));
    expect(rest.body.meta).toEqual({ page: 2, per_page: 100, total_pages: 2, total_count: 123 });
    expect(rest.body.data).toHaveLength(23);
  });

  // Integers beyond Number.MAX_SAFE_INTEGER are still positive integers: Kaminari (and the rule)
  // clamps such a per_page to 100 and answers such a page with no data.
  it('clamps a per_page far above 100 (beyond the safe-integer range) to 100', async () => {
    const res = await api.get(listUrl({ per_page: '100000000000000000000' }));
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ page: 1, per_page: 100, total_pages: 1, total_count: 3 });
  });

  it('a page far past the end (beyond the safe-integer range) returns no data, not page 1', async () => {
    const res = await api.get(listUrl({ page: '100000000000000000000' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toMatchObject({ per_page: 20, total_pages: 1, total_count: 3 });
    expect(res.body.meta.page).not.toBe(1);
  });

  it('accepts per_page 100 and 1 as they are', async () => {
    const hundred = await api.get(listUrl({ per_page: 100 }));
    expect(hundred.body.meta).toEqual({ page: 1, per_page: 100, total_pages: 1, total_count: 3 });
    const one = await api.get(listUrl({ per_page: 1, page: 3 }));
    expect(one.body).toEqual({ data: [fixtures.acme], meta: { page: 3, per_page: 1, total_pages: 3, total_count: 3 } });
  });

  it.each([
    ['page=0', { page: '0', per_page: '2' }, { page: 1, per_page: 2 }],
    ['page=-1', { page: '-1', per_page: '2' }, { page: 1, per_page: 2 }],
    ['page=abc', { page: 'abc', per_page: '2' }, { page: 1, per_page: 2 }],
    ['page=1.5', { page: '1.5', per_page: '2' }, { page: 1, per_page: 2 }],
    ['page= (empty)', { page: '', per_page: '2' }, { page: 1, per_page: 2 }],
    ['per_page=0', { page: '2', per_page: '0' }, { page: 2, per_page: 20 }],
    ['per_page=-5', { page: '2', per_page: '-5' }, { page: 2, per_page: 20 }],
    ['per_page=1.5', { page: '2', per_page: '1.5' }, { page: 2, per_page: 20 }],
    ['per_page=abc', { page: '2', per_page: 'abc' }, { page: 2, per_page: 20 }],
    ['both invalid', { page: 'x', per_page: '0' }, { page: 1, per_page: 20 }],
  ])('%s falls back to its default', async (_case, query, expected) => {
    const created = await createMany(22);
    const newestFirst = [...created].reverse().concat(SEEDED);
    const res = await api.get(listUrl(query));
    expect(res.status).toBe(200);
    const total_pages = Math.ceil(25 / expected.per_page);
    expect(res.body.meta).toEqual({ ...expected, total_pages, total_count: 25 });
    const start = (expected.page - 1) * expected.per_page;
    expect(idsOf(res)).toEqual(newestFirst.slice(start, start + expected.per_page));
  });

  it.each([
    ['just past the end', { page: 2 }, 2],
    ['far past the end', { page: 999 }, 999],
    ['past the end with a small page', { page: 4, per_page: 1 }, 4],
  ])('a page %s returns no data and the true totals', async (_case, query, page) => {
    const res = await api.get(listUrl(query));
    expect(res.status).toBe(200);
    const perPage = 'per_page' in query ? 1 : 20;
    expect(res.body).toEqual({ data: [], meta: { page, per_page: perPage, total_pages: Math.ceil(3 / perPage), total_count: 3 } });
  });

  it('an empty project has total_count 0 and total_pages 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kapso-mock-customers-'));
    const file = join(dir, 'empty.json');
    writeFileSync(file, JSON.stringify({
      projects: [{ id: '33333333-3333-4333-8333-333333333333', name: 'Empty Project', api_key: 'kapso-empty-key' }],
    }));
    const empty = client(await makeApp({ fixturesPath: file }), 'kapso-empty-key');
    const res = await empty.get(customers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
    const page2 = await empty.get(listUrl({ page: 2, per_page: 5 }));
    expect(page2.status).toBe(200);
    expect(page2.body).toEqual({ data: [], meta: { page: 2, per_page: 5, total_pages: 0, total_count: 0 } });
  });

  it('a project whose customers were all deleted has total_count 0 and total_pages 0', async () => {
    for (const id of SEEDED) expect((await api.delete(customer(id))).status).toBe(204);
    const res = await api.get(customers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
  });
});

describe('ordering', () => {
  it('lists newest first by created_at, whatever the insertion order', async () => {
    const res = await api.get(customers);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([fixtures.initech, fixtures.globex, fixtures.acme]);
  });

  it('breaks created_at ties by id, descending, on every page', async () => {
    // Five customers created at the same frozen instant, newer than the fixtures.
    const tied: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.post(customers, { customer: { name: `Tie ${i}`, external_customer_id: `TIE-${i}` } });
      expect(res.status).toBe(201);
      expect(res.body.data.created_at).toBe(T0);
      tied.push(res.body.data.id);
    }
    const byIdDesc = [...tied].sort().reverse();

    expect(idsOf(await api.get(customers))).toEqual([...byIdDesc, ...SEEDED]);
    const paged: string[] = [];
    for (let page = 1; page <= 4; page++) paged.push(...idsOf(await api.get(listUrl({ page, per_page: 2 }))));
    expect(paged).toEqual([...byIdDesc, ...SEEDED]);
  });

  it('a tie between older and newer records keeps created_at first', async () => {
    const tie = await api.post(customers, { customer: { name: 'Same instant', external_customer_id: 'SAME-1' } });
    clock.advance(1);
    const later = await api.post(customers, { customer: { name: 'One ms later', external_customer_id: 'LATER-1' } });
    expect(idsOf(await api.get(customers)).slice(0, 2)).toEqual([later.body.data.id, tie.body.data.id]);
  });

  it('updating a customer does not move it in the list', async () => {
    clock.advance(1000);
    expect((await api.patch(customer(ids.acme), { customer: { name: 'Acme Renamed' } })).status).toBe(200);
    expect(await listed()).toEqual(SEEDED);
  });
});

describe('filters', () => {
  const names = (res: { body: any }) => res.body.data.map((c: any) => c.name as string);

  it.each([
    ['exact case', 'Acme', [ids.acme]],
    ['lower case', 'acme', [ids.acme]],
    ['upper case', 'RETAIL', [ids.globex]],
    ['mixed case, in the middle', 'gIsTiCs', [ids.initech]],
    ['a substring in the middle', 'tech Log', [ids.initech]],
    ['a letter every name has', 'o', SEEDED],
    ['nothing matching', 'Wayne', []],
  ])('q[name_cont] matches case-insensitively: %s', async (_case, value, expected) => {
    const res = await api.get(listUrl({ 'q[name_cont]': value }));
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual(expected);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: expected.length === 0 ? 0 : 1, total_count: expected.length });
  });

  it('q[name_cont] folds non-ASCII letters too', async () => {
    // Composed forms, written as escapes so the file encoding cannot change them.
    const ecole = '\u00c9cole Polytechnique'; // "École"
    const lower = '\u00e9cole primaire'; // "école"
    const other = 'Ecole sans accent';
    for (const [i, name] of [ecole, lower, other].entries()) {
      clock.advance(1000);
      expect((await api.post(customers, { customer: { name, external_customer_id: `ECOLE-${i}` } })).status).toBe(201);
    }
    for (const query of ['\u00c9COLE', '\u00e9cole', '\u00c9cole']) {
      const res = await api.get(listUrl({ 'q[name_cont]': query }));
      expect(res.status).toBe(200);
      expect(names(res)).toEqual([lower, ecole]);
      expect(res.body.meta.total_count).toBe(2);
    }
    const ascii = await api.get(listUrl({ 'q[name_cont]': 'ECOLE' }));
    expect(names(ascii)).toEqual([other]);
  });

  it.each([
    ['%', ['100% Juice']],
    ['100%', ['100% Juice']],
    ['_', ['snake_case Ltd']],
    ['snake_case', ['snake_case Ltd']],
    ['0_J', []],
    ['%Juice', []],
  ])('q[name_cont]=%s treats LIKE wildcards literally', async (value, expected) => {
    for (const [i, name] of ['100% Juice', '1000 Juice Bar', 'snake_case Ltd', 'snakeXcase Ltd'].entries()) {
      clock.advance(1000);
      expect((await api.post(customers, { customer: { name, external_customer_id: `WILD-${i}` } })).status).toBe(201);
    }
    const res = await api.get(listUrl({ 'q[name_cont]': value }));
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(expected);
    expect(res.body.meta.total_count).toBe(expected.length);
  });

  it.each([
    ['an exact value', 'GLOBEX-042', [ids.globex]],
    ['a prefix only', 'GLOBEX', []],
    ['an unknown value', 'NOPE-1', []],
    ["another project's value", 'UMB-1001', []],
  ])('q[external_customer_id_eq] with %s', async (_case, value, expected) => {
    const res = await api.get(listUrl({ 'q[external_customer_id_eq]': value }));
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual(expected);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: expected.length, total_count: expected.length });
  });

  it.each([
    ['gteq a bare date (from the start of that day)', { 'q[created_at_gteq]': '2026-02-03' }, [ids.initech, ids.globex]],
    ['gteq an instant equal to a created_at (inclusive)', { 'q[created_at_gteq]': '2026-02-03T10:00:00.000Z' }, [ids.initech, ids.globex]],
    ['gteq one millisecond later', { 'q[created_at_gteq]': '2026-02-03T10:00:00.001Z' }, [ids.initech]],
    ['gteq with a zone offset', { 'q[created_at_gteq]': '2026-02-03T11:00:00+01:00' }, [ids.initech, ids.globex]],
    ['gteq with a negative offset', { 'q[created_at_gteq]': '2026-02-03T05:00:01-05:00' }, [ids.initech]],
    ['gteq past every record', { 'q[created_at_gteq]': '2026-03-02' }, []],
    // RFC 3339 allows any number of fraction digits: a lower bound half a millisecond after
    // Globex's created_at (10:00:00.000) must not be rounded down onto it.
    ['gteq with sub-millisecond precision', { 'q[created_at_gteq]': '2026-02-03T10:00:00.0005Z' }, [ids.initech]],
    ['lteq with sub-millisecond precision', { 'q[created_at_lteq]': '2026-02-03T09:59:59.9995Z' }, [ids.acme]],
    ['lteq a bare date (to the end of that day)', { 'q[created_at_lteq]': '2026-02-03' }, [ids.globex, ids.acme]],
    ['lteq the day of the oldest record', { 'q[created_at_lteq]': '2026-01-10' }, [ids.acme]],
    ['lteq an instant equal to a created_at (inclusive)', { 'q[created_at_lteq]': '2026-02-03T10:00:00Z' }, [ids.globex, ids.acme]],
    ['lteq one second before', { 'q[created_at_lteq]': '2026-02-03T09:59:59Z' }, [ids.acme]],
    ['lteq before every record', { 'q[created_at_lteq]': '2026-01-09' }, []],
    ['gteq and lteq on the same bare date', { 'q[created_at_gteq]': '2026-02-03', 'q[created_at_lteq]': '2026-02-03' }, [ids.globex]],
    ['a range covering two records', { 'q[created_at_gteq]': '2026-01-01T00:00:00Z', 'q[created_at_lteq]': '2026-02-28' }, [ids.globex, ids.acme]],
    ['an inverted range', { 'q[created_at_gteq]': '2026-03-01', 'q[created_at_lteq]': '2026-01-01' }, []],
  ])('created_at: %s', async (_case, query, expected) => {
    const res = await api.get(listUrl(query));
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual(expected);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: expected.length === 0 ? 0 : 1, total_count: expected.length });
  });

  it.each(['q[created_at_gteq]', 'q[created_at_lteq]'])('%s ignores values it cannot parse', async (key) => {
    for (const value of ['yesterday', '2026-13-01', '2026-02-32', '03/01/2026', '2026-02-03T25:00:00Z', 'null', '']) {
      const res = await api.get(listUrl({ [key]: value }));
      expect(res.status, value).toBe(200);
      expect(idsOf(res), value).toEqual(SEEDED);
      expect(res.body.meta.total_count, value).toBe(3);
    }
  });

  // Ransack's defaults (strip_whitespace: true, ignore_blank_values: true): a value is stripped,
  // and a blank one drops its condition, as the mock already does for blank created_at bounds.
  it.each([
    ['an empty q[external_customer_id_eq] is ignored', { 'q[external_customer_id_eq]': '' }, SEEDED],
    ['a blank q[external_customer_id_eq] is ignored', { 'q[external_customer_id_eq]': '   ' }, SEEDED],
    ['q[external_customer_id_eq] is stripped', { 'q[external_customer_id_eq]': ' GLOBEX-042 ' }, [ids.globex]],
    ['an empty q[name_cont] is ignored', { 'q[name_cont]': '' }, SEEDED],
    ['q[name_cont] is stripped', { 'q[name_cont]': '  acme ' }, [ids.acme]],
  ])('Ransack defaults: %s', async (_case, query, expected) => {
    const res = await api.get(listUrl(query));
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual(expected);
    expect(res.body.meta.total_count).toBe(expected.length);
  });

  it('ignores unknown q[...] keys and other parameters', async () => {
    const res = await api.get(listUrl({ 'q[status_eq]': 'active', 'q[name_start]': 'Zzz', 'q[id_eq]': ids.acme, q: 'Acme', sort: 'name', foo: 'bar' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [fixtures.initech, fixtures.globex, fixtures.acme],
      meta: { page: 1, per_page: 20, total_pages: 1, total_count: 3 },
    });
  });

  it.each([
    ['name and created_at', { 'q[name_cont]': 'E', 'q[created_at_gteq]': '2026-02-01', 'q[created_at_lteq]': '2026-02-28T23:59:59Z' }, [ids.globex]],
    ['name and external id that disagree', { 'q[name_cont]': 'acme', 'q[external_customer_id_eq]': 'GLOBEX-042' }, []],
    ['name and external id that agree', { 'q[name_cont]': 'acme', 'q[external_customer_id_eq]': 'ACME-001' }, [ids.acme]],
    ['every filter', { 'q[name_cont]': 'e', 'q[external_customer_id_eq]': 'GLOBEX-042', 'q[created_at_gteq]': '2026-02-03', 'q[created_at_lteq]': '2026-02-03' }, [ids.globex]],
    ['a filter and an unknown key', { 'q[name_cont]': 'retail', 'q[bogus_eq]': 'x' }, [ids.globex]],
  ])('combines filters: %s', async (_case, query, expected) => {
    const res = await api.get(listUrl(query));
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual(expected);
    expect(res.body.meta.total_count).toBe(expected.length);
  });

  it('filters and pages together, with totals for the filtered set', async () => {
    await createMany(5, 'Filtered');
    await createMany(3, 'Other');
    const res = await api.get(listUrl({ 'q[name_cont]': 'filtered', per_page: 2, page: 3 }));
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['Filtered 0']);
    expect(res.body.meta).toEqual({ page: 3, per_page: 2, total_pages: 3, total_count: 5 });
  });

  it("never shows another project's customers", async () => {
    const res = await api.get(listUrl({ 'q[name_cont]': 'umbrella' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
    const other = await api.get(customers, { key: OTHER_KEY });
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ data: [fixtures.umbrella], meta: { page: 1, per_page: 20, total_pages: 1, total_count: 1 } });
  });
});

describe('validation', () => {
  const missing = { error: 'Invalid parameters', message: 'param is missing or the value is empty: customer' };
  const failed = (message: string) => ({ error: 'Validation failed', message });

  const wrapperCases = [
    ['no wrapper', { name: 'Wayne', external_customer_id: 'WAYNE-1' }],
    ['an empty object', {}],
    ['a null wrapper', { customer: null }],
    ['a string wrapper', { customer: 'Wayne' }],
    ['an array wrapper', { customer: [{ name: 'Wayne', external_customer_id: 'WAYNE-1' }] }],
    ['a misspelled wrapper', { customers: { name: 'Wayne', external_customer_id: 'WAYNE-1' } }],
  ] as const;

  const typeCases = [
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an object', { first: 'Wayne' }],
    ['an array', ['Wayne']],
  ] as const;

  /** [case, wrapper, message] rows for a 422 matrix. */
  type Row = readonly [string, Record<string, unknown>, string];

  describe('create', () => {
    it.each(wrapperCases)('rejects %s with 400', async (_case, body) => {
      const res = await api.post(customers, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(missing);
      expect(rowCount()).toBe(seed.total('customers'));
    });

    it('rejects a request with no body with 400', async () => {
      const res = await api.post(customers);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(missing);
      expect(rowCount()).toBe(seed.total('customers'));
    });

    it.each<Row>([
      ['name missing', { external_customer_id: 'WAYNE-1' }, "name can't be blank"],
      ['name empty', { name: '', external_customer_id: 'WAYNE-1' }, "name can't be blank"],
      ['name blank', { name: '   ', external_customer_id: 'WAYNE-1' }, "name can't be blank"],
      ['name whitespace of every kind', { name: ' \t\n ', external_customer_id: 'WAYNE-1' }, "name can't be blank"],
      ['external id missing', { name: 'Wayne' }, "external_customer_id can't be blank"],
      ['external id blank', { name: 'Wayne', external_customer_id: '  ' }, "external_customer_id can't be blank"],
      ...typeCases.map(([what, value]) => [`name as ${what}`, { name: value, external_customer_id: 'WAYNE-1' }, 'name must be a string'] as const),
      ...typeCases.map(([what, value]) =>
        [`external id as ${what}`, { name: 'Wayne', external_customer_id: value }, 'external_customer_id must be a string'] as const),
      ['both missing', {}, "name can't be blank, external_customer_id can't be blank"],
      ['both of the wrong type', { name: 1, external_customer_id: false }, 'name must be a string, external_customer_id must be a string'],
      ['one wrong type, one blank', { name: null, external_customer_id: '' }, "name must be a string, external_customer_id can't be blank"],
      ['one blank, one wrong type, plus unknown fields', { name: ' ', external_customer_id: 7, extra: 1 }, "name can't be blank, external_customer_id must be a string"],
    ])('rejects %s with 422', async (_case, wrapper, message) => {
      const res = await api.post(customers, { customer: wrapper });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(failed(message));
      expect(rowCount()).toBe(seed.total('customers'));
      expect(await listed()).toEqual(SEEDED);
    });

    it('ignores unknown fields inside the wrapper (id, project, timestamps included)', async () => {
      const res = await api.post(customers, {
        customer: {
          name: 'Wayne', external_customer_id: 'WAYNE-1',
          id: MISSING_ID, project_id: ids.otherProject, created_at: '2000-01-01T00:00:00.000Z', updated_at: '2000-01-01T00:00:00.000Z', admin: true,
        },
        extra_top_level: 'ignored',
      });
      expect(res.status).toBe(201);
      const id = res.body.data.id as string;
      expect(id).not.toBe(MISSING_ID);
      expect(res.body).toEqual({ data: { id, name: 'Wayne', external_customer_id: 'WAYNE-1', created_at: T0, updated_at: T0 } });
      expect(db.prepare('SELECT project_id FROM customers WHERE id = ?').get(id)).toEqual({ project_id: ids.demoProject });
      expect((await api.get(customer(id), { key: OTHER_KEY })).status).toBe(404);
      expect((await api.get(customer(MISSING_ID))).status).toBe(404);
    });

    it('keeps surrounding whitespace and unicode as sent', async () => {
      const res = await api.post(customers, { customer: { name: '  Caf\u00e9 \u2615  ', external_customer_id: ' id with spaces ' } });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ name: '  Caf\u00e9 \u2615  ', external_customer_id: ' id with spaces ' });
    });
  });

  describe('update', () => {
    it.each(wrapperCases)('rejects %s with 400', async (_case, body) => {
      const res = await api.patch(customer(ids.acme), body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(missing);
      expect((await api.get(customer(ids.acme))).body).toEqual({ data: fixtures.acme });
    });

    it.each<Row>([
      ['name empty', { name: '' }, "name can't be blank"],
      ['name blank', { name: '   ' }, "name can't be blank"],
      ['external id blank', { external_customer_id: '' }, "external_customer_id can't be blank"],
      ...typeCases.map(([what, value]) => [`name as ${what}`, { name: value }, 'name must be a string'] as const),
      ...typeCases.map(([what, value]) => [`external id as ${what}`, { external_customer_id: value }, 'external_customer_id must be a string'] as const),
      ['both bad', { name: '', external_customer_id: 12 }, "name can't be blank, external_customer_id must be a string"],
      ['one good, one bad (nothing is applied)', { name: 'Acme Renamed', external_customer_id: null }, 'external_customer_id must be a string'],
    ])('rejects %s with 422 and changes nothing', async (_case, wrapper, message) => {
      clock.advance(1000);
      for (const send of [api.patch, api.put]) {
        const res = await send(customer(ids.acme), { customer: wrapper });
        expect(res.status).toBe(422);
        expect(res.body).toEqual(failed(message));
      }
      expect((await api.get(customer(ids.acme))).body).toEqual({ data: fixtures.acme });
    });

    it('ignores unknown fields inside the wrapper', async () => {
      clock.advance(1000);
      const res = await api.patch(customer(ids.acme), { customer: { name: 'Acme Renamed', id: MISSING_ID, created_at: '2000-01-01T00:00:00Z' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { ...fixtures.acme, name: 'Acme Renamed', updated_at: at(1000) } });
    });

    it('answers 404 for an unknown customer with a valid body', async () => {
      const res = await api.patch(customer(MISSING_ID), { customer: { name: 'Valid' } });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Customer not found' });
    });
  });

  describe('external_customer_id is unique within a project', () => {
    const taken = { error: 'External customer has already been taken' };

    it('rejects a duplicate on create', async () => {
      const res = await api.post(customers, { customer: { name: 'Acme Clone', external_customer_id: 'ACME-001' } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(taken);
      expect(rowCount()).toBe(seed.total('customers'));
      expect(await listed()).toEqual(SEEDED);
    });

    it('rejects a duplicate of a customer created through the API', async () => {
      expect((await api.post(customers, { customer: { name: 'Wayne', external_customer_id: 'WAYNE-1' } })).status).toBe(201);
      const res = await api.post(customers, { customer: { name: 'Wayne again', external_customer_id: 'WAYNE-1' } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(taken);
      expect(rowCount()).toBe(seed.total('customers') + 1);
    });

    it.each(['PATCH', 'PUT'] as const)('rejects a duplicate on update (%s) and changes nothing', async (method) => {
      clock.advance(1000);
      const res = await api.call(method, customer(ids.globex), { body: { customer: { name: 'Globex Renamed', external_customer_id: 'ACME-001' } } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(taken);
      expect((await api.get(customer(ids.globex))).body).toEqual({ data: fixtures.globex });
      expect((await api.get(customer(ids.acme))).body).toEqual({ data: fixtures.acme });
    });

    it("allows another project's external id, on create and on update", async () => {
      const created = await api.post(customers, { customer: { name: 'Umbrella lookalike', external_customer_id: 'UMB-1001' } });
      expect(created.status).toBe(201);
      const other = await api.post(customers, { customer: { name: 'Acme lookalike', external_customer_id: 'ACME-001' } }, { key: OTHER_KEY });
      expect(other.status).toBe(201);
      expect(db.prepare('SELECT project_id FROM customers WHERE id = ?').get(other.body.data.id)).toEqual({ project_id: ids.otherProject });

      clock.advance(1000);
      const updated = await api.patch(customer(ids.globex), { customer: { external_customer_id: 'UMB-2002' } });
      expect(updated.status).toBe(200);
      const otherUpdate = await api.patch(customer(ids.umbrella), { customer: { external_customer_id: 'UMB-2002' } }, { key: OTHER_KEY });
      expect(otherUpdate.status).toBe(200);
      expect(otherUpdate.body.data).toMatchObject({ id: ids.umbrella, external_customer_id: 'UMB-2002' });
    });

    it('a customer may keep its own external id, and a freed id can be reused', async () => {
      const own = await api.patch(customer(ids.acme), { customer: { external_customer_id: 'ACME-001' } });
      expect(own.status).toBe(200);
      expect(own.body).toEqual({ data: fixtures.acme });

      expect((await api.patch(customer(ids.acme), { customer: { external_customer_id: 'ACME-OLD' } })).status).toBe(200);
      const reused = await api.post(customers, { customer: { name: 'New Acme', external_customer_id: 'ACME-001' } });
      expect(reused.status).toBe(201);
    });

    it('a deleted customer frees its external id', async () => {
      expect((await api.delete(customer(ids.acme))).status).toBe(204);
      const res = await api.post(customers, { customer: { name: 'Acme reborn', external_customer_id: 'ACME-001' } });
      expect(res.status).toBe(201);
    });
  });
});
