import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/** An SQL identifier (a table or column name) quoted for statements built from the schema. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A transaction function: called plainly it runs DEFERRED, or with its IMMEDIATE/EXCLUSIVE variant. */
export type TransactionFn<F extends (...args: any[]) => any> = F & { default: F; deferred: F; immediate: F; exclusive: F };

/**
 * The app's connection. Its transaction() is typed by what it returns (the function itself, with its
 * variants) instead of better-sqlite3's namespaced Transaction type, so repositories that expose
 * transaction functions can have their types written out in the package's declarations.
 */
export interface Db extends Omit<Database.Database, 'transaction'> {
  transaction<F extends (...args: any[]) => any>(fn: F): TransactionFn<F>;
}

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

/** What the event bus hears of transactions (lib/events.ts): a mark when one begins, the end of the outermost, a rollback to a mark. */
export interface TransactionHooks {
  begin(): unknown;
  commit(): void;
  rollback(mark: unknown): void;
}

const hooks = new WeakMap<Db, TransactionHooks>();

/** Registers the hooks of a database's transactions (one set per database: the app's event bus). */
export function onTransactionEnd(db: Db, h: TransactionHooks): void {
  hooks.set(db, h);
}

/**
 * db.transaction(fn), and its deferred/immediate/exclusive variants, tell the hooks when the
 * outermost transaction committed and when any level rolled back, so events published inside a
 * rolled-back savepoint are dropped and the rest are delivered only after the commit.
 */
function reportTransactions(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = transaction(fn);
    const wrap = (run: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
      const h = hooks.get(db);
      if (!h) return run(...args);
      const outermost = !db.inTransaction;
      const mark = h.begin();
      let result: unknown;
      try {
        result = run(...args);
      } catch (err) {
        h.rollback(mark);
        throw err;
      }
      if (outermost) h.commit();
      return result;
    };
    return Object.assign(wrap(tx), {
      default: wrap(tx.default),
      deferred: wrap(tx.deferred),
      immediate: wrap(tx.immediate),
      exclusive: wrap(tx.exclusive),
      database: db,
    });
  }) as unknown as Db['transaction'];
}

/**
 * Opens (or creates) the database, sets it up for a single-process server and migrates it.
 * Which Node versions need the retained-statements patch above: Node 24.21 (the Docker image)
 * aborts without it; Node 20 (these machines and CI) never did. It costs nothing, so it applies
 * on every version.
 */
export function openDatabase(path: string): OpenedDatabase {
  const db = new Database(path) as unknown as Db;
  retained.push(db);
  reportTransactions(db);
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
  const from = migrate(db as unknown as Database.Database);
  return { db, isNew: from === 0 };
}
