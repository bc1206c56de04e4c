// Snapshots, kept as tables (migration 12). Snapshot number `seq` holds a copy of each data table t,
// mock_snap_<seq>_<t>: the same rows under the same rowids, no indexes and no triggers, in the same
// database as the data (a file database keeps them across restarts; the mock_ prefix keeps them out
// of reset, dump and the other snapshots). Whole-table statements only: no row crosses into JavaScript.
//
// A restore writes back only what differs from the copy. Deleting 300,000 rows and inserting them
// again costs seconds of index upkeep however the statements are written (15 s with the messages'
// eight indexes, 9 s with the indexes dropped and rebuilt); comparing each table with its copy by
// rowid costs a fraction of a second, and a test that changed a few rows since its snapshot writes
// a few rows back.
//
// A snapshot made before migration 12 is one JSON document, `{table: rows[]}` with every row an
// object of its columns (a BLOB as {"$base64": "..."}), and is still restored from it.
//
// The SQL names a snapshot's tables, so it differs from one snapshot to the next: it runs through
// exec(), which keeps no statement (every prepared one is kept for the connection's life:
// src/db/database.ts), and what it finds is read back through changes().
import type { Statement } from 'better-sqlite3';
import { isConstraintError } from '../../db/constraints.js';
import { quoteIdent, type Db } from '../../db/database.js';

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fromBase64 = (t: unknown) => (typeof t === 'string' ? Buffer.from(t, 'base64') : null);
const snapPrefix = (seq: number) => `mock_snap_${seq}_`;

/** Passes that may find rows changed again by writes to other tables (cascades, triggers) before every table is rewritten whole. */
const MAX_PASSES = 4;

