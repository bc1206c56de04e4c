// WhatsApp configs: a customer's paginated list, create/get/update/delete through real client
// flows, the write-only access_token, display_name, uniqueness and the cascade to agent links.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { expectDeleted } from './helpers/flows.js';
import { seed } from './helpers/seed.js';
import { seededConfigs as fixtures } from './helpers/expected.js';

const configsOf = (customer: string) => `/api/v1/customers/${encodeURIComponent(customer)}/whatsapp_configs`;
const config = (id: string) => `/api/v1/whatsapp_configs/${encodeURIComponent(id)}`;
const agentLinks = (agent: string) => `/api/v1/agents/${agent}/agent_whatsapp_configs`;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();


const TOKEN = 'EAAGsecretNeverShown9f8e7d';
const FIXTURE_TOKENS = ['EAAGacmeSupportDemoToken0001', 'EAAGacmeSalesDemoToken0002', 'EAAGglobexOrdersDemoToken0003', 'EAAGinitechDispatchDemoToken0004'];
const valid = {
  name: 'Wayne Concierge',
  phone_number_id: '15550001111',
  business_account_id: '88776655443322',
  webhook_verify_token: 'wayne-verify-1',
  webhook_destination_url: 'https://wayne.example/hooks/whatsapp',
  access_token: TOKEN,
};

let api: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  ({ api, clock, db } = await makeFrozenApp(T0));
});

const idsOf = (res: { body: any }) => res.body.data.map((c: any) => c.id as string);
const storedToken = (id: string) => (db.prepare('SELECT access_token FROM whatsapp_configs WHERE id = ?').get(id) as { access_token: string | null } | undefined)?.access_token;
const configCount = () => (db.prepare('SELECT count(*) AS n FROM whatsapp_configs').get() as { n: number }).n;
/** No response may ever carry a token: neither the key nor any stored value. */
const expectNoToken = (raw: string, ...tokens: string[]) => {
  expect(raw).not.toContain('access_token');
  for (const token of [TOKEN, ...FIXTURE_TOKENS, ...tokens]) expect(raw).not.toContain(token);
};

