// GET /whatsapp_configs, from the API's later revision: every config of the project in that
// revision's shape (no write-only fields, its own fields with their defaults), its filters
// (business_account_id as a scope, q[business_account_id_eq], q[name_cont], q[created_at_*]) and pagination.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { ids, makeFrozenApp, type Client } from './helpers/app.js';
import { demo, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const list = '/api/v1/whatsapp_configs';
const q = (query: Record<string, string | number>) => `${list}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`;

const demoConfigs = seed.records.filter((r) => r.kind === 'whatsappConfigs' && r.projectId === demo.id);
/** The Demo Project's configs, newest first. */
const NEWEST_FIRST = [...demoConfigs].sort((a, b) => String(b.record.created_at).localeCompare(String(a.record.created_at))).map((r) => r.id);
const acmeAccount = String(seed.find('whatsappConfigs', 'Acme Support').record.business_account_id);

let api: Client;
let clock: Clock;

beforeEach(async () => {
  ({ api, clock } = await makeFrozenApp(T0));
});

const listed = (res: { body: any }) => res.body.data.map((c: { id: string }) => c.id);

describe('GET /whatsapp_configs', () => {
  it('lists every config of the project newest first, in the later revision\'s shape', async () => {
    const res = await api.get(list);
    expect(res.status).toBe(200);
    expect(listed(res)).toEqual(NEWEST_FIRST);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 1, total_count: NEWEST_FIRST.length });
    expect(res.body.data.find((c: { id: string }) => c.id === ids.acmeSupport)).toEqual({
      id: ids.acmeSupport,
      name: 'Acme Support',
      display_name: 'Acme Support (+106540352242922)',
      phone_number_id: '106540352242922',
      business_account_id: '102290129340398',
      kind: 'production',
      display_phone_number: '+1 415-555-0132',
      display_phone_number_normalized: '14155550132',
      is_coexistence: false,
      webhook_verified_at: '2026-01-10T15:05:00.000Z',
      customer_id: ids.acme,
      inbound_processing_enabled: true,
      calls_enabled: false,
      created_at: '2026-01-10T15:00:00.000Z',
      updated_at: '2026-01-10T15:00:00.000Z',
    });
    expect(res.body.data.find((c: { id: string }) => c.id === ids.globexOrders)).toMatchObject({ is_coexistence: true });
    expect(res.body.data.find((c: { id: string }) => c.id === ids.initechDispatch)).toMatchObject({ calls_enabled: true });
    expect(res.body.data.find((c: { id: string }) => c.id === ids.acmeSales)).toMatchObject({ webhook_verified_at: null });
    // Write-only fields never leave, as the later revision says.
    for (const secret of ['webhook_verify_token', 'webhook_destination_url', 'access_token', 'acme-verify-7f3c2a', 'EAAG']) expect(res.raw).not.toContain(secret);
  });

  it('a config created through the API comes first, with the defaults and no display phone number', async () => {
    clock.advance(1000);
    const created = await api.post(`/api/v1/customers/${ids.initech}/whatsapp_configs`, {
      whatsapp_config: { name: 'Initech Returns', phone_number_id: '120384756102999', business_account_id: '110293847560192', webhook_verify_token: 'tok', access_token: 'EAAGx' },
    });
    expect(created.status).toBe(201);
    const res = await api.get(list);
    expect(res.body.data[0]).toEqual({
      id: created.body.data.id, name: 'Initech Returns', display_name: 'Initech Returns (+120384756102999)', phone_number_id: '120384756102999',
      business_account_id: '110293847560192', kind: 'production', is_coexistence: false, webhook_verified_at: null, customer_id: ids.initech,
      inbound_processing_enabled: true, calls_enabled: false, created_at: created.body.data.created_at, updated_at: created.body.data.updated_at,
    });
    expect(res.body.meta.total_count).toBe(NEWEST_FIRST.length + 1);
    expect((await api.delete(`/api/v1/whatsapp_configs/${created.body.data.id}`)).status).toBe(204);
    expect(listed(await api.get(list))).toEqual(NEWEST_FIRST);
  });

  it.each([
    ['business_account_id', { business_account_id: acmeAccount }, [ids.acmeSales, ids.acmeSupport]],
    ['q[business_account_id_eq]', { 'q[business_account_id_eq]': acmeAccount }, [ids.acmeSales, ids.acmeSupport]],
    ['both, the same', { business_account_id: acmeAccount, 'q[business_account_id_eq]': acmeAccount }, [ids.acmeSales, ids.acmeSupport]],
    ['both, different (both apply)', { business_account_id: acmeAccount, 'q[business_account_id_eq]': '109283746501928' }, []],
    ['an unknown business account', { business_account_id: '999' }, []],
    ['a blank business_account_id (ignored)', { business_account_id: ' ' }, NEWEST_FIRST],
    ['q[name_cont], case-insensitive', { 'q[name_cont]': 'acme s' }, [ids.acmeSales, ids.acmeSupport]],
    ['q[name_cont] with the business account', { business_account_id: acmeAccount, 'q[name_cont]': 'SALES' }, [ids.acmeSales]],
    ['q[created_at_gteq]', { 'q[created_at_gteq]': '2026-02-01' }, [ids.initechDispatch, ids.globexOrders]],
    ['q[created_at_lteq], a bare date covers the day', { 'q[created_at_lteq]': '2026-01-12' }, [ids.acmeSales, ids.acmeSupport]],
    ['q[created_at_gteq] and _lteq', { 'q[created_at_gteq]': '2026-01-11T00:00:00Z', 'q[created_at_lteq]': '2026-02-28T23:59:59Z' }, [ids.globexOrders, ids.acmeSales]],
    ['an unknown q[...] key (ignored)', { 'q[kind_eq]': 'sandbox' }, NEWEST_FIRST],
  ])('filters by %s', async (_case, query, expected) => {
    const res = await api.get(q(query));
    expect(res.status).toBe(200);
    expect(listed(res)).toEqual(expected);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: expected.length === 0 ? 0 : 1, total_count: expected.length });
  });

  it('pages, clamps per_page and counts a business account\'s configs as they move', async () => {
    const page2 = await api.get(q({ per_page: 3, page: 2 }));
    expect(listed(page2)).toEqual(NEWEST_FIRST.slice(3));
    expect(page2.body.meta).toEqual({ page: 2, per_page: 3, total_pages: 2, total_count: NEWEST_FIRST.length });
    expect((await api.get(q({ per_page: 1000 }))).body.meta.per_page).toBe(100);

    // Acme Sales moves to Globex's business account: both scopes count it right.
    expect((await api.patch(`/api/v1/whatsapp_configs/${ids.acmeSales}`, { whatsapp_config: { business_account_id: '109283746501928' } })).status).toBe(200);
    expect((await api.get(q({ business_account_id: acmeAccount }))).body.meta.total_count).toBe(1);
    const globex = await api.get(q({ business_account_id: '109283746501928' }));
    expect(listed(globex)).toEqual([ids.globexOrders, ids.acmeSales]);
    expect(globex.body.meta.total_count).toBe(2);
  });

  it('a deleted customer\'s configs leave the list', async () => {
    expect((await api.delete(`/api/v1/customers/${ids.acme}`)).status).toBe(204);
    expect(listed(await api.get(list))).toEqual(NEWEST_FIRST.filter((id) => id !== ids.acmeSales && id !== ids.acmeSupport));
    expect((await api.get(q({ business_account_id: acmeAccount }))).body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
  });
});
