// /__admin reset, snapshots and fixtures: the whole state goes back exactly where a test
// wants it. State is compared as a full dump of every data table (app.state.dump()).
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from '../helpers/app.js';

const LOADED_AT = '2026-06-01T12:00:00.000Z';

const NEW_PROJECT = '33333333-3333-4333-8333-333333333333';
const NEW_CUSTOMER = 'c3000000-0000-4000-8000-000000000001';
const NEW_CONFIG = 'b3000000-0000-4000-8000-000000000001';
const NEW_AGENT = 'a3000000-0000-4000-8000-000000000001';
const NEW_LINK = 'd3000000-0000-4000-8000-000000000001';
const T0 = '2026-03-01T10:00:00.000Z';

/** A complete fixtures document with one project (timestamps given, so reloads are identical). */
const newProjectDoc = (overrides: Record<string, unknown> = {}) => ({
  projects: [
    {
      id: NEW_PROJECT,
      name: 'My Project',
      api_key: 'my-project-key',
      created_at: T0,
      updated_at: T0,
      customers: [
        {
          id: NEW_CUSTOMER,
          name: 'My Customer',
          external_customer_id: 'MY-1',
          created_at: T0,
          updated_at: T0,
          whatsapp_configs: [
            {
              id: NEW_CONFIG,
              name: 'Main line',
              phone_number_id: '100000000000001',
              business_account_id: '200000000000001',
              webhook_verify_token: 'verify-me',
              access_token: 'write-only',
              created_at: T0,
              updated_at: T0,
            },
          ],
        },
      ],
      agents: [
        {
          id: NEW_AGENT,
          name: 'My Agent',
          description: 'What it does',
          created_at: T0,
          updated_at: T0,
          whatsapp_configs: [{ id: NEW_LINK, whatsapp_config_id: NEW_CONFIG, is_primary: true, created_at: T0, updated_at: T0 }],
        },
      ],
      ...overrides,
    },
  ],
});

/**
 * An app whose clock stands still: fixtures may place records relative to the moment they load
 * (an active setup link, a pending sandbox session), so only a frozen clock makes a reload
 * identical to the first load.
 */
async function setup(overrides: Parameters<typeof makeApp>[0] = {}) {
  const { app } = await makeFrozenApp(LOADED_AT, overrides);
  return { app, api: client(app), admin: client(app, null) };
}

/** Every row of one project, table by table (the projects table holds the project itself). */
const projectRows = (app: FastifyInstance, projectId: string) => app.state.dump({ projectId });

