// WAL checkpoints off the event loop, for a database file. SQLite's automatic checkpoint runs inside
// the commit that crosses its threshold (1,000 pages by default): that request copies the WAL back
// into the database and waits for two fsyncs, a stall of several milliseconds every hundred-odd
// writes (docs/benchmark.md, "The file database"). Here a worker thread with its own connection to
// the file runs a PASSIVE checkpoint every CHECKPOINT_EVERY_MS (it never blocks the writer, nor waits
// for it), so requests write their pages to the WAL and go on. The main connection keeps an automatic
// checkpoint at SAFETY_NET_PAGES: under writes that never pause, a checkpoint that runs beside the
// writer cannot finish (new frames keep coming) and the WAL would only grow, so the writer finishes
// the worker's job then, with most of the pages already copied; it also covers a worker that failed.
// Durability is the same as before: synchronous=NORMAL on both connections.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

const CHECKPOINT_EVERY_MS = 100;
/** The main connection's own automatic checkpoint while the worker runs. */
const SAFETY_NET_PAGES = 10_000;
/** SQLite's own threshold, back when the worker failed. */
const SQLITE_DEFAULT_PAGES = 1_000;

// The worker's code: a script evaluated as CommonJS, so that it needs no file of its own next to the
// one-file bundle (dist/kapso-mock.js). It loads better-sqlite3 from the path the main thread resolved.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.exec('PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
setInterval(() => {
  try { checkpoint.get(); } catch { /* busy: the main connection is checkpointing; next time */ }
}, workerData.everyMs);
`;

/** The databases whose checkpoint worker is running. */
const withWorker = new WeakSet<Db>();

/** Sets the main connection's automatic checkpoint to what applies now: the safety net beside a running worker, SQLite's own without one. */
function setOwnCheckpoint(db: Db): void {
  if (db.open) db.exec(`PRAGMA wal_autocheckpoint = ${withWorker.has(db) ? SAFETY_NET_PAGES : SQLITE_DEFAULT_PAGES}`);
}

/**
 * Runs `fn` (a large transaction: a snapshot copies every table) with the main connection's automatic
 * checkpoint off, so that its commit does not copy tens of megabytes of WAL back into the file while
 * the request waits: the worker's next PASSIVE checkpoint does it in its own thread. Only while the
 * worker runs (an in-memory database has no WAL; without the worker the next commit would pay instead).
 */
export function withCheckpointLeftToWorker<T>(db: Db, fn: () => T): T {
  if (!withWorker.has(db)) return fn();
  db.exec('PRAGMA wal_autocheckpoint = 0');
  try {
    return fn();
  } finally {
    setOwnCheckpoint(db); // the worker may have failed meanwhile
  }
}

export interface Checkpointer {
  /**
   * Stops the worker; better-sqlite3 closes its connection as the thread ends (a cleanup hook of
   * the thread's environment closes every database it opened). Called before the main connection
   * closes, so that it is the last one and removes the WAL. A checkpoint under way finishes first:
   * SQLite's call is not interrupted, only the JavaScript after it.
   */
  close(): Promise<void>;
}

/**
 * Starts the checkpoint worker for the database file `path`, open in WAL mode as `db`. `onError`
 * hears of a worker that failed (the main connection's automatic checkpoint carries on alone).
 */
export function startCheckpointer(db: Db, path: string, onError: (err: unknown) => void): Checkpointer {
  withWorker.add(db);
  setOwnCheckpoint(db);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  worker.on('error', (err) => {
    withWorker.delete(db);
    setOwnCheckpoint(db);
    onError(err);
  });
  return {
    async close() {
      withWorker.delete(db);
      await worker.terminate(); // settles once the thread is gone (at once for one that failed)
    },
  };
}