describe('list a customer\'s configs', () => {
  it('lists them newest first, with pagination meta and without tokens', async () => {
    const res = await api.get(configsOf(ids.acme));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [fixtures.acmeSales, fixtures.acmeSupport],
      meta: { page: 1, per_page: 20, total_pages: 1, total_count: 2 },
    });
    expectNoToken(res.raw);
  });

  it('shows only that customer\'s configs', async () => {
    const res = await api.get(configsOf(ids.globex));
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual([ids.globexOrders]);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 1, total_count: 1 });
  });

  it('pages through the configs', async () => {
    const first = await api.get(`${configsOf(ids.acme)}?per_page=1`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ data: [fixtures.acmeSales], meta: { page: 1, per_page: 1, total_pages: 2, total_count: 2 } });
    const second = await api.get(`${configsOf(ids.acme)}?per_page=1&page=2`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ data: [fixtures.acmeSupport], meta: { page: 2, per_page: 1, total_pages: 2, total_count: 2 } });
  });

  it('a page past the end returns no data and the true totals', async () => {
    const res = await api.get(`${configsOf(ids.acme)}?page=3`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { page: 3, per_page: 20, total_pages: 1, total_count: 2 } });
  });

  it.each([
    ['per_page=500 (clamped to 100)', 'per_page=500', { page: 1, per_page: 100 }],
    ['page=0', 'page=0', { page: 1, per_page: 20 }],
    ['page=-1', 'page=-1', { page: 1, per_page: 20 }],
    ['page=abc', 'page=abc', { page: 1, per_page: 20 }],
    ['per_page=0', 'per_page=0', { page: 1, per_page: 20 }],
    ['per_page=1.5', 'per_page=1.5', { page: 1, per_page: 20 }],
  ])('%s', async (_case, query, meta) => {
    const res = await api.get(`${configsOf(ids.acme)}?${query}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [fixtures.acmeSales, fixtures.acmeSupport], meta: { ...meta, total_pages: 1, total_count: 2 } });
  });

  it('a customer without configs has an empty list with zero totals', async () => {
    const created = await api.post('/api/v1/customers', { customer: { name: 'Wayne', external_customer_id: 'WAYNE-1' } });
    expect(created.status).toBe(201);
    const res = await api.get(configsOf(created.body.data.id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
  });

  it('breaks created_at ties by id, descending', async () => {
    const tied: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await api.post(configsOf(ids.initech), { whatsapp_config: { ...valid, phone_number_id: `1555000200${i}` } });
      expect(res.status).toBe(201);
      tied.push(res.body.data.id);
    }
    const res = await api.get(configsOf(ids.initech));
    expect(idsOf(res)).toEqual([...[...tied].sort().reverse(), ids.initechDispatch]);
    const paged: string[] = [];
    for (let page = 1; page <= 3; page++) paged.push(...idsOf(await api.get(`${configsOf(ids.initech)}?per_page=2&page=${page}`)));
    expect(paged).toEqual(idsOf(res));
  });

  it.each([
    ['an unknown customer', MISSING_ID],
    ['a customer id that is not a UUID', 'CLIENT-456'],
    ["another project's customer", ids.umbrella],
  ])('answers 404 for %s', async (_case, customer) => {
    const res = await api.get(configsOf(customer));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Customer not found' });
  });
});

describe('client flow', () => {
  it('create, get, list, update, get, delete, get (404), delete again (404)', async () => {
    const created = await api.post(configsOf(ids.globex), { whatsapp_config: valid });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(id).toMatch(UUID_V4);
    const expected = {
      id,
      name: 'Wayne Concierge',
      display_name: 'Wayne Concierge (+15550001111)',
      phone_number_id: '15550001111',
      business_account_id: '88776655443322',
      webhook_verify_token: 'wayne-verify-1',
      webhook_destination_url: 'https://wayne.example/hooks/whatsapp',
      customer_id: ids.globex,
      created_at: T0,
      updated_at: T0,
    };
    expect(created.body).toEqual({ data: expected });
    expectNoToken(created.raw);
    expect(storedToken(id)).toBe(TOKEN);

    const got = await api.get(config(id));
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ data: expected });
    expectNoToken(got.raw);

    const list = await api.get(configsOf(ids.globex));
    expect(list.status).toBe(200);
    expect(idsOf(list)).toEqual([id, ids.globexOrders]);
    expect(list.body.data[0]).toEqual(expected);
    expect(list.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 1, total_count: 2 });
    expectNoToken(list.raw);

    clock.advance(60_000);
    const patched = await api.patch(config(id), { whatsapp_config: { name: 'Wayne Front Desk', webhook_destination_url: 'http://wayne.example/v2' } });
    expect(patched.status).toBe(200);
    const updated = {
      ...expected,
      name: 'Wayne Front Desk',
      display_name: 'Wayne Front Desk (+15550001111)',
      webhook_destination_url: 'http://wayne.example/v2',
      updated_at: at(60_000),
    };
    expect(patched.body).toEqual({ data: updated });
    expectNoToken(patched.raw);

    const after = await api.get(config(id));
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ data: updated });

    await expectDeleted(api, config(id), 'WhatsApp configuration not found');

    expect(idsOf(await api.get(configsOf(ids.globex)))).toEqual([ids.globexOrders]);
    expect(storedToken(id)).toBeUndefined();
  });

  it('gets a seeded config without its token', async () => {
    const res = await api.get(config(ids.acmeSupport));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: fixtures.acmeSupport });
    expectNoToken(res.raw);
  });
});

describe('create', () => {
  it('leaves webhook_destination_url out (not null) when it was not given, and works without a token', async () => {
    const { webhook_destination_url: _url, access_token: _token, ...required } = valid;
    const res = await api.post(configsOf(ids.acme), { whatsapp_config: required });
    expect(res.status).toBe(201);
    expect(res.body.data).not.toHaveProperty('webhook_destination_url');
    expect(res.raw).not.toContain('webhook_destination_url');
    expect(res.body).toEqual({
      data: {
        id: res.body.data.id,
        name: 'Wayne Concierge',
        display_name: 'Wayne Concierge (+15550001111)',
        phone_number_id: '15550001111',
        business_account_id: '88776655443322',
        webhook_verify_token: 'wayne-verify-1',
        customer_id: ids.acme,
        created_at: T0,
        updated_at: T0,
      },
    });
    expect(storedToken(res.body.data.id)).toBeNull();
    const got = await api.get(config(res.body.data.id));
    expect(got.body.data).not.toHaveProperty('webhook_destination_url');
  });

  it('accepts both http and https webhook URLs', async () => {
    for (const [i, url] of ['http://localhost:3000/hook', 'https://example.com/a?b=c#d', 'HTTPS://EXAMPLE.COM/UPPER'].entries()) {
      const res = await api.post(configsOf(ids.acme), { whatsapp_config: { ...valid, phone_number_id: `1555000300${i}`, webhook_destination_url: url } });
      expect(res.status).toBe(201);
      expect(res.body.data.webhook_destination_url).toBe(url);
    }
  });

  it('ignores unknown fields inside the wrapper (id, customer and display_name included)', async () => {
    const res = await api.post(configsOf(ids.acme), {
      whatsapp_config: { ...valid, id: MISSING_ID, customer_id: ids.globex, display_name: 'Fake', project_id: ids.otherProject, created_at: '2000-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.id).not.toBe(MISSING_ID);
    expect(res.body.data).toMatchObject({ customer_id: ids.acme, display_name: 'Wayne Concierge (+15550001111)', created_at: T0 });
    expect(db.prepare('SELECT project_id FROM whatsapp_configs WHERE id = ?').get(res.body.data.id)).toEqual({ project_id: ids.demoProject });
  });

  const missing = { error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_config' };
  const failed = (message: string) => ({ error: 'Validation failed', message });
  const REQUIRED = ['name', 'phone_number_id', 'business_account_id', 'webhook_verify_token'] as const;
  const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field));

  it.each([
    ['no wrapper', valid],
    ['an empty body object', {}],
    ['a null wrapper', { whatsapp_config: null }],
    ['an array wrapper', { whatsapp_config: [valid] }],
    ['a string wrapper', { whatsapp_config: 'config' }],
  ])('rejects %s with 400', async (_case, body) => {
    const res = await api.post(configsOf(ids.acme), body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(missing);
    expect(configCount()).toBe(seed.total('whatsappConfigs'));
  });

  it.each<readonly [string, Record<string, unknown>, string]>([
    ...REQUIRED.map((f) => [`${f} missing`, without(f), `${f} can't be blank`] as const),
    ...REQUIRED.map((f) => [`${f} blank`, { ...valid, [f]: '  ' }, `${f} can't be blank`] as const),
    ...REQUIRED.map((f) => [`${f} as a number`, { ...valid, [f]: 1234567890 }, `${f} must be a string`] as const),
    ...REQUIRED.map((f) => [`${f} as null`, { ...valid, [f]: null }, `${f} must be a string`] as const),
    ['phone_number_id as an array', { ...valid, phone_number_id: ['1'] }, 'phone_number_id must be a string'],
    ['webhook_verify_token as an object', { ...valid, webhook_verify_token: {} }, 'webhook_verify_token must be a string'],
    ['access_token as a number', { ...valid, access_token: 42 }, 'access_token must be a string'],
    ['access_token as null', { ...valid, access_token: null }, 'access_token must be a string'],
    ['webhook_destination_url as a boolean', { ...valid, webhook_destination_url: true }, 'webhook_destination_url must be a string'],
    ['webhook_destination_url as null', { ...valid, webhook_destination_url: null }, 'webhook_destination_url must be a string'],
    ...['ftp://files.example/hook', 'not a url', '', 'javascript:alert(1)', 'mailto:ops@example.com', 'example.com/hook', '//example.com/hook', 'http://']
      .map((url) => [`webhook_destination_url "${url}"`, { ...valid, webhook_destination_url: url }, 'webhook_destination_url is not a valid http(s) URL'] as const),
    ['every required field missing', {}, "name can't be blank, phone_number_id can't be blank, business_account_id can't be blank, webhook_verify_token can't be blank"],
    ['several bad fields', { ...valid, name: 1, business_account_id: '', webhook_destination_url: 'ftp://x' },
      "name must be a string, business_account_id can't be blank, webhook_destination_url is not a valid http(s) URL"],
  ])('rejects %s with 422 and creates nothing', async (_case, wrapper, message) => {
    const res = await api.post(configsOf(ids.acme), { whatsapp_config: wrapper });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(failed(message));
    expect(configCount()).toBe(seed.total('whatsappConfigs'));
    expect(idsOf(await api.get(configsOf(ids.acme)))).toEqual([ids.acmeSales, ids.acmeSupport]);
  });

  it.each([
    ['the same customer', ids.acme, '106540352242922'],
    ['another customer of the project', ids.initech, '106540352242922'],
    ['a config created through the API', ids.globex, '15550001111'],
  ])('rejects a phone_number_id already taken in the project (%s)', async (_case, customer, phone) => {
    if (phone === valid.phone_number_id) expect((await api.post(configsOf(ids.acme), { whatsapp_config: valid })).status).toBe(201);
    const before = configCount();
    const res = await api.post(configsOf(customer), { whatsapp_config: { ...valid, phone_number_id: phone, access_token: 'EAAGdupToken' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Phone number has already been taken' });
    expect(configCount()).toBe(before);
    expect(db.prepare('SELECT count(*) AS n FROM whatsapp_configs WHERE access_token = ?').get('EAAGdupToken')).toEqual({ n: 0 });
  });

  it("accepts a phone_number_id that only another project uses", async () => {
    const res = await api.post(configsOf(ids.acme), { whatsapp_config: { ...valid, phone_number_id: fixtures.umbrellaConfig.phone_number_id } });
    expect(res.status).toBe(201);
    expect(res.body.data.display_name).toBe('Wayne Concierge (+130495867201234)');
    expect((await api.get(config(ids.umbrellaConfig), { key: OTHER_KEY })).body).toEqual({ data: fixtures.umbrellaConfig });
  });

  it.each([
    ['an unknown customer', MISSING_ID],
    ['a customer id that is not a UUID', 'nope'],
    ["another project's customer", ids.umbrella],
  ])('answers 404 for %s and creates nothing', async (_case, customer) => {
    const res = await api.post(configsOf(customer), { whatsapp_config: valid });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Customer not found' });
    expect(configCount()).toBe(seed.total('whatsappConfigs'));
  });
});

describe('update', () => {
  beforeEach(() => clock.advance(3_600_000));
  const NOW = at(3_600_000);

  it.each(['PATCH', 'PUT'] as const)('%s updates the fields given and keeps the others', async (method) => {
    const res = await api.call(method, config(ids.acmeSupport), { body: { whatsapp_config: { business_account_id: '999', webhook_verify_token: 'new-token' } } });
    expect(res.status).toBe(200);
    const expected = { ...fixtures.acmeSupport, business_account_id: '999', webhook_verify_token: 'new-token', updated_at: NOW };
    expect(res.body).toEqual({ data: expected });
    expect((await api.get(config(ids.acmeSupport))).body).toEqual({ data: expected });
    expect(storedToken(ids.acmeSupport)).toBe('EAAGacmeSupportDemoToken0001');
  });

  it('display_name follows a change of name and of phone_number_id', async () => {
    const renamed = await api.patch(config(ids.acmeSupport), { whatsapp_config: { name: 'Acme Help' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.display_name).toBe('Acme Help (+106540352242922)');
    const renumbered = await api.put(config(ids.acmeSupport), { whatsapp_config: { phone_number_id: '15559998888' } });
    expect(renumbered.status).toBe(200);
    expect(renumbered.body.data).toMatchObject({ name: 'Acme Help', phone_number_id: '15559998888', display_name: 'Acme Help (+15559998888)' });
    const got = await api.get(config(ids.acmeSupport));
    expect(got.body.data.display_name).toBe('Acme Help (+15559998888)');
    const embedded = (await api.get(`${agentLinks(ids.supportAgent)}/${ids.supportPrimaryLink}`)).body.data.whatsapp_config;
    expect(embedded.display_name).toBe('Acme Help (+15559998888)');
  });

  it.each([
    ['the same values', { name: 'Acme Support', phone_number_id: '106540352242922', webhook_destination_url: 'https://hooks.acme.example/whatsapp/support' }],
    ['the same access_token', { access_token: 'EAAGacmeSupportDemoToken0001' }],
    ['an empty wrapper', {}],
    ['only unknown fields', { display_name: 'Fake (+1)', customer_id: ids.globex, updated_at: '2000-01-01T00:00:00Z' }],
  ])('%s changes nothing, updated_at included', async (_case, wrapper) => {
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await api.call(method, config(ids.acmeSupport), { body: { whatsapp_config: wrapper } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: fixtures.acmeSupport });
      expectNoToken(res.raw);
    }
    expect((await api.get(config(ids.acmeSupport))).body).toEqual({ data: fixtures.acmeSupport });
  });

  it('updating access_token alone changes updated_at, and the token is still never shown', async () => {
    const res = await api.patch(config(ids.acmeSupport), { whatsapp_config: { access_token: TOKEN } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.acmeSupport, updated_at: NOW } });
    expectNoToken(res.raw);
    expect(storedToken(ids.acmeSupport)).toBe(TOKEN);
    for (const url of [config(ids.acmeSupport), configsOf(ids.acme), agentLinks(ids.supportAgent), `${agentLinks(ids.supportAgent)}/${ids.supportPrimaryLink}`]) {
      const seen = await api.get(url);
      expect(seen.status).toBe(200);
      expectNoToken(seen.raw);
    }
  });

  it('rejects a phone_number_id taken by another config of the project and changes nothing', async () => {
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await api.call(method, config(ids.acmeSupport), { body: { whatsapp_config: { name: 'Changed', phone_number_id: '117725498813301' } } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ error: 'Phone number has already been taken' });
    }
    expect((await api.get(config(ids.acmeSupport))).body).toEqual({ data: fixtures.acmeSupport });
  });

  it('accepts a phone_number_id that only another project uses', async () => {
    const res = await api.patch(config(ids.acmeSupport), { whatsapp_config: { phone_number_id: '130495867201234' } });
    expect(res.status).toBe(200);
    expect(res.body.data.display_name).toBe('Acme Support (+130495867201234)');
  });

  it.each([
    ['no wrapper', { name: 'x' }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_config' }],
    ['a null wrapper', { whatsapp_config: null }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_config' }],
    ['a blank name', { whatsapp_config: { name: ' ' } }, 422, { error: 'Validation failed', message: "name can't be blank" }],
    ['a blank phone_number_id', { whatsapp_config: { phone_number_id: '' } }, 422, { error: 'Validation failed', message: "phone_number_id can't be blank" }],
    ['a numeric phone_number_id', { whatsapp_config: { phone_number_id: 15550001111 } }, 422, { error: 'Validation failed', message: 'phone_number_id must be a string' }],
    ['a null webhook_verify_token', { whatsapp_config: { webhook_verify_token: null } }, 422, { error: 'Validation failed', message: 'webhook_verify_token must be a string' }],
    ['an ftp webhook URL', { whatsapp_config: { webhook_destination_url: 'ftp://x.example' } }, 422,
      { error: 'Validation failed', message: 'webhook_destination_url is not a valid http(s) URL' }],
    ['a boolean access_token', { whatsapp_config: { access_token: false } }, 422, { error: 'Validation failed', message: 'access_token must be a string' }],
    ['a good field with a bad one', { whatsapp_config: { name: 'Applied?', business_account_id: 5 } }, 422,
      { error: 'Validation failed', message: 'business_account_id must be a string' }],
  ])('rejects %s and changes nothing', async (_case, body, status, error) => {
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await api.call(method, config(ids.acmeSupport), { body });
      expect(res.status).toBe(status);
      expect(res.body).toEqual(error);
    }
    expect((await api.get(config(ids.acmeSupport))).body).toEqual({ data: fixtures.acmeSupport });
    expect(storedToken(ids.acmeSupport)).toBe('EAAGacmeSupportDemoToken0001');
  });
});

describe('not found', () => {
  const cases = [
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'config-123'],
    ["another project's config", ids.umbrellaConfig],
  ] as const;
  const calls = [
    ['GET', (id: string) => api.get(config(id))],
    ['PATCH', (id: string) => api.patch(config(id), { whatsapp_config: { name: 'Stolen', access_token: 'EAAGstolen' } })],
    ['PUT', (id: string) => api.put(config(id), { whatsapp_config: { name: 'Stolen', access_token: 'EAAGstolen' } })],
    ['DELETE', (id: string) => api.delete(config(id))],
  ] as const;

  it.each(calls.flatMap(([method, call]) => cases.map(([what, id]) => [method, what, id, call] as const)))(
    '%s answers 404 for %s and changes nothing',
    async (_method, _what, id, call) => {
      const res = await call(id);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'WhatsApp configuration not found' });
      const umbrella = await api.get(config(ids.umbrellaConfig), { key: OTHER_KEY });
      expect(umbrella.status).toBe(200);
      expect(umbrella.body).toEqual({ data: fixtures.umbrellaConfig });
      expect(storedToken(ids.umbrellaConfig)).toBe('EAAGumbrellaDemoToken0001');
      expect(configCount()).toBe(seed.total('whatsappConfigs'));
    },
  );
});

