// WAL checkpoints of a database file run in a worker thread (src/db/checkpointer.ts), not in the
// commit of the request that crosses SQLite's threshold.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer, withCheckpointLeftToWorker } from '../src/db/checkpointer.js';
import { openDatabase } from '../src/db/database.js';
import { client, makeApp, OTHER_KEY } from './helpers/app.js';

const dir = mkdtempSync(join(tmpdir(), 'kapso-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('the WAL checkpoint worker', () => {
  it('copies committed pages into the database file while the server runs, with no request doing it', async () => {
    const file = join(dir, 'running.db');
    const app = await makeApp({ dbPath: file });
    // The main connection's own automatic checkpoint only comes at 10,000 pages, far beyond these writes.
    expect(app.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the seed's pages are copied first
    const before = statSync(file).size;
    const api = client(app, OTHER_KEY);
    for (let i = 0; i < 150; i++) {
      const res = await api.post('/api/v1/customers', { customer: { name: `Checkpoint ${i} ${'x'.repeat(200)}`, external_customer_id: `CKPT-${i}` } });
      expect(res.status).toBe(201);
    }
    // 150 customers of some 300 bytes take several new pages: the file grows only when they are checkpointed.
    expect(await until(() => statSync(file).size > before)).toBe(true);
    expect((await api.get('/api/v1/customers?per_page=1')).body.meta.total_count).toBeGreaterThanOrEqual(150);
  });

  it('stops with the app, whose connection is then the last one and removes the WAL', async () => {
    const file = join(dir, 'closing.db');
    const app = await makeApp({ dbPath: file });
    expect((await client(app).patch('/api/v1/customers/c1000000-0000-4000-8000-000000000001', { customer: { name: 'Before closing' } })).status).toBe(200);
    expect(existsSync(`${file}-wal`)).toBe(true);
    await app.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const { db } = openDatabase(file);
    expect(db.prepare('SELECT name FROM customers WHERE id = ?').pluck().get('c1000000-0000-4000-8000-000000000001')).toBe('Before closing');
    db.close();
  });

  it('falls back to SQLite\'s own checkpoint at 1,000 pages when the worker fails', async () => {
    const { db } = openDatabase(join(dir, 'fallback.db'));
    const errors: unknown[] = [];
    const checkpointer = startCheckpointer(db, join(dir, 'no-such-folder', 'missing.db'), (err) => errors.push(err));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(await until(() => errors.length > 0)).toBe(true);
    expect(String(errors[0])).toMatch(/directory does not exist|unable to open/i);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    // With no worker, a large transaction's commit checkpoints as SQLite would: nothing is left undone.
    expect(withCheckpointLeftToWorker(db, () => db.pragma('wal_autocheckpoint', { simple: true }))).toBe(1_000);
    await checkpointer.close();
    db.close();
  });

  it('takes over the checkpoint of a snapshot\'s commit, which then copies nothing back while the request waits', async () => {
    const file = join(dir, 'snapshot.db');
    const app = await makeApp({ dbPath: file });
    const during: unknown[] = [];
    expect(withCheckpointLeftToWorker(app.db, () => during.push(app.db.pragma('wal_autocheckpoint', { simple: true })))).toBe(1);
    expect(during).toEqual([0]);
    expect(app.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(() => withCheckpointLeftToWorker(app.db, () => {
      throw new Error('refused');
    })).toThrow('refused');
    expect(app.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    // The snapshot route goes through it, and the snapshot restores.
    const api = client(app);
    expect((await app.inject({ method: 'POST', url: '/__admin/snapshots', payload: { name: 'wal' } })).statusCode).toBe(201);
    expect((await api.patch('/api/v1/customers/c1000000-0000-4000-8000-000000000001', { customer: { name: 'After the snapshot' } })).status).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/__admin/snapshots/wal/restore' })).statusCode).toBe(200);
    expect((await api.get('/api/v1/customers/c1000000-0000-4000-8000-000000000001')).body.data.name).toBe('Acme Corporation');
    expect(app.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
  });
});
