// Snapshots kept as tables (src/admin/state/snapshots.ts, migration 12): kept in a database file
// across restarts, no tables left behind when one is replaced or deleted, a refused restore changes
// nothing, list totals and the order rows were written in come back, and a snapshot made before
// migration 12 (one JSON document) still restores.
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations.js';
import { client, ids, makeApp, makeFrozenApp, OTHER_KEY } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';

const T0 = '2026-06-01T12:00:00.000Z';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dbFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kapso-snapshots-'));
  dirs.push(dir);
  return join(dir, 'state.db');
};

const dataTables = (app: FastifyInstance) =>
  app.db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'mock_%' ORDER BY name").pluck().all();
const snapshotTables = (app: FastifyInstance) =>
  app.db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'mock\\_snap\\_%' ESCAPE '\\' ORDER BY name").pluck().all();
/** Every data table's rows in the order they were written (rowid): a list breaks ties by it. */
const inWrittenOrder = (app: FastifyInstance) =>
  Object.fromEntries(dataTables(app).map((t) => [t, app.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));

async function frozen() {
  const { app, api } = await makeFrozenApp(T0);
  return { app, api, admin: client(app, null) };
}

describe('snapshots kept as tables', () => {
  it('a snapshot is kept in the database file: the next start restores it', async () => {
    const file = dbFile();
    const first = await makeApp({ dbPath: file });
    const api1 = client(first);
    expect((await api1.post('/api/v1/customers', { customer: { name: 'Before Restart', external_customer_id: 'BR-1' } })).status).toBe(201);
    const saved = first.state.dump();
    expect((await client(first, null).post('/__admin/snapshots', { name: 'kept' })).status).toBe(201);
    await first.close();

    const second = await makeApp({ dbPath: file });
    const api2 = client(second);
    expect((await api2.post('/api/v1/customers', { customer: { name: 'After Restart', external_customer_id: 'AR-1' } })).status).toBe(201);
    expect((await api2.delete(`/api/v1/whatsapp_configs/${ids.globexOrders}`)).status).toBe(204);
    const admin2 = client(second, null);
    expect((await admin2.get('/__admin/snapshots')).body.data.map((s: any) => s.name)).toEqual(['kept']);
    expect((await admin2.post('/__admin/snapshots/kept/restore')).status).toBe(200);
    expect(second.state.dump()).toEqual(saved);
    const customers = await api2.get('/api/v1/customers');
    expect(customers.body.data.map((c: any) => c.name)).toContain('Before Restart');
    expect(customers.body.data.map((c: any) => c.name)).not.toContain('After Restart');
  });

  it('a snapshot holds one table per data table; replacing it leaves no old tables, deleting it leaves none', async () => {
    const { app, api, admin } = await frozen();
    const perSnapshot = dataTables(app).length;
    expect((await admin.post('/__admin/snapshots', { name: 'a' })).status).toBe(201);
    expect(snapshotTables(app)).toHaveLength(perSnapshot);
    await api.post('/api/v1/customers', { customer: { name: 'Between', external_customer_id: 'BETWEEN-1' } });
    expect((await admin.post('/__admin/snapshots', { name: 'a' })).status).toBe(201);
    expect(snapshotTables(app)).toHaveLength(perSnapshot);
    expect((await admin.post('/__admin/snapshots', { name: 'b' })).status).toBe(201);
    expect(snapshotTables(app)).toHaveLength(2 * perSnapshot);

    expect((await admin.delete('/__admin/snapshots/a')).status).toBe(204);
    expect(snapshotTables(app)).toHaveLength(perSnapshot);
    // The replaced snapshot restores its second state.
    expect((await admin.post('/__admin/snapshots/b/restore')).status).toBe(200);
    expect((await api.get('/api/v1/customers')).body.data.map((c: any) => c.name)).toContain('Between');
    expect((await admin.delete('/__admin/snapshots/b')).status).toBe(204);
    expect(snapshotTables(app)).toEqual([]);
  });

  it('snapshot tables are not data: dump, reset and sandboxes leave them out', async () => {
    const { app, admin } = await frozen();
    expect((await admin.post('/__admin/snapshots', { name: 'x' })).status).toBe(201);
    expect(Object.keys(app.state.dump()).some((t) => t.startsWith('mock_'))).toBe(false);
    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect((await admin.post('/__admin/projects', { seed: true })).status).toBe(201);
    expect(snapshotTables(app)).toHaveLength(dataTables(app).length);
    expect((await admin.post('/__admin/snapshots/x/restore')).status).toBe(200);
  });

  it('a refused restore changes nothing (a duplicate row in a snapshot table breaks a unique key)', async () => {
    const { app, api, admin } = await frozen();
    expect((await admin.post('/__admin/snapshots', { name: 'broken' })).status).toBe(201);
    const seq = app.db.prepare("SELECT seq FROM mock_snapshots WHERE name = 'broken'").pluck().get() as number;
    app.db.exec(`INSERT INTO mock_snap_${seq}_customers SELECT * FROM mock_snap_${seq}_customers LIMIT 1`);
    // Changes in a table restored before customers (projects) and after it (agents, messages).
    expect((await api.patch(`/api/v1/agents/${ids.orderAgent}`, { agent: { name: 'Kept Name' } })).status).toBe(200);
    expect((await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Kept message' } })).status).toBe(201);
    expect((await admin.delete(`/__admin/projects/${ids.otherProject}`)).status).toBe(204);
    const before = app.state.dump();
    const totals = (await api.get('/api/v1/customers')).body.meta.total_count;

    const res = await admin.post('/__admin/snapshots/broken/restore');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'The record breaks a uniqueness or reference rule' });
    expect(app.state.dump()).toEqual(before);
    expect((await api.get('/api/v1/customers')).body.meta.total_count).toBe(totals);
    expect((await api.get('/api/v1/agents', { key: OTHER_KEY })).status).toBe(401);
  });

  it('list totals are right after a restore', async () => {
    const { api, admin } = await frozen();
    const lists = ['/api/v1/customers', '/api/v1/whatsapp_conversations', `/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, '/api/v1/whatsapp_contacts'];
    const totals = async () => Promise.all(lists.map(async (url) => {
      const res = await api.get(url);
      expect(res.status).toBe(200);
      return res.body.meta?.total_count ?? res.headers.total;
    }));
    const saved = await totals();
    expect((await admin.post('/__admin/snapshots', { name: 'counted' })).status).toBe(201);
    for (let i = 0; i < 3; i++) {
      expect((await api.post('/api/v1/customers', { customer: { name: `Extra ${i}`, external_customer_id: `EXTRA-${i}` } })).status).toBe(201);
      expect((await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: `Extra ${i}` } })).status).toBe(201);
    }
    expect((await api.delete(`/api/v1/customers/${ids.initech}`)).status).toBe(204);
    expect(await totals()).not.toEqual(saved);

    expect((await admin.post('/__admin/snapshots/counted/restore')).status).toBe(200);
    expect(await totals()).toEqual(saved);
  });

  it('rows come back in the order they were written, after rows were changed, deleted and added in every table', async () => {
    const { app, api, admin } = await frozen();
    const saved = inWrittenOrder(app);
    expect((await admin.post('/__admin/snapshots', { name: 'ordered' })).status).toBe(201);
    expect((await api.put(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`, { agent_whatsapp_config: { is_primary: true } })).status).toBe(200);
    expect((await api.delete(`/api/v1/whatsapp_configs/${ids.globexOrders}`)).status).toBe(204);
    expect((await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Later' } })).status).toBe(201);
    expect((await admin.post('/__admin/projects', { seed: true })).status).toBe(201);

    expect((await admin.post('/__admin/snapshots/ordered/restore')).status).toBe(200);
    expect(inWrittenOrder(app)).toEqual(saved);
  });
});

describe('a snapshot made before migration 12 (one JSON document)', () => {
  it('restores after the upgrade, media bytes included', async () => {
    // The state to save, from an app of today: every table's rows as the old snapshots held them.
    const source = await makeApp();
    const saved = source.state.dump();
    await source.close();
    const json = JSON.stringify(saved, (_key, value) => (value?.type === 'Buffer' && Array.isArray(value.data) ? { $base64: Buffer.from(value.data).toString('base64') } : value));
    expect(json).toContain('$base64');

    // A database file at migration 11 with that snapshot in it.
    const file = dbFile();
    const old = new Database(file);
    for (const sql of migrations.slice(0, 11)) old.exec(sql);
    old.pragma('user_version = 11');
    old.prepare('INSERT INTO mock_snapshots (name, state, created_at) VALUES (?, ?, ?)').run('before-upgrade', json, T0);
    old.close();

    const app = await makeApp({ dbPath: file });
    const admin = client(app, null);
    expect((await admin.get('/__admin/snapshots')).body).toEqual({ data: [{ name: 'before-upgrade', created_at: T0 }] });
    expect((await admin.post('/__admin/snapshots/before-upgrade/restore')).status).toBe(200);
    expect(app.state.dump()).toEqual(saved);
    const customers = await client(app).get('/api/v1/customers');
    expect(customers.status).toBe(200);
    expect(customers.body.meta.total_count).toBe(saved.customers!.filter((c) => c.project_id === ids.demoProject).length);

    // Saved again under the same name, it becomes tables like any other.
    expect((await admin.post('/__admin/snapshots', { name: 'before-upgrade' })).status).toBe(201);
    expect(app.db.prepare("SELECT state IS NULL AND seq IS NOT NULL FROM mock_snapshots WHERE name = 'before-upgrade'").pluck().get()).toBe(1);
    expect((await admin.post('/__admin/snapshots/before-upgrade/restore')).status).toBe(200);
    expect(app.state.dump()).toEqual(saved);
  });
});
