// /__admin/projects (sandboxes: one server shared by parallel test runs, each with its own
// project and key) and auto-provisioning (an unknown key gets its own empty project).
import { describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp, MISSING_ID, OTHER_KEY, type Client } from '../helpers/app.js';

const T0 = '2026-03-01T10:00:00.000Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EMPTY_PAGE = { data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } };

async function setup(overrides: Parameters<typeof makeApp>[0] = {}) {
  const app = await makeApp(overrides);
  return { app, api: client(app), admin: client(app, null) };
}

/** What a key sees of the seeded records, through every list and get the API has. */
async function view(api: Client, key: string) {
  const customers = await api.get('/api/v1/customers', { key });
  const agents = await api.get('/api/v1/agents', { key });
  const configs = await Promise.all(
    customers.body.data.map(async (c: any) => (await api.get(`/api/v1/customers/${c.id}/whatsapp_configs`, { key })).body),
  );
  const links = await Promise.all(agents.body.data.map(async (a: any) => (await api.get(`/api/v1/agents/${a.id}/agent_whatsapp_configs`, { key })).body));
  return { customers: customers.body, agents: agents.body, configs, links };
}

/** Agents carry their project_id: compare the rest. */
const withoutProject = (v: Awaited<ReturnType<typeof view>>) => ({
  ...v,
  agents: { data: v.agents.data.map(({ project_id: _p, ...a }: any) => a) },
});