/** Several writes in several tables of both fixture projects, each checked. */
async function mutateEverything(api: Client) {
  const created = await api.post('/api/v1/customers', { customer: { name: 'Wayne Enterprises', external_customer_id: 'WAYNE-1' } });
  expect(created.status).toBe(201);
  const linkChange = await api.put(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`, {
    agent_whatsapp_config: { is_primary: true },
  });
  expect(linkChange.status).toBe(200);
  const deleted = await api.delete(`/api/v1/whatsapp_configs/${ids.globexOrders}`);
  expect(deleted.status).toBe(204);
  const renamed = await api.patch(`/api/v1/agents/${ids.orderAgent}`, { agent: { name: 'Renamed Agent' } });
  expect(renamed.status).toBe(200);
  const otherDeleted = await api.delete(`/api/v1/customers/${ids.umbrella}`, { key: OTHER_KEY });
  expect(otherDeleted.status).toBe(204);
  return created.body.data.id as string;
}

describe('POST /__admin/reset', () => {
  it('puts every table back exactly as the fixtures left it (create, link change, delete: all undone)', async () => {
    const { app, api, admin } = await setup();
    const before = app.state.dump();
    const newId = await mutateEverything(api);
    expect(app.state.dump()).not.toEqual(before);

    const res = await admin.post('/__admin/reset');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { scope: 'all', took_ms: expect.any(Number) } });
    console.log(`reset (all, default fixtures) took_ms=${res.body.data.took_ms}`);

    expect(app.state.dump()).toEqual(before);
    // And through the API: the created customer is gone, the deleted config and customer are back.
    expect((await api.get(`/api/v1/customers/${newId}`)).status).toBe(404);
    expect((await api.get(`/api/v1/whatsapp_configs/${ids.globexOrders}`)).status).toBe(200);
    expect((await api.get(`/api/v1/customers/${ids.umbrella}`, { key: OTHER_KEY })).status).toBe(200);
    const links = await api.get(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs`);
    expect(links.body.data.map((l: any) => [l.id, l.is_primary])).toEqual([[ids.supportSalesLink, false], [ids.supportPrimaryLink, true]]);
    const customers = await api.get('/api/v1/customers');
    expect(customers.body.meta.total_count).toBe(3);
  });

  it('removes sandbox projects; their keys stop working', async () => {
    const { app, api, admin } = await setup();
    const before = app.state.dump();
    const sandbox = await admin.post('/__admin/projects', { seed: true });
    expect(sandbox.status).toBe(201);
    expect((await api.get('/api/v1/agents', { key: sandbox.body.data.api_key })).status).toBe(200);

    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect(app.state.dump()).toEqual(before);
    const res = await api.get('/api/v1/agents', { key: sandbox.body.data.api_key });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid or missing API key' });
    const projects = await admin.get('/__admin/projects');
    expect(projects.body.data.map((p: any) => p.id)).toEqual([ids.otherProject, ids.demoProject]);
  });

  it('brings back a fixture project that was deleted', async () => {
    const { app, api, admin } = await setup();
    const before = app.state.dump();
    expect((await admin.delete(`/__admin/projects/${ids.demoProject}`)).status).toBe(204);
    expect((await api.get('/api/v1/agents')).status).toBe(401);

    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect(app.state.dump()).toEqual(before);
    expect((await api.get('/api/v1/agents')).status).toBe(200);
  });

  it('keeps a KAPSO_MOCK_API_KEY override for the Demo Project', async () => {
    const { api, admin } = await setup({ apiKey: 'my-own-demo-key' });
    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect((await api.get('/api/v1/agents', { key: 'my-own-demo-key' })).status).toBe(200);
    expect((await api.get('/api/v1/agents', { key: DEMO_KEY })).status).toBe(401);
  });

  it('?project_id= resets that project only and leaves the other project alone', async () => {
    const { app, api, admin } = await setup();
    const demoBefore = projectRows(app, ids.demoProject);
    await mutateEverything(api);
    const otherCreated = await api.post('/api/v1/customers', { customer: { name: 'Stark', external_customer_id: 'STARK-1' } }, { key: OTHER_KEY });
    expect(otherCreated.status).toBe(201);
    const otherAfterMutation = projectRows(app, ids.otherProject);

    const res = await admin.post(`/__admin/reset?project_id=${ids.demoProject}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { scope: 'project', project_id: ids.demoProject, took_ms: expect.any(Number) } });
    console.log(`reset (Demo Project) took_ms=${res.body.data.took_ms}`);

    expect(projectRows(app, ids.demoProject)).toEqual(demoBefore);
    expect(projectRows(app, ids.otherProject)).toEqual(otherAfterMutation);
    const other = await api.get('/api/v1/customers', { key: OTHER_KEY });
    expect(other.body.data.map((c: any) => c.name)).toEqual(['Stark']);
  });

  it.each([
    ['an unknown UUID', MISSING_ID],
    ['a value that is not a UUID', 'not-a-project'],
  ])('?project_id= with %s is 404 and changes nothing', async (_case, projectId) => {
    const { app, api, admin } = await setup();
    await api.post('/api/v1/customers', { customer: { name: 'Kept', external_customer_id: 'KEPT-1' } });
    const before = app.state.dump();
    const res = await admin.post(`/__admin/reset?project_id=${projectId}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Project not found' });
    expect(app.state.dump()).toEqual(before);
  });
});

