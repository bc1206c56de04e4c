import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  /** True when the database had no schema yet (new file or in-memory): it needs seeding. */
  isNew: boolean;
}

/**
 * Every better-sqlite3 connection and statement this process creates, kept until it exits.
 * Node 24.21's ObjectWrap registers an environment cleanup hook per native object and aborts the
 * process ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook) when the garbage
 * collector frees one from a task that runs outside JavaScript (the memory reducer, incremental
 * marking): the Docker image crashed at random a moment after start. So none is ever left to the
 * collector. Statements are prepared once per connection (the repositories, the state service),
 * a few dozen small objects per app; a closed connection's statements hold no SQLite memory.
 */
const retained: object[] = [];

/** Opens (or creates) the database, sets it up for a single-process server and migrates it. */
export function openDatabase(path: string): OpenedDatabase {
  const db = new Database(path);
  retained.push(db);
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    retained.push(statement);
    return statement;
  }) as Db['prepare'];
  // pragma() prepares a statement of its own, behind prepare()'s back: route it through it. Each call
  // keeps one statement, so it belongs at start-up and in tests; settings go through exec().
  db.pragma = ((source: string, options?: Database.PragmaOptions) => {
    const statement = db.prepare(`PRAGMA ${source}`);
    return options?.simple ? statement.pluck().get() : statement.all();
  }) as Db['pragma'];
  if (path !== ':memory:') {
    // WAL: readers never block the writer. synchronous=NORMAL keeps every committed
    // transaction across a crash of the process (only power loss can drop the last ones).
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
  }
  db.exec('PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000');
  // Case-insensitive "contains" filters that also fold non-ASCII letters (SQLite's lower() folds ASCII only).
  db.function('fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
  const from = migrate(db);
  return { db, isNew: from === 0 };
}