describe('delete', () => {
  it('deleting a config removes its agent links; the agent and its other links stay', async () => {
    const before = await api.get(agentLinks(ids.supportAgent));
    expect(before.body.data.map((l: any) => l.whatsapp_config.id)).toEqual([ids.acmeSales, ids.acmeSupport]);

    const res = await api.delete(config(ids.acmeSupport));
    expect(res.status).toBe(204);
    expect(res.raw).toBe('');

    const after = await api.get(agentLinks(ids.supportAgent));
    expect(after.status).toBe(200);
    expect(after.body.data.map((l: any) => l.id)).toEqual([ids.supportSalesLink]);
    expect((await api.get(`${agentLinks(ids.supportAgent)}/${ids.supportPrimaryLink}`)).status).toBe(404);
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}`)).status).toBe(200);
    expect(db.prepare('SELECT count(*) AS n FROM agent_whatsapp_configs WHERE whatsapp_config_id = ?').get(ids.acmeSupport)).toEqual({ n: 0 });
    expect(idsOf(await api.get(configsOf(ids.acme)))).toEqual([ids.acmeSales]);
  });

  it('deleting a config linked to several agents removes every link', async () => {
    const linked = await api.post(agentLinks(ids.orderAgent), { agent_whatsapp_config: { whatsapp_config_id: ids.acmeSales } });
    expect(linked.status).toBe(201);
    expect((await api.delete(config(ids.acmeSales))).status).toBe(204);
    expect((await api.get(agentLinks(ids.supportAgent))).body.data.map((l: any) => l.id)).toEqual([ids.supportPrimaryLink]);
    expect((await api.get(agentLinks(ids.orderAgent))).body.data.map((l: any) => l.id)).toEqual([ids.orderLink]);
  });

  it('a config created through the API and linked to an agent is unlinked when deleted', async () => {
    const created = await api.post(configsOf(ids.initech), { whatsapp_config: valid });
    const link = await api.post(agentLinks(ids.supportAgent), { agent_whatsapp_config: { whatsapp_config_id: created.body.data.id } });
    expect(link.status).toBe(201);
    expect((await api.delete(config(created.body.data.id))).status).toBe(204);
    expect((await api.get(`${agentLinks(ids.supportAgent)}/${link.body.data.id}`)).status).toBe(404);
    expect((await api.get(agentLinks(ids.supportAgent))).body.data).toHaveLength(2);
  });

  it('a deleted config frees its phone_number_id', async () => {
    expect((await api.delete(config(ids.acmeSupport))).status).toBe(204);
    const res = await api.post(configsOf(ids.globex), { whatsapp_config: { ...valid, phone_number_id: '106540352242922' } });
    expect(res.status).toBe(201);
  });
});
