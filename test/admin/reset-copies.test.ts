// Reset writes a fixture project back from copies of its rows (src/admin/state/fixture-copies.ts),
// writing only what differs. Whatever a test did before, and whatever the clock says, the rows must
// be those the families' repositories write: a new app started at that moment is the reference,
// compared table by table, rows in the order they were written (a list breaks ties by it), and the
// list counters.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/clock.js';
import { client, ids, makeApp, OTHER_KEY, type Client } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';

const T0 = '2026-06-01T12:00:00.000Z';
const LATER = '2026-06-04T09:30:15.123Z';
const DEMO = ids.demoProject;

/** A project's rows, table by table, in the order they were written (rowid), and its list counters. */
function rowsOf(app: FastifyInstance, projectId: string) {
  const tables = app.db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'mock_%' ORDER BY name").pluck().all();
  const rows = Object.fromEntries(tables.map((t) => [t, app.db.prepare(`SELECT * FROM "${t}" WHERE ${t === 'projects' ? 'id' : 'project_id'} = ? ORDER BY rowid`).all(projectId)]));
  const counters = app.db.prepare("SELECT list, scope, n FROM mock_counts WHERE n > 0 AND scope LIKE ? || '%' ORDER BY list, scope").all(projectId);
  return { rows, counters };
}

/** What a new app started at `at` holds for the project: the repositories' own writing. */
async function reference(at: string, projectId: string) {
  const clock = createClock();
  clock.freeze(Date.parse(at));
  const fresh = await makeApp({}, { clock });
  const rows = rowsOf(fresh, projectId);
  await fresh.close();
  return rows;
}

async function frozenApp() {
  const clock = createClock();
  clock.freeze(Date.parse(T0));
  const app = await makeApp({}, { clock });
  return { app, clock, api: client(app), admin: client(app, null) };
}

const expectOk = async (res: Promise<{ status: number }>, status: number) => expect((await res).status).toBe(status);

/** What a test may have done to the Demo Project before the reset. */
const changes: [string, (api: Client, admin: Client) => Promise<void>][] = [
  ['nothing', async () => {}],
  ['a customer created', async (api) => {
    await expectOk(api.post('/api/v1/customers', { customer: { name: 'Wayne Enterprises', external_customer_id: 'WAYNE-1' } }), 201);
  }],
  ['an agent renamed and a message sent (its conversation moves)', async (api) => {
    await expectOk(api.patch(`/api/v1/agents/${ids.orderAgent}`, { agent: { name: 'Renamed Agent' } }), 200);
    await expectOk(api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Hello again' } }), 201);
  }],
  ['the primary link moved to the other link (two rows swap a unique value)', async (api) => {
    await expectOk(api.put(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`, { agent_whatsapp_config: { is_primary: true } }), 200);
  }],
  ['a configuration deleted (its conversations, messages and links go with it)', async (api) => {
    await expectOk(api.delete(`/api/v1/whatsapp_configs/${ids.globexOrders}`), 204);
  }],
  ['a customer deleted, records created under the other customers', async (api) => {
    await expectOk(api.delete(`/api/v1/customers/${ids.initech}`), 204);
    const created = await api.post(`/api/v1/customers/${ids.acme}/whatsapp_configs`, {
      whatsapp_config: { name: 'Later line', phone_number_id: '555000111', business_account_id: '555000222', webhook_verify_token: 'later' },
    });
    expect(created.status).toBe(201);
  }],
  ['the project deleted', async (_api, admin) => {
    await expectOk(admin.delete(`/__admin/projects/${DEMO}`), 204);
  }],
];

describe('reset of a fixture project writes what the repositories write', () => {
  it.each(changes)('after %s, at another time', async (_case, change) => {
    const { app, clock, api, admin } = await frozenApp();
    // A project's copy is made at its second reset: here at T0, used at LATER.
    for (let i = 0; i < 2; i++) await expectOk(admin.post(`/__admin/reset?project_id=${DEMO}`), 200);
    await change(api, admin);
    const other = rowsOf(app, ids.otherProject);
    clock.freeze(Date.parse(LATER));
    await expectOk(admin.post(`/__admin/reset?project_id=${DEMO}`), 200);
    expect(rowsOf(app, DEMO)).toEqual(await reference(LATER, DEMO));
    expect(rowsOf(app, ids.otherProject)).toEqual(other);
  });

  it.each(changes)('after %s, twice in a row at the same time', async (_case, change) => {
    const { app, api, admin } = await frozenApp();
    await change(api, admin);
    await expectOk(admin.post(`/__admin/reset?project_id=${DEMO}`), 200);
    await change(api, admin);
    await expectOk(admin.post(`/__admin/reset?project_id=${DEMO}`), 200);
    expect(rowsOf(app, DEMO)).toEqual(await reference(T0, DEMO));
  });

  it('a reset of everything, after changes in both projects, at several times', async () => {
    const { app, clock, api, admin } = await frozenApp();
    for (const at of ['2020-02-29T23:59:59.999Z', '2026-01-20T12:00:00.000Z', LATER, '2031-12-31T23:00:00.000Z']) {
      await expectOk(api.post('/api/v1/customers', { customer: { name: 'Dirt', external_customer_id: `DIRT-${at}` } }), 201);
      await expectOk(api.delete(`/api/v1/customers/${ids.umbrella}`, { key: OTHER_KEY }), 204);
      clock.freeze(Date.parse(at));
      await expectOk(admin.post('/__admin/reset'), 200);
      for (const project of [DEMO, ids.otherProject]) expect(rowsOf(app, project)).toEqual(await reference(at, project));
    }
  });

  it('loaded fixtures: their records placed before the load time move with the reset time', async () => {
    const { app, clock, admin } = await frozenApp();
    const doc = {
      projects: [{
        id: '33333333-3333-4333-8333-333333333333', name: 'Timed', api_key: 'timed-key',
        customers: [{ id: 'c3000000-0000-4000-8000-000000000001', name: 'Timed Customer', external_customer_id: 'T-1' }],
        whatsapp_contacts: [{ id: 'a3000000-0000-4000-8000-000000000002', wa_id: '15550009999', profile_name: 'Timed Contact' }],
      }],
    };
    await expectOk(admin.post('/__admin/fixtures', doc), 200);
    await expectOk(admin.post(`/__admin/reset?project_id=${doc.projects[0]!.id}`), 200);
    clock.freeze(Date.parse(LATER));
    await expectOk(admin.post(`/__admin/reset?project_id=${doc.projects[0]!.id}`), 200);

    const fresh = await frozenApp();
    fresh.clock.freeze(Date.parse(LATER));
    await expectOk(fresh.admin.post('/__admin/fixtures', doc), 200);
    expect(rowsOf(app, doc.projects[0]!.id)).toEqual(rowsOf(fresh.app, doc.projects[0]!.id));
    expect(rowsOf(app, doc.projects[0]!.id).rows.customers).toEqual([expect.objectContaining({ created_at: LATER, updated_at: LATER })]);
  });
});