describe('snapshots', () => {
  it('POST /__admin/snapshots saves the state: 201 with its name and time', async () => {
    const { admin } = await setup();
    expect((await admin.post('/__admin/clock', { now: T0 })).status).toBe(200);
    const res = await admin.post('/__admin/snapshots', { name: 'clean' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ data: { name: 'clean', created_at: T0 } });
    const list = await admin.get('/__admin/snapshots');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [{ name: 'clean', created_at: T0 }] });
  });

  it.each(['a', 'x'.repeat(100), 'v1.2_final-OK', '2026-03-01'])('accepts the name %j', async (name) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/snapshots', { name });
    expect(res.status).toBe(201);
    expect(res.body.data.name).toBe(name);
  });

  it.each([
    ['an empty name', ''],
    ['a space', 'my snapshot'],
    ['a slash', 'a/b'],
    ['101 characters', 'x'.repeat(101)],
    ['non-ASCII letters', 'café'],
  ])('refuses %s: 422 naming the rule', async (_case, name) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/snapshots', { name });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'name must be 1 to 100 letters, digits, dots, dashes or underscores' });
    expect((await admin.get('/__admin/snapshots')).body).toEqual({ data: [] });
  });

  it.each([
    ['no name', {}, "name can't be blank"],
    ['a number', { name: 42 }, 'name must be a string'],
  ])('refuses %s: 422', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/snapshots', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it('lists snapshots newest first', async () => {
    const { admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    for (const name of ['first', 'second', 'third']) {
      expect((await admin.post('/__admin/snapshots', { name })).status).toBe(201);
      await admin.post('/__admin/clock', { advance_ms: 1000 });
    }
    const res = await admin.get('/__admin/snapshots');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        { name: 'third', created_at: '2026-03-01T10:00:02.000Z' },
        { name: 'second', created_at: '2026-03-01T10:00:01.000Z' },
        { name: 'first', created_at: T0 },
      ],
    });
  });

  it('restore brings back exactly the saved state after writes in every table and both projects', async () => {
    const { app, api, admin } = await setup();
    // Start from a state that is not the fixtures, so restore is not just a reset.
    const agent = await api.post('/api/v1/agents', { agent: { name: 'Before Snapshot Agent' } });
    expect(agent.status).toBe(201);
    const saved = app.state.dump();
    const snap = await admin.post('/__admin/snapshots', { name: 'before' });
    expect(snap.status).toBe(201);

    await mutateEverything(api);
    const customer = await api.post('/api/v1/customers', { customer: { name: 'Later', external_customer_id: 'LATER-1' } });
    const config = await api.post(`/api/v1/customers/${customer.body.data.id}/whatsapp_configs`, {
      whatsapp_config: { name: 'Later line', phone_number_id: '555000111', business_account_id: '555000222', webhook_verify_token: 'later' },
    });
    expect(config.status).toBe(201);
    const link = await api.post(`/api/v1/agents/${agent.body.data.id}/agent_whatsapp_configs`, {
      agent_whatsapp_config: { whatsapp_config_id: config.body.data.id, is_primary: true },
    });
    expect(link.status).toBe(201);
    const sandbox = await admin.post('/__admin/projects', { seed: true });
    expect(sandbox.status).toBe(201);
    expect(app.state.dump()).not.toEqual(saved);

    const res = await admin.post('/__admin/snapshots/before/restore');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: snap.body.data });
    expect(app.state.dump()).toEqual(saved);
    expect((await api.get('/api/v1/agents', { key: sandbox.body.data.api_key })).status).toBe(401);
    expect((await api.get(`/api/v1/agents/${agent.body.data.id}`)).body.data.name).toBe('Before Snapshot Agent');
  });

  it('a snapshot holds sandbox projects with their keys, and survives a reset', async () => {
    const { app, api, admin } = await setup();
    const sandbox = await admin.post('/__admin/projects', { seed: true, api_key: 'sandbox-key-0001' });
    expect(sandbox.status).toBe(201);
    await api.post('/api/v1/customers', { customer: { name: 'In Sandbox', external_customer_id: 'SB-1' } }, { key: 'sandbox-key-0001' });
    const saved = app.state.dump();
    expect((await admin.post('/__admin/snapshots', { name: 'with-sandbox' })).status).toBe(201);

    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect((await api.get('/api/v1/customers', { key: 'sandbox-key-0001' })).status).toBe(401);
    expect((await admin.get('/__admin/snapshots')).body.data.map((s: any) => s.name)).toEqual(['with-sandbox']);

    expect((await admin.post('/__admin/snapshots/with-sandbox/restore')).status).toBe(200);
    expect(app.state.dump()).toEqual(saved);
    const res = await api.get('/api/v1/customers', { key: 'sandbox-key-0001' });
    expect(res.status).toBe(200);
    expect(res.body.meta.total_count).toBe(4);
  });

  it('the same name replaces the earlier snapshot', async () => {
    const { app, api, admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    expect((await admin.post('/__admin/snapshots', { name: 'point' })).status).toBe(201);
    await api.post('/api/v1/customers', { customer: { name: 'Second Take', external_customer_id: 'TAKE-2' } });
    const second = app.state.dump();
    await admin.post('/__admin/clock', { advance_ms: 5000 });
    const again = await admin.post('/__admin/snapshots', { name: 'point' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ data: { name: 'point', created_at: '2026-03-01T10:00:05.000Z' } });
    expect((await admin.get('/__admin/snapshots')).body).toEqual({ data: [{ name: 'point', created_at: '2026-03-01T10:00:05.000Z' }] });

    await admin.post('/__admin/reset');
    expect((await admin.post('/__admin/snapshots/point/restore')).status).toBe(200);
    expect(app.state.dump()).toEqual(second);
  });

  it('restore of an unknown snapshot is 404 and changes nothing', async () => {
    const { app, api, admin } = await setup();
    await api.post('/api/v1/customers', { customer: { name: 'Kept', external_customer_id: 'KEPT-1' } });
    const before = app.state.dump();
    const res = await admin.post('/__admin/snapshots/nope/restore');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Snapshot not found' });
    expect(app.state.dump()).toEqual(before);
  });

  it('DELETE removes a snapshot: 204, then 404 for delete and restore', async () => {
    const { admin } = await setup();
    await admin.post('/__admin/snapshots', { name: 'gone' });
    await admin.post('/__admin/snapshots', { name: 'kept' });
    const res = await admin.delete('/__admin/snapshots/gone');
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await admin.get('/__admin/snapshots')).body.data.map((s: any) => s.name)).toEqual(['kept']);

    const again = await admin.delete('/__admin/snapshots/gone');
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: 'Snapshot not found' });
    const restore = await admin.post('/__admin/snapshots/gone/restore');
    expect(restore.status).toBe(404);
    expect(restore.body).toEqual({ error: 'Snapshot not found' });
  });

  it('snapshots are not part of the state: reset and restore leave the list alone', async () => {
    const { admin } = await setup();
    await admin.post('/__admin/snapshots', { name: 'one' });
    await admin.post('/__admin/reset');
    await admin.post('/__admin/snapshots', { name: 'two' });
    expect((await admin.post('/__admin/snapshots/one/restore')).status).toBe(200);
    expect((await admin.get('/__admin/snapshots')).body.data.map((s: any) => s.name).sort()).toEqual(['one', 'two']);
  });
});