describe('POST /__admin/projects', () => {
  it('creates an empty sandbox with a new key: 201, then the key works and sees nothing', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    const res = await admin.post('/__admin/projects', {});
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        id: expect.stringMatching(UUID),
        name: 'Sandbox Project',
        origin: 'sandbox',
        seeded_from: null,
        created_at: T0,
        updated_at: T0,
        api_key: expect.stringMatching(/^kapso-sandbox-[0-9a-f]{32}$/),
      },
    });
    const { id, api_key } = res.body.data;

    const customers = await api.get('/api/v1/customers', { key: api_key });
    expect(customers.status).toBe(200);
    expect(customers.body).toEqual(EMPTY_PAGE);
    expect((await api.get('/api/v1/agents', { key: api_key })).body).toEqual({ data: [] });
    const project = await api.get(`/api/v1/projects/${id}`, { key: api_key });
    expect(project.status).toBe(200);
    expect(project.body).toEqual({ data: { id, name: 'Sandbox Project', created_at: T0, updated_at: T0 } });
    // The fixture records are not reachable from it.
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}`, { key: api_key })).status).toBe(404);
  });

  it('seed: false is the same as no seed', async () => {
    const { api, admin } = await setup();
    const res = await admin.post('/__admin/projects', { seed: false, name: 'Plain' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Plain', origin: 'sandbox', seeded_from: null });
    expect((await api.get('/api/v1/customers', { key: res.body.data.api_key })).body).toEqual(EMPTY_PAGE);
  });

  it("seed: true copies the Demo Project's records under the same record IDs", async () => {
    const { api, admin } = await setup();
    const res = await admin.post('/__admin/projects', { seed: true });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Demo Project (sandbox)', origin: 'sandbox', seeded_from: ids.demoProject });
    const key = res.body.data.api_key;

    const agent = await api.get(`/api/v1/agents/${ids.supportAgent}`, { key });
    expect(agent.status).toBe(200);
    const demoAgent = await api.get(`/api/v1/agents/${ids.supportAgent}`);
    expect(agent.body.data).toEqual({ ...demoAgent.body.data, project_id: res.body.data.id });

    expect(withoutProject(await view(api, key))).toEqual(withoutProject(await view(api, DEMO_KEY)));
    // Only the Demo Project was copied.
    expect((await api.get(`/api/v1/agents/${ids.otherAgent}`, { key })).status).toBe(404);
  });

  it('seed: <fixture project ID> copies that project', async () => {
    const { api, admin } = await setup();
    const res = await admin.post('/__admin/projects', { seed: ids.otherProject, name: 'Copy of Other' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Copy of Other', seeded_from: ids.otherProject });
    expect(withoutProject(await view(api, res.body.data.api_key))).toEqual(withoutProject(await view(api, OTHER_KEY)));
  });

  it('two sandboxes seeded alike never see each other\'s writes, nor touch the Demo Project', async () => {
    const { api, admin } = await setup();
    const a = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const b = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const demoBefore = await view(api, DEMO_KEY);
    const bBefore = await view(api, b.api_key);

    // Create, update and delete in A, also on records whose IDs B and the Demo Project share.
    const created = await api.post('/api/v1/customers', { customer: { name: 'Only In A', external_customer_id: 'A-1' } }, { key: a.api_key });
    expect(created.status).toBe(201);
    const renamed = await api.patch(`/api/v1/customers/${ids.acme}`, { customer: { name: 'Acme (A)' } }, { key: a.api_key });
    expect(renamed.status).toBe(200);
    const agent = await api.patch(`/api/v1/agents/${ids.supportAgent}`, { agent: { name: 'Agent (A)' } }, { key: a.api_key });
    expect(agent.status).toBe(200);
    const primary = await api.put(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`, {
      agent_whatsapp_config: { is_primary: true },
    }, { key: a.api_key });
    expect(primary.status).toBe(200);
    expect((await api.delete(`/api/v1/customers/${ids.globex}`, { key: a.api_key })).status).toBe(204);

    const aNow = await view(api, a.api_key);
    expect(aNow.customers.data.map((c: any) => c.name)).toEqual(['Only In A', 'Initech Logistics', 'Acme (A)']);
    expect(await view(api, b.api_key)).toEqual(bBefore);
    expect(await view(api, DEMO_KEY)).toEqual(demoBefore);
    // And B cannot reach A's new record.
    const fromB = await api.get(`/api/v1/customers/${created.body.data.id}`, { key: b.api_key });
    expect(fromB.status).toBe(404);
    expect(fromB.body).toEqual({ error: 'Customer not found' });
    expect((await api.get(`/api/v1/customers/${ids.globex}`, { key: b.api_key })).status).toBe(200);
  });

  it('accepts a custom api_key', async () => {
    const { api, admin } = await setup();
    const res = await admin.post('/__admin/projects', { api_key: 'ci-job-1234-key', name: 'CI job 1234' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ api_key: 'ci-job-1234-key', name: 'CI job 1234' });
    expect((await api.get('/api/v1/customers', { key: 'ci-job-1234-key' })).status).toBe(200);
  });

  it.each([
    ['a fixture project', DEMO_KEY],
    ['another sandbox', 'taken-sandbox-key'],
  ])('refuses an api_key that %s already has: 422', async (_case, key) => {
    const { admin } = await setup();
    await admin.post('/__admin/projects', { api_key: 'taken-sandbox-key' });
    const before = (await admin.get('/__admin/projects')).body;
    const res = await admin.post('/__admin/projects', { api_key: key });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'API key has already been taken' });
    expect((await admin.get('/__admin/projects')).body).toEqual(before);
  });

  it.each([
    ['an unknown project ID', { seed: MISSING_ID }, 'seed must be true or the ID of a fixture project'],
    ['a value that is not an ID', { seed: 'demo' }, 'seed must be true or the ID of a fixture project'],
    ['a short api_key', { api_key: 'short' }, 'api_key must be at least 8'],
    ['an empty name', { name: '' }, 'name must be at least 1'],
    ['a numeric seed', { seed: 1 }, 'seed must be a boolean or a string'],
  ])('refuses %s: 422', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/projects', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect((await admin.get('/__admin/projects')).body.data).toHaveLength(2);
  });

  it('refuses to seed from a sandbox (only fixture projects are seeds)', async () => {
    const { admin } = await setup();
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const res = await admin.post('/__admin/projects', { seed: sandbox.id });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'seed must be true or the ID of a fixture project' });
  });

  it('seed: true without fixture projects is 422', async () => {
    const { admin } = await setup({ fixturesPath: null });
    const res = await admin.post('/__admin/projects', { seed: true });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'seed: there are no fixture projects to copy' });
  });
});

