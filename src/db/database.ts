import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  /** True when the database had no schema yet (new file or in-memory): it needs seeding. */
  isNew: boolean;
}

/** Opens (or creates) the database, sets it up for a single-process server and migrates it. */
export function openDatabase(path: string): OpenedDatabase {
  const db = new Database(path);
  if (path !== ':memory:') {
    // WAL: readers never block the writer. synchronous=NORMAL keeps every committed
    // transaction across a crash of the process (only power loss can drop the last ones).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Case-insensitive "contains" filters that also fold non-ASCII letters (SQLite's lower() folds ASCII only).
  db.function('fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
  const from = migrate(db);
  return { db, isNew: from === 0 };
}