describe('POST /__admin/fixtures', () => {
  it('merge (the default) adds a project whose key works and keeps the existing ones', async () => {
    const { app, api, admin } = await setup();
    const demoBefore = projectRows(app, ids.demoProject);
    const otherBefore = projectRows(app, ids.otherProject);
    const res = await admin.post('/__admin/fixtures', newProjectDoc());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { mode: 'merge', project_ids: [NEW_PROJECT] } });

    const customers = await api.get('/api/v1/customers', { key: 'my-project-key' });
    expect(customers.status).toBe(200);
    expect(customers.body.data).toEqual([{ id: NEW_CUSTOMER, name: 'My Customer', external_customer_id: 'MY-1', created_at: T0, updated_at: T0 }]);
    const links = await api.get(`/api/v1/agents/${NEW_AGENT}/agent_whatsapp_configs`, { key: 'my-project-key' });
    expect(links.body.data.map((l: any) => [l.id, l.is_primary, l.whatsapp_config.id])).toEqual([[NEW_LINK, true, NEW_CONFIG]]);
    expect(links.raw).not.toContain('write-only');

    expect(projectRows(app, ids.demoProject)).toEqual(demoBefore);
    expect(projectRows(app, ids.otherProject)).toEqual(otherBefore);
    expect((await api.get('/api/v1/customers')).body.meta.total_count).toBe(3);
    const projects = await admin.get('/__admin/projects');
    expect(projects.body.data.map((p: any) => [p.id, p.origin])).toEqual([
      [NEW_PROJECT, 'fixtures'],
      [ids.otherProject, 'fixtures'],
      [ids.demoProject, 'fixtures'],
    ]);
  });

  it('merge replaces a project with the same ID: its old records and old key are gone', async () => {
    const { app, api, admin } = await setup();
    const demoBefore = projectRows(app, ids.demoProject);
    await api.post('/api/v1/customers', { customer: { name: 'Will Vanish', external_customer_id: 'VAN-1' } }, { key: OTHER_KEY });
    const doc = newProjectDoc({ id: ids.otherProject, name: 'Other Project v2', api_key: 'other-key-v2' });
    const res = await admin.post('/__admin/fixtures?mode=merge', doc);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { mode: 'merge', project_ids: [ids.otherProject] } });

    const old = await api.get('/api/v1/customers', { key: OTHER_KEY });
    expect(old.status).toBe(401);
    expect(old.body).toEqual({ error: 'Invalid or missing API key' });
    const project = await api.get(`/api/v1/projects/${ids.otherProject}`, { key: 'other-key-v2' });
    expect(project.status).toBe(200);
    expect(project.body.data).toEqual({ id: ids.otherProject, name: 'Other Project v2', created_at: T0, updated_at: T0 });
    const customers = await api.get('/api/v1/customers', { key: 'other-key-v2' });
    expect(customers.body.data.map((c: any) => c.id)).toEqual([NEW_CUSTOMER]);
    expect((await api.get(`/api/v1/agents/${ids.otherAgent}`, { key: 'other-key-v2' })).status).toBe(404);
    expect(projectRows(app, ids.demoProject)).toEqual(demoBefore);
  });

  it('replace makes the document the whole state: old projects and sandboxes gone, old keys 401', async () => {
    const { app, api, admin } = await setup();
    const sandbox = await admin.post('/__admin/projects', { seed: true });
    const res = await admin.post('/__admin/fixtures?mode=replace', newProjectDoc());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { mode: 'replace', project_ids: [NEW_PROJECT] } });

    for (const key of [DEMO_KEY, OTHER_KEY, sandbox.body.data.api_key]) {
      const old = await api.get('/api/v1/agents', { key });
      expect(old.status).toBe(401);
      expect(old.body).toEqual({ error: 'Invalid or missing API key' });
    }
    expect((await api.get('/api/v1/agents', { key: 'my-project-key' })).body.data.map((a: any) => a.id)).toEqual([NEW_AGENT]);
    const projects = await admin.get('/__admin/projects');
    expect(projects.body.data.map((p: any) => p.id)).toEqual([NEW_PROJECT]);
    const dump = app.state.dump();
    // Tables the document has no records for are empty (every family's table is dumped).
    expect(Object.fromEntries(Object.entries(dump).filter(([, rows]) => rows.length > 0).map(([t, rows]) => [t, rows.length]))).toEqual({
      projects: 1, customers: 1, whatsapp_configs: 1, agents: 1, agent_whatsapp_configs: 1,
    });
  });

  it('replace with no projects empties the server', async () => {
    const { app, api, admin } = await setup();
    const res = await admin.post('/__admin/fixtures?mode=replace', { projects: [] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { mode: 'replace', project_ids: [] } });
    expect(Object.values(app.state.dump()).every((rows) => rows.length === 0)).toBe(true);
    expect((await api.get('/api/v1/agents')).status).toBe(401);
    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect(Object.values(app.state.dump()).every((rows) => rows.length === 0)).toBe(true);
  });

  it('loaded fixtures become what reset restores (merge)', async () => {
    const { app, api, admin } = await setup();
    expect((await admin.post('/__admin/fixtures', newProjectDoc())).status).toBe(200);
    const loaded = app.state.dump();
    await mutateEverything(api);
    await api.delete(`/api/v1/customers/${NEW_CUSTOMER}`, { key: 'my-project-key' });

    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect(app.state.dump()).toEqual(loaded);

    await api.delete(`/api/v1/customers/${NEW_CUSTOMER}`, { key: 'my-project-key' });
    const one = await admin.post(`/__admin/reset?project_id=${NEW_PROJECT}`);
    expect(one.status).toBe(200);
    expect(app.state.dump()).toEqual(loaded);
  });

  it('loaded fixtures become what reset restores (replace)', async () => {
    const { app, api, admin } = await setup();
    expect((await admin.post('/__admin/fixtures?mode=replace', newProjectDoc())).status).toBe(200);
    const loaded = app.state.dump();
    await api.patch(`/api/v1/agents/${NEW_AGENT}`, { agent: { name: 'Changed' } }, { key: 'my-project-key' });
    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect(app.state.dump()).toEqual(loaded);
    expect((await api.get('/api/v1/agents', { key: DEMO_KEY })).status).toBe(401);
  });

  it('an invalid document is 422 naming the record, and changes nothing', async () => {
    const { app, admin } = await setup();
    const before = app.state.dump();
    const res = await admin.post('/__admin/fixtures', {
      projects: [{ id: NEW_PROJECT, name: 'P', api_key: 'k', customers: [{ id: 'nope', name: 'X', external_customer_id: 'E' }] }],
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: 'Invalid fixtures',
      message: `Invalid fixtures in the request body:\n  projects[0] "P" (${NEW_PROJECT}) > customers[0] "X" (nope) > id: must be a lowercase UUID v4`,
    });
    expect(app.state.dump()).toEqual(before);
  });

  it('an unknown key inside a record is refused (typos are errors, as in fixtures/)', async () => {
    const { app, admin } = await setup();
    const before = app.state.dump();
    const res = await admin.post('/__admin/fixtures', newProjectDoc({ custmers: [] }));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('Invalid fixtures');
    expect(res.body.message).toContain(`projects[0] "My Project" (${NEW_PROJECT})`);
    expect(res.body.message).toContain('custmers');
    expect(app.state.dump()).toEqual(before);
  });

  it('an unknown top-level key is refused too, as a fixtures/ file would be', async () => {
    const { app, admin } = await setup();
    const before = app.state.dump();
    const res = await admin.post('/__admin/fixtures', { ...newProjectDoc(), project: [] });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('Invalid fixtures');
    expect(res.body.message).toContain('project');
    expect(app.state.dump()).toEqual(before);
  });

  it('a document that is valid but cannot be inserted (a key another project has) is 422, and reset still restores the old fixtures', async () => {
    const { app, admin } = await setup();
    const before = app.state.dump();
    const res = await admin.post('/__admin/fixtures', newProjectDoc({ api_key: OTHER_KEY }));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: 'Invalid fixtures',
      message: `Cannot seed fixtures: projects[0] "My Project" (${NEW_PROJECT}): UNIQUE constraint failed: projects.api_key_hash`,
    });
    expect(app.state.dump()).toEqual(before);

    // The failed load must not have become what reset restores.
    const reset = await admin.post('/__admin/reset');
    expect(reset.status).toBe(200);
    expect(app.state.dump()).toEqual(before);
  });

  it.each([
    ['no projects key', {}, 422, { error: 'Validation failed', message: "projects can't be blank" }],
    ['projects not an array', { projects: {} }, 422, { error: 'Validation failed', message: 'projects must be an array' }],
    ['a body that is an array', [], 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
  ])('refuses %s', async (_case, body, status, error) => {
    const { app, admin } = await setup();
    const before = app.state.dump();
    const res = await admin.post('/__admin/fixtures', body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(app.state.dump()).toEqual(before);
  });

  it('refuses an unknown mode: 400', async () => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/fixtures?mode=upsert', { projects: [] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'mode must be one of: merge, replace' });
  });
});