describe('GET /__admin/projects', () => {
  it('lists every project, newest first, with where it came from', async () => {
    const { api, admin } = await setup({ autoProvision: true });
    await admin.post('/__admin/clock', { now: T0 });
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    await admin.post('/__admin/clock', { advance_ms: 1000 });
    expect((await api.get('/api/v1/customers', { key: 'auto-key-0001' })).status).toBe(200);

    const res = await admin.get('/__admin/projects');
    expect(res.status).toBe(200);
    const auto = res.body.data[0];
    expect(res.body).toEqual({
      data: [
        { id: auto.id, name: 'Auto-provisioned project', origin: 'auto', seeded_from: null, created_at: '2026-03-01T10:00:01.000Z', updated_at: '2026-03-01T10:00:01.000Z' },
        { id: sandbox.id, name: 'Demo Project (sandbox)', origin: 'sandbox', seeded_from: ids.demoProject, created_at: T0, updated_at: T0 },
        { id: ids.otherProject, name: 'Other Project', origin: 'fixtures', seeded_from: null, created_at: '2026-01-20T12:00:00.000Z', updated_at: '2026-01-20T12:00:00.000Z' },
        { id: ids.demoProject, name: 'Demo Project', origin: 'fixtures', seeded_from: null, created_at: '2026-01-05T09:00:00.000Z', updated_at: '2026-01-05T09:00:00.000Z' },
      ],
    });
    expect(res.raw).not.toContain('api_key');
  });
});

describe('DELETE /__admin/projects/{project_id}', () => {
  it('deletes a sandbox and everything in it: 204, then its key is 401 and a second delete 404', async () => {
    const { app, api, admin } = await setup();
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const res = await admin.delete(`/__admin/projects/${sandbox.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    const after = await api.get('/api/v1/agents', { key: sandbox.api_key });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'Invalid or missing API key' });
    const rows = Object.values(app.state.dump()).flat().filter((r) => r.project_id === sandbox.id || r.id === sandbox.id);
    expect(rows).toEqual([]);
    const again = await admin.delete(`/__admin/projects/${sandbox.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: 'Project not found' });
    // The Demo Project, whose record IDs the sandbox shared, is untouched.
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}`)).status).toBe(200);
  });

  it('is 404 for an unknown project', async () => {
    const { admin } = await setup();
    const res = await admin.delete(`/__admin/projects/${MISSING_ID}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Project not found' });
  });
});

