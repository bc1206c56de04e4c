// Agent WhatsApp Configs: the seed operation (PUT .../agent_whatsapp_configs/{id}) and the
// is_primary rule of docs/behaviour.md, through real client flows.
import { beforeEach, describe, expect, it } from 'vitest';
import { client, ids, makeApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seededConfigs } from './helpers/expected.js';

const links = (agent: string) => `/api/v1/agents/${agent}/agent_whatsapp_configs`;
const link = (agent: string, id: string) => `${links(agent)}/${id}`;

let api: Client;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  const app = await makeApp();
  api = client(app);
  db = app.db;
});

/** The agent's links as is_primary flags, straight from the database. */
const primaries = (agent: string) =>
  (db.prepare('SELECT id FROM agent_whatsapp_configs WHERE agent_id = ? AND is_primary = 1').all(agent) as { id: string }[]).map((r) => r.id);

describe('list and get', () => {
  it('lists every link of the agent, newest first, with the embedded config', async () => {
    const res = await api.get(links(ids.supportAgent));
    expect(res.status).toBe(200);
    expect(res.body.data.map((l: any) => l.id)).toEqual([ids.supportSalesLink, ids.supportPrimaryLink]);
    expect(res.body.data[1]).toEqual({
      id: ids.supportPrimaryLink,
      is_primary: true,
      created_at: '2026-01-15T10:00:00.000Z',
      updated_at: '2026-01-15T10:00:00.000Z',
      whatsapp_config: seededConfigs.acmeSupport,
    });
    expect(res.raw).not.toContain('access_token');
    expect(res.raw).not.toContain('EAAG');
  });

  it('gets one link', async () => {
    const res = await api.get(link(ids.supportAgent, ids.supportSalesLink));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: ids.supportSalesLink, is_primary: false, whatsapp_config: { id: ids.acmeSales } });
  });

  it.each([
    ['an unknown agent', MISSING_ID, ids.supportPrimaryLink, 'Agent not found'],
    ['a non-UUID agent id', 'not-a-uuid', ids.supportPrimaryLink, 'Agent not found'],
    ['an unknown link', ids.supportAgent, MISSING_ID, 'Agent WhatsApp configuration not found'],
    ['a link of another agent', ids.supportAgent, ids.orderLink, 'Agent WhatsApp configuration not found'],
    ['a non-UUID link id', ids.supportAgent, "1' OR '1'='1", 'Agent WhatsApp configuration not found'],
  ])('answers 404 for %s', async (_case, agent, id, error) => {
    const res = await api.get(link(agent, encodeURIComponent(id)));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error });
  });
});