describe('tables the state service has never heard of', () => {
  // A later family's tables (a delivery queue without project_id, a table referencing one created
  // after it) must work with reset, snapshots and sandboxes with no edit to the state service.
  async function withExtraTables() {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openDatabase } = await import('../../src/db/database.js');
    const dir = mkdtempSync(join(tmpdir(), 'kapso-state-'));
    const file = join(dir, 'state.db');
    // Seeded and migrated by a first app, then given tables of its own.
    await (await makeApp({ dbPath: file })).close();
    const { db } = openDatabase(file);
    db.exec(`
      CREATE TABLE early_child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES late_parent (id) ON DELETE CASCADE);
      CREATE TABLE late_parent (id TEXT PRIMARY KEY);
      CREATE TABLE delivery_queue (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);
      INSERT INTO late_parent VALUES ('p1');
      INSERT INTO early_child VALUES ('c1', 'p1');
      INSERT INTO delivery_queue (payload) VALUES ('{"event":"x"}');`);
    db.close();
    const app = await makeApp({ dbPath: file });
    return { app, admin: client(app, null), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }

  it('reset of one project and of everything, snapshots and restores keep working', async () => {
    const { app, admin, cleanup } = await withExtraTables();
    try {
      expect((await admin.post(`/__admin/reset?project_id=${ids.demoProject}`)).status).toBe(200);
      expect((await admin.post('/__admin/snapshots', { name: 'extra' })).status).toBe(201);
      const before = app.state.dump();
      expect(before.early_child).toEqual([{ id: 'c1', parent_id: 'p1' }]);
      app.db.prepare("INSERT INTO delivery_queue (payload) VALUES ('second')").run();
      // Restored in schema order: the child table comes first, its parent after (foreign keys are checked at the commit).
      expect((await admin.post('/__admin/snapshots/extra/restore')).status).toBe(200);
      expect(app.state.dump()).toEqual(before);
      expect((await admin.post('/__admin/reset')).status).toBe(200);
      expect(app.state.dump().delivery_queue).toEqual([]);
      expect((await admin.post('/__admin/projects', { seed: true })).status).toBe(201);
    } finally {
      await app.close();
      cleanup();
    }
  });

  it('a restore brings back rows that the restore of another table deleted (a parent created after its child)', async () => {
    const { app, admin, cleanup } = await withExtraTables();
    try {
      expect((await admin.post('/__admin/snapshots', { name: 'both' })).status).toBe(201);
      const before = app.state.dump();
      // The parent goes, and its cascade takes the child; a new parent comes.
      app.db.exec("DELETE FROM late_parent WHERE id = 'p1'; INSERT INTO late_parent VALUES ('p2')");
      expect(app.state.dump().early_child).toEqual([]);
      expect((await admin.post('/__admin/snapshots/both/restore')).status).toBe(200);
      expect(app.state.dump()).toEqual(before);
    } finally {
      await app.close();
      cleanup();
    }
  });

  it('a restore that would break a reference is refused whole', async () => {
    const { app, admin, cleanup } = await withExtraTables();
    try {
      await admin.post('/__admin/snapshots', { name: 'ok' });
      // The snapshot's copy of late_parent loses the row early_child's copy refers to.
      const seq = app.db.prepare("SELECT seq FROM mock_snapshots WHERE name = 'ok'").pluck().get() as number;
      app.db.exec(`DELETE FROM mock_snap_${seq}_late_parent`);
      const before = app.state.dump();
      const res = await admin.post('/__admin/snapshots/ok/restore');
      expect(res.status).toBe(422);
      expect(app.state.dump()).toEqual(before);
    } finally {
      await app.close();
      cleanup();
    }
  });
});