export function createSnapshotStore(db: Db, tables: readonly string[]) {
  const columnsOf = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck();
  const named = db.prepare<[string], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB ? || '*'").pluck(); // the prefix has no GLOB metacharacters
  const changes = db.prepare<[], number>('SELECT changes()').pluck();
  type Shape = { columns: string[]; hasRowid: boolean; rowidColumn: boolean; list: string };
  let shapeOf: Map<string, Shape> | undefined;
  /** The data tables' columns and rowids, looked at when snapshots are first used (not at start-up). */
  const shapes = () => {
    if (shapeOf) return shapeOf;
    const withoutRowid = new Set(db.prepare<[], string>("SELECT name FROM pragma_table_list WHERE schema = 'main' AND wr = 1").pluck().all());
    const pkTypes = db.prepare<[string], string>('SELECT upper(type) FROM pragma_table_info(?) WHERE pk > 0').pluck();
    db.exec('CREATE TEMP TABLE IF NOT EXISTS mock_restoring_rows (rid INTEGER PRIMARY KEY, absent INTEGER NOT NULL)');
    shapeOf = new Map(tables.map((t) => {
      const columns = columnsOf.all(t);
      const pk = pkTypes.all(t);
      const hasRowid = !withoutRowid.has(t);
      return [t, {
        columns,
        hasRowid,
        // An INTEGER PRIMARY KEY is the rowid under another name: an INSERT names it once.
        rowidColumn: hasRowid && !(pk.length === 1 && pk[0] === 'INTEGER'),
        list: columns.map(quoteIdent).join(', '),
      }];
    }));
    return shapeOf;
  };
  /** Rows written by `sql` (its last statement). */
  const run = (sql: string): number => {
    db.exec(sql);
    return changes.get()!;
  };
  const holds = (condition: string): boolean => run(`DELETE FROM temp.mock_restoring_rows; INSERT INTO temp.mock_restoring_rows (rid, absent) SELECT 0, 0 WHERE ${condition}`) === 1;

  /** Empties `t` and copies all of `from` into it, in rowid order, under the same rowids. */
  const replace = (t: string, from: string): number => {
    const shape = shapes().get(t)!;
    const saved = new Set(columnsOf.all(from));
    const list = shape.columns.filter((c) => saved.has(c)).map(quoteIdent).join(', ');
    const withRowid = shape.rowidColumn ? `rowid, ${list}` : list;
    return run(`DELETE FROM ${quoteIdent(t)}`) + run(`INSERT INTO ${quoteIdent(t)} (${withRowid}) SELECT ${withRowid} FROM ${quoteIdent(from)} ORDER BY rowid`);
  };

  /**
   * Makes `t` equal to its copy `from` (undefined: the table is newer than the snapshot, so empty);
   * returns how many rows it wrote. Rows are matched by rowid: rows the copy lacks go, rows that
   * differ are updated in place (deleting them would cascade to their children: every message of a
   * conversation whose last_active_at moved), rows the copy has and the table lacks come back.
   */
  const sync = (t: string, from: string | undefined, pass: number): number => {
    const T = quoteIdent(t);
    if (from === undefined) return run(`DELETE FROM ${T}`);
    const S = quoteIdent(from);
    const shape = shapes().get(t)!;
    const saved = columnsOf.all(from);
    const sameColumns = saved.length === shape.columns.length && saved.every((c, i) => c === shape.columns[i]);
    if (!sameColumns || !shape.hasRowid) {
      // Columns added or dropped since the snapshot (a later version of the mock), or no rowid:
      // rewritten whole on the first pass, compared as sets of rows after it.
      const list = shape.columns.filter((c) => saved.includes(c)).map(quoteIdent).join(', ');
      const equal = () => holds(`(SELECT count(*) FROM ${T}) = (SELECT count(*) FROM ${S}) AND NOT EXISTS (SELECT ${list} FROM ${T} EXCEPT SELECT ${list} FROM ${S})`);
      return (pass > 0 || sameColumns) && equal() ? 0 : replace(t, from);
    }
    const same = shape.columns.map((c) => `t.${quoteIdent(c)} IS s.${quoteIdent(c)}`).join(' AND ');
    const found = run(`DELETE FROM temp.mock_restoring_rows;
      INSERT INTO temp.mock_restoring_rows (rid, absent) SELECT t.rowid, s.rowid IS NULL FROM ${T} AS t LEFT JOIN ${S} AS s ON s.rowid = t.rowid WHERE s.rowid IS NULL OR NOT (${same})`);
    let written = 0;
    if (found > 0) {
      written += run(`DELETE FROM ${T} WHERE rowid IN (SELECT rid FROM temp.mock_restoring_rows WHERE absent)`);
      const changed = 'SELECT rid FROM temp.mock_restoring_rows WHERE NOT absent';
      try {
        written += db.transaction(() => run(
          `UPDATE ${T} AS t SET (${shape.list}) = (${shape.columns.map((c) => `s.${quoteIdent(c)}`).join(', ')}) FROM ${S} AS s WHERE s.rowid = t.rowid AND t.rowid IN (${changed})`,
        ))();
      } catch (err) {
        // Two rows that swap a unique value (the primary link of an agent) cannot be updated one at
        // a time: they are deleted here and come back below.
        if (!isConstraintError(err)) throw err;
        written += run(`DELETE FROM ${T} WHERE rowid IN (${changed})`);
      }
    }
    // Every row left has its twin in the copy, so rows are missing only when the table has fewer.
    if (holds(`(SELECT count(*) FROM ${T}) < (SELECT count(*) FROM ${S})`)) {
      const into = shape.rowidColumn ? `rowid, ${shape.list}` : shape.list;
      const values = [...(shape.rowidColumn ? ['s.rowid'] : []), ...shape.columns.map((c) => `s.${quoteIdent(c)}`)].join(', ');
      written += run(`INSERT INTO ${T} (${into}) SELECT ${values} FROM ${S} AS s WHERE NOT EXISTS (SELECT 1 FROM ${T} AS t WHERE t.rowid = s.rowid) ORDER BY s.rowid`);
    }
    return written;
  };

  // A JSON snapshot: its text is parsed once and split by table (into JSONB, in a temporary table
  // of this connection), then each table is filled by one INSERT ... SELECT over its rows. Prepared
  // on first use: only a database file from before migration 12 has such snapshots.
  let json: { parse: Statement<[string]>; done: Statement; fill: Statement[] } | undefined;
  const jsonStatements = () => {
    db.function('mock_unbase64', { deterministic: true }, fromBase64);
    db.exec('CREATE TEMP TABLE IF NOT EXISTS mock_restoring (name TEXT PRIMARY KEY, rows BLOB NOT NULL)');
    const columnOf = (c: string) => {
      const path = sqlString(`$.${JSON.stringify(c)}`);
      return `CASE json_type(r.value, ${path}) WHEN 'object' THEN mock_unbase64(r.value ->> ${sqlString(`$.${JSON.stringify(c)}."$base64"`)}) ELSE r.value ->> ${path} END`;
    };
    return {
      parse: db.prepare<[string]>('INSERT INTO temp.mock_restoring (name, rows) SELECT key, value FROM mock_snapshots s, jsonb_each(jsonb(s.state)) WHERE s.name = ?'),
      done: db.prepare('DELETE FROM temp.mock_restoring'),
      fill: tables.map((t) => db.prepare(
        `INSERT INTO ${quoteIdent(t)} (${shapes().get(t)!.list}) SELECT ${shapes().get(t)!.columns.map(columnOf).join(', ')} FROM temp.mock_restoring s, jsonb_each(s.rows) r WHERE s.name = ${sqlString(t)}`,
      )),
    };
  };

  /** Drops snapshot `seq`'s tables (also those of data tables this version no longer has). */
  const drop = (seq: number): void => {
    for (const name of named.all(snapPrefix(seq))) db.exec(`DROP TABLE ${quoteIdent(name)}`);
  };

  return {
    /** Copies every data table into snapshot `seq`'s tables. */
    save(seq: number): void {
      drop(seq); // none, unless made by hand: a snapshot's tables go in the transaction that forgets it
      for (const t of tables) {
        const { list, hasRowid } = shapes().get(t)!;
        const S = quoteIdent(snapPrefix(seq) + t);
        db.exec(`CREATE TABLE ${S} AS SELECT * FROM ${quoteIdent(t)} WHERE 0;
          ${hasRowid ? `INSERT INTO ${S} (rowid, ${list}) SELECT rowid, ${list} FROM ${quoteIdent(t)} ORDER BY rowid` : `INSERT INTO ${S} (${list}) SELECT ${list} FROM ${quoteIdent(t)}`}`);
      }
    },

    drop,

    /**
     * Brings every data table back to snapshot `seq`. Call inside a transaction, with foreign keys
     * deferred. Tables are compared and written in creation order (parents first); what the writes
     * did to other tables (cascades, triggers) is looked for again in every table up to the last one
     * written, until a pass writes nothing.
     */
    restore(seq: number): void {
      const saved = new Set(named.all(snapPrefix(seq)));
      const copyOf = (t: string) => (saved.has(snapPrefix(seq) + t) ? snapPrefix(seq) + t : undefined);
      let upTo = tables.length - 1;
      for (let pass = 0; upTo >= 0; pass++) {
        if (pass === MAX_PASSES) {
          // Writes that keep undoing each other: every table is emptied and filled from its copy.
          for (const t of [...tables].reverse()) run(`DELETE FROM ${quoteIdent(t)}`);
          for (const t of tables) {
            const from = copyOf(t);
            if (from !== undefined) replace(t, from);
          }
          return;
        }
        let last = -1;
        tables.forEach((t, i) => {
          if (i <= upTo && sync(t, copyOf(t), pass) > 0) last = i;
        });
        upTo = last;
      }
    },

    /** Fills the (emptied) data tables from the JSON snapshot `name`. Call inside a transaction, with foreign keys deferred. */
    restoreJson(name: string): void {
      json ??= jsonStatements();
      json.done.run(); // left over when a restore was refused (its transaction rolled this table back too)
      json.parse.run(name);
      for (const fill of json.fill) fill.run();
      json.done.run();
    },
  };
}