describe('PUT /agents/{agent_id}/agent_whatsapp_configs/{id} (the seed operation)', () => {
  it('makes a link primary and demotes the previous primary in the same change', async () => {
    const res = await api.put(link(ids.supportAgent, ids.supportSalesLink), { agent_whatsapp_config: { is_primary: true } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: ids.supportSalesLink, is_primary: true });
    expect(res.body.data.updated_at).not.toBe('2026-01-16T08:00:00.000Z');

    const list = await api.get(links(ids.supportAgent));
    const byId = Object.fromEntries(list.body.data.map((l: any) => [l.id, l]));
    expect(byId[ids.supportSalesLink].is_primary).toBe(true);
    expect(byId[ids.supportPrimaryLink].is_primary).toBe(false);
    // The demoted link changed, so its updated_at moved too.
    expect(byId[ids.supportPrimaryLink].updated_at).toBe(res.body.data.updated_at);
    expect(primaries(ids.supportAgent)).toEqual([ids.supportSalesLink]);
  });

  it('leaves other agents alone', async () => {
    await api.put(link(ids.supportAgent, ids.supportSalesLink), { agent_whatsapp_config: { is_primary: true } });
    expect(primaries(ids.orderAgent)).toEqual([ids.orderLink]);
  });

  it('is_primary: false on the primary link leaves the agent without a primary', async () => {
    const res = await api.put(link(ids.supportAgent, ids.supportPrimaryLink), { agent_whatsapp_config: { is_primary: false } });
    expect(res.status).toBe(200);
    expect(res.body.data.is_primary).toBe(false);
    expect(primaries(ids.supportAgent)).toEqual([]);
  });

  it('setting the value it already has changes nothing, updated_at included', async () => {
    const before = (await api.get(link(ids.supportAgent, ids.supportPrimaryLink))).body.data;
    const res = await api.put(link(ids.supportAgent, ids.supportPrimaryLink), { agent_whatsapp_config: { is_primary: true } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(before);
  });

  it('an empty wrapper changes nothing and answers 200', async () => {
    const before = (await api.get(link(ids.supportAgent, ids.supportSalesLink))).body.data;
    const res = await api.put(link(ids.supportAgent, ids.supportSalesLink), { agent_whatsapp_config: {} });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(before);
  });

  it('ignores unknown fields inside the wrapper', async () => {
    const res = await api.put(link(ids.supportAgent, ids.supportSalesLink), {
      agent_whatsapp_config: { is_primary: true, whatsapp_config_id: ids.globexOrders, id: MISSING_ID, hacker: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: ids.supportSalesLink, is_primary: true, whatsapp_config: { id: ids.acmeSales } });
  });

  it('PATCH is accepted as well (Rails routes both to update)', async () => {
    const res = await api.patch(link(ids.supportAgent, ids.supportSalesLink), { agent_whatsapp_config: { is_primary: true } });
    expect(res.status).toBe(200);
    expect(primaries(ids.supportAgent)).toEqual([ids.supportSalesLink]);
  });

  it.each([
    ['"true" as a string', { agent_whatsapp_config: { is_primary: 'true' } }, 422, { error: 'Validation failed', message: 'is_primary must be a boolean' }],
    ['1 as a number', { agent_whatsapp_config: { is_primary: 1 } }, 422, { error: 'Validation failed', message: 'is_primary must be a boolean' }],
    ['null', { agent_whatsapp_config: { is_primary: null } }, 422, { error: 'Validation failed', message: 'is_primary must be a boolean' }],
    ['no wrapper', { is_primary: true }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: agent_whatsapp_config' }],
    ['a wrapper that is not an object', { agent_whatsapp_config: true }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: agent_whatsapp_config' }],
    ['a body that is an array', [{ agent_whatsapp_config: { is_primary: true } }], 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['a body that is not JSON', '{"agent_whatsapp_config": {', 400, { error: 'Invalid parameters', message: 'Body is not valid JSON' }],
  ])('rejects %s', async (_case, body, status, error) => {
    const res = await api.put(link(ids.supportAgent, ids.supportSalesLink), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(primaries(ids.supportAgent)).toEqual([ids.supportPrimaryLink]);
  });

  it('answers 404 for a link under another agent and changes nothing', async () => {
    const res = await api.put(link(ids.supportAgent, ids.orderLink), { agent_whatsapp_config: { is_primary: false } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent WhatsApp configuration not found' });
    expect(primaries(ids.orderAgent)).toEqual([ids.orderLink]);
  });

  it("answers 404 with another project's key and changes nothing", async () => {
    const res = await api.put(link(ids.supportAgent, ids.supportSalesLink), { agent_whatsapp_config: { is_primary: true } }, { key: OTHER_KEY });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
    expect(primaries(ids.supportAgent)).toEqual([ids.supportPrimaryLink]);
  });
});

describe('create', () => {
  it('links a config, non-primary by default, and the list shows it', async () => {
    const res = await api.post(links(ids.supportAgent), { agent_whatsapp_config: { whatsapp_config_id: ids.globexOrders } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ is_primary: false, whatsapp_config: { id: ids.globexOrders, customer_id: ids.globex } });
    expect(res.body.data.created_at).toBe(res.body.data.updated_at);
    const list = await api.get(links(ids.supportAgent));
    expect(list.body.data[0].id).toBe(res.body.data.id);
    expect(list.body.data).toHaveLength(3);
    expect(primaries(ids.supportAgent)).toEqual([ids.supportPrimaryLink]);
  });

  it('is_primary: true on create demotes the current primary', async () => {
    const res = await api.post(links(ids.supportAgent), { agent_whatsapp_config: { whatsapp_config_id: ids.initechDispatch, is_primary: true } });
    expect(res.status).toBe(201);
    expect(res.body.data.is_primary).toBe(true);
    expect(primaries(ids.supportAgent)).toEqual([res.body.data.id]);
    const old = await api.get(link(ids.supportAgent, ids.supportPrimaryLink));
    expect(old.body.data.is_primary).toBe(false);
  });

  it('a config linked to one agent can be linked to another one too', async () => {
    const res = await api.post(links(ids.orderAgent), { agent_whatsapp_config: { whatsapp_config_id: ids.acmeSupport, is_primary: true } });
    expect(res.status).toBe(201);
    expect(primaries(ids.supportAgent)).toEqual([ids.supportPrimaryLink]);
    expect(primaries(ids.orderAgent)).toEqual([res.body.data.id]);
  });

  it.each([
    ['a config already linked to the agent', { whatsapp_config_id: ids.acmeSales }, { error: 'Whatsapp config has already been taken' }],
    ['a config that does not exist', { whatsapp_config_id: MISSING_ID }, { error: 'Whatsapp config must exist' }],
    ["another project's config", { whatsapp_config_id: ids.umbrellaConfig }, { error: 'Whatsapp config must exist' }],
    ['a config id that is not a UUID', { whatsapp_config_id: 'config-123abc' }, { error: 'Whatsapp config must exist' }],
    ['no config id', { is_primary: true }, { error: 'Validation failed', message: "whatsapp_config_id can't be blank" }],
    ['a config id of the wrong type', { whatsapp_config_id: 42 }, { error: 'Validation failed', message: 'whatsapp_config_id must be a string' }],
    ['is_primary as a string', { whatsapp_config_id: ids.initechDispatch, is_primary: 'yes' }, { error: 'Validation failed', message: 'is_primary must be a boolean' }],
  ])('rejects %s with 422', async (_case, wrapper, error) => {
    const before = (await api.get(links(ids.supportAgent))).body.data;
    const res = await api.post(links(ids.supportAgent), { agent_whatsapp_config: wrapper });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(error);
    expect((await api.get(links(ids.supportAgent))).body.data).toEqual(before);
  });

  it('a duplicate with is_primary: true changes nothing (the whole write rolls back)', async () => {
    const res = await api.post(links(ids.supportAgent), { agent_whatsapp_config: { whatsapp_config_id: ids.acmeSales, is_primary: true } });
    expect(res.status).toBe(422);
    expect(primaries(ids.supportAgent)).toEqual([ids.supportPrimaryLink]);
  });

  it('answers 404 for an unknown agent, before looking at the body', async () => {
    const res = await api.post(links(MISSING_ID), { agent_whatsapp_config: { whatsapp_config_id: ids.acmeSales } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
  });
});

describe('delete and cascades', () => {
  it('deletes a link: 204, then 404, and the list no longer has it', async () => {
    const res = await api.delete(link(ids.supportAgent, ids.supportSalesLink));
    expect(res.status).toBe(204);
    expect(res.raw).toBe('');
    expect((await api.get(link(ids.supportAgent, ids.supportSalesLink))).status).toBe(404);
    expect((await api.delete(link(ids.supportAgent, ids.supportSalesLink))).status).toBe(404);
    expect((await api.get(links(ids.supportAgent))).body.data.map((l: any) => l.id)).toEqual([ids.supportPrimaryLink]);
  });

  it('deleting the primary link promotes nothing', async () => {
    expect((await api.delete(link(ids.supportAgent, ids.supportPrimaryLink))).status).toBe(204);
    expect(primaries(ids.supportAgent)).toEqual([]);
    expect((await api.get(link(ids.supportAgent, ids.supportSalesLink))).body.data.is_primary).toBe(false);
  });

  it('deleting a link of another agent is 404 and keeps it', async () => {
    expect((await api.delete(link(ids.supportAgent, ids.orderLink))).status).toBe(404);
    expect((await api.get(link(ids.orderAgent, ids.orderLink))).status).toBe(200);
  });

  it('deleting a WhatsApp config deletes its links; the agent stays', async () => {
    expect((await api.delete(`/api/v1/whatsapp_configs/${ids.acmeSupport}`)).status).toBe(204);
    expect((await api.get(link(ids.supportAgent, ids.supportPrimaryLink))).status).toBe(404);
    expect((await api.get(links(ids.supportAgent))).body.data.map((l: any) => l.id)).toEqual([ids.supportSalesLink]);
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}`)).status).toBe(200);
  });

  it('deleting a customer deletes its configs and their links; the agents stay', async () => {
    expect((await api.delete(`/api/v1/customers/${ids.acme}`)).status).toBe(204);
    expect((await api.get(`/api/v1/whatsapp_configs/${ids.acmeSales}`)).status).toBe(404);
    expect((await api.get(links(ids.supportAgent))).body.data).toEqual([]);
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}`)).status).toBe(200);
    expect((await api.get(links(ids.orderAgent))).body.data).toHaveLength(1);
  });
});

describe('the database enforces the rule too', () => {
  it('rejects a second primary link for an agent even when written directly', () => {
    expect(() => db.prepare('UPDATE agent_whatsapp_configs SET is_primary = 1 WHERE id = ?').run(ids.supportSalesLink)).toThrow(/UNIQUE/);
  });

  it('rejects a link between an agent and a config of another project (the keys include the project)', () => {
    const insert = db.prepare(
      "INSERT INTO agent_whatsapp_configs (project_id, id, agent_id, whatsapp_config_id, is_primary, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 'x', 'x')",
    );
    expect(() => insert.run(ids.demoProject, MISSING_ID, ids.supportAgent, ids.umbrellaConfig)).toThrow(/FOREIGN KEY/);
    expect(() => insert.run(ids.otherProject, MISSING_ID, ids.supportAgent, ids.umbrellaConfig)).toThrow(/FOREIGN KEY/);
  });
});
