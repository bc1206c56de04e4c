// The connection's set-up, and the rule that no better-sqlite3 object is left to the garbage
// collector (Node 24.21 aborts the process when it frees one outside JavaScript: src/db/database.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrations } from '../src/db/migrations.js';
import { ROOT } from './helpers/process.js';

describe('openDatabase', () => {
  it('migrates a new database to the latest version, with foreign keys on', () => {
    const { db, isNew } = openDatabase(':memory:');
    expect(isNew).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('keeps every statement and the connection out of the garbage collector', () => {
    // A child process with --expose-gc: a statement nothing refers to survives full collections.
    const script = `
      const { openDatabase } = await import('./src/db/database.ts');
      const refs = (() => {
        const { db } = openDatabase(':memory:');
        const viaPrepare = new WeakRef(db.prepare('SELECT 1'));
        db.pragma('user_version');
        db.close();
        return [new WeakRef(db), viaPrepare];
      })();
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log(JSON.stringify(refs.map((r) => r.deref() !== undefined)));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/Error/);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual([true, true]);
  });
});