describe('POST /__admin/reset?project_id=<sandbox>', () => {
  it('puts a seeded sandbox back to its seed, keeping its ID and key', async () => {
    const { api, admin } = await setup();
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const seeded = await view(api, sandbox.api_key);
    await api.post('/api/v1/customers', { customer: { name: 'Temp', external_customer_id: 'TMP-1' } }, { key: sandbox.api_key });
    await api.delete(`/api/v1/customers/${ids.acme}`, { key: sandbox.api_key });
    await api.patch(`/api/v1/agents/${ids.orderAgent}`, { agent: { name: 'Changed' } }, { key: sandbox.api_key });
    const demo = await view(api, DEMO_KEY);

    const res = await admin.post(`/__admin/reset?project_id=${sandbox.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { scope: 'project', project_id: sandbox.id, took_ms: expect.any(Number) } });
    expect(await view(api, sandbox.api_key)).toEqual(seeded);
    expect(await view(api, DEMO_KEY)).toEqual(demo);
    expect((await admin.get('/__admin/projects')).body.data.map((p: any) => p.id)).toContain(sandbox.id);
  });

  it('empties an unseeded sandbox', async () => {
    const { api, admin } = await setup();
    const sandbox = (await admin.post('/__admin/projects', {})).body.data;
    await api.post('/api/v1/customers', { customer: { name: 'Temp', external_customer_id: 'TMP-1' } }, { key: sandbox.api_key });
    expect((await admin.post(`/__admin/reset?project_id=${sandbox.id}`)).status).toBe(200);
    expect((await api.get('/api/v1/customers', { key: sandbox.api_key })).body).toEqual(EMPTY_PAGE);
  });
});

describe('auto-provisioning', () => {
  it('is off by default: an unknown key is 401 and creates nothing', async () => {
    const { api, admin } = await setup();
    const res = await api.get('/api/v1/customers', { key: 'never-seen-key' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid or missing API key' });
    expect((await admin.get('/__admin/projects')).body.data).toHaveLength(2);
    expect((await admin.get('/__admin/settings')).body.data.auto_provision).toBe(false);
  });

  it('with autoProvision: an unknown key gets its own empty project, reused by the next request', async () => {
    const { api, admin } = await setup({ autoProvision: true });
    const first = await api.get('/api/v1/customers', { key: 'ci-run-42-key' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual(EMPTY_PAGE);

    const created = await api.post('/api/v1/customers', { customer: { name: 'Mine', external_customer_id: 'MINE-1' } }, { key: 'ci-run-42-key' });
    expect(created.status).toBe(201);
    const list = await api.get('/api/v1/customers', { key: 'ci-run-42-key' });
    expect(list.body.data.map((c: any) => c.id)).toEqual([created.body.data.id]);

    const projects = (await admin.get('/__admin/projects')).body.data;
    const autos = projects.filter((p: any) => p.origin === 'auto');
    expect(autos).toHaveLength(1);
    expect(autos[0]).toMatchObject({ name: 'Auto-provisioned project', seeded_from: null });
    const journal = await admin.get('/__admin/requests');
    expect(journal.body.data.map((e: any) => e.project_id)).toEqual([autos[0].id, autos[0].id, autos[0].id]);
    // The fixture projects see none of it.
    expect((await api.get('/api/v1/customers')).body.meta.total_count).toBe(3);
  });

  it('two unknown keys get two projects', async () => {
    const { api, admin } = await setup({ autoProvision: true });
    await api.post('/api/v1/customers', { customer: { name: 'One', external_customer_id: 'X-1' } }, { key: 'auto-key-one' });
    const other = await api.get('/api/v1/customers', { key: 'auto-key-two' });
    expect(other.body).toEqual(EMPTY_PAGE);
    expect((await admin.get('/__admin/projects')).body.data.filter((p: any) => p.origin === 'auto')).toHaveLength(2);
  });

  it.each([
    ['an empty key', { 'x-api-key': '' }],
    ['no key', {}],
  ])('%s is still 401', async (_case, headers) => {
    const { app, admin } = await setup({ autoProvision: true });
    const res = await client(app, null).get('/api/v1/customers', { headers });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid or missing API key' });
    expect((await admin.get('/__admin/projects')).body.data).toHaveLength(2);
  });

  it('an unknown route creates no project', async () => {
    const { api, admin } = await setup({ autoProvision: true });
    const res = await api.get('/api/v1/nothing-here', { key: 'auto-key-404' });
    expect(res.status).toBe(404);
    expect((await admin.get('/__admin/projects')).body.data).toHaveLength(2);
  });

  it('can be switched on and off at runtime through PATCH /__admin/settings', async () => {
    const { api, admin } = await setup();
    expect((await api.get('/api/v1/customers', { key: 'runtime-key-1' })).status).toBe(401);

    const on = await admin.patch('/__admin/settings', { auto_provision: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ data: { rate_limit: 0, auto_provision: true, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [], webhook_delay_ms: 0, webhook_duplicate_rate: 0 } });
    const res = await api.get('/api/v1/customers', { key: 'runtime-key-1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(EMPTY_PAGE);

    const off = await admin.patch('/__admin/settings', { auto_provision: false });
    expect(off.body.data.auto_provision).toBe(false);
    expect((await api.get('/api/v1/customers', { key: 'runtime-key-2' })).status).toBe(401);
    // A project provisioned while it was on stays.
    expect((await api.get('/api/v1/customers', { key: 'runtime-key-1' })).status).toBe(200);
  });

  it('reset ?project_id= empties an auto-provisioned project; reset-all removes it', async () => {
    const { api, admin } = await setup({ autoProvision: true });
    await api.post('/api/v1/customers', { customer: { name: 'Temp', external_customer_id: 'TMP-1' } }, { key: 'auto-key-reset' });
    const auto = (await admin.get('/__admin/projects')).body.data.find((p: any) => p.origin === 'auto');
    expect((await admin.post(`/__admin/reset?project_id=${auto.id}`)).status).toBe(200);
    expect((await api.get('/api/v1/customers', { key: 'auto-key-reset' })).body).toEqual(EMPTY_PAGE);
    expect((await admin.get('/__admin/projects')).body.data.filter((p: any) => p.origin === 'auto').map((p: any) => p.id)).toEqual([auto.id]);

    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect((await admin.get('/__admin/projects')).body.data.map((p: any) => p.origin)).toEqual(['fixtures', 'fixtures']);
  });
});
