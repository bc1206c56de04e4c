// Copies of the fixture projects' rows, for reset. Writing a fixture project through its families'
// repositories costs milliseconds of JavaScript per project (every record validated, mapped and
// inserted on its own); its rows, kept from an earlier write, go back with SQL alone.
//
// A copy must write exactly what the repositories would write now, and fixtures depend on the
// moment they load: records without created_at take the load time, `ago` places a record before
// it, an expiry comes some hours after it. So a project is written three times, at three load
// times far apart, in a transaction that is rolled back, and its rows compared cell by cell: a cell
// is kept when it is the same every time, and moved with the load time when it is a timestamp
// (RFC 3339 text, or milliseconds) that moved by exactly as much as the load time did. A project
// whose rows change in any other way with the load time (a value the time decides, a time inside
// JSON), or whose writing publishes events, has no copy: reset writes it through the repositories,
// as before. The trial writes give the load time to the fixtures format only: a repository that read
// the clock itself while writing a fixture record would go unseen here, and
// test/admin/reset-copies.test.ts, which checks resets against new apps at other times, would fail.
//
// A reset writes only what differs from the copy: rows the project gained are deleted, rows that
// changed are updated in place, rows it lost come back. Next to millions of rows, writing all of a
// project's rows again costs more in index pages than in statements (a reset of the Demo Project
// wrote 200 pages); after a test that changed a few rows, a few rows are written. Rows keep the
// order the repositories give them (rowid order: a list breaks ties by it). Where a lost row would
// come back out of order, or the writes changed rows that were right (a cascade, a trigger), the
// project's rows are all deleted and copied back, one INSERT ... SELECT per table.
//
// The copies live in TEMP tables (this connection's, never in a file), mock_pristine_<table>: the
// table's columns plus mock_moves, the bits of the columns to move. They are made when a reset first
// needs them, outside any other transaction, and forgotten when the fixtures change.
import type { Statement } from 'better-sqlite3';
import type { Clock } from '../../clock.js';
import { isConstraintError } from '../../db/constraints.js';
import { quoteIdent, type Db } from '../../db/database.js';
import type { ProjectFixture } from '../../db/fixtures.js';
import type { EventBus } from '../../lib/events.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Load times of the trial writes besides the clock's own: far apart, so a value that depends on how the load time compares with a fixed time differs between them. */
const TRIAL_TIMES = [Date.parse('1000-01-01T00:00:00.000Z'), Date.parse('9000-01-01T00:00:00.000Z')];

/** `value` moved by `ms`: RFC 3339 text stays text, milliseconds stay a number. */
const moved = (value: unknown, ms: unknown) => {
  if (typeof ms !== 'number' || ms === 0) return value;
  if (typeof value === 'string') return new Date(Date.parse(value) + ms).toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) + ms;
  return value;
};

type Row = unknown[];
const sameCell = (a: unknown, b: unknown) => a === b || (a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0);

/** A cell's values at the trial times: 'same' every time, 'moves' with the load time, or neither. */
function classify(values: unknown[], times: number[]): 'same' | 'moves' | undefined {
  if (values.every((v) => sameCell(v, values[0]))) return 'same';
  const asMs = values.map((v) => (typeof v === 'string' && ISO.test(v) && new Date(Date.parse(v)).toISOString() === v ? Date.parse(v) : typeof v === 'number' && Number.isInteger(v) ? v : undefined));
  if (asMs.some((ms) => ms === undefined) || new Set(values.map((v) => typeof v)).size !== 1) return undefined;
  return asMs.every((ms, i) => ms! - asMs[0]! === times[i]! - times[0]!) ? 'moves' : undefined;
}

/** One row of a table's comparison: the copy's row (null: the project has a row the copy lacks), the project's row (null: lost), the bits of the columns that differ. */
type Difference = [source: number | null, target: number | null, differ: number];

export interface FixtureCopiesDeps {
  db: Db;
  events: EventBus;
  clock: Clock;
  /** Data tables in creation order (parents first). */
  tables: readonly string[];
  /** Writes a fixture project as reset does, through the repositories, with `clock` as the load time. */
  write(p: ProjectFixture, clock: Clock): void;
  /** Deletes a project and everything in it. */
  remove(projectId: string): void;
}

export function createFixtureCopies({ db, events, clock, tables, write, remove }: FixtureCopiesDeps) {
  const owner = (t: string) => (t === 'projects' ? 'id' : 'project_id');
  let columns = new Map<string, string[]>();
  let keys = new Map<string, string[]>();
  let dependents: { name: string; parent: string; col: string; action: string }[] = [];
  let usable: boolean | undefined;
  // Only tables whose every row belongs to one project (projects by id, the others by project_id),
  // matched by a primary key, with rowids, can be copied per project. Tables of the mock's own whose
  // rows a project's deletion cascades to (webhook deliveries) lose the project's rows as they would
  // have. A schema with anything else leaves reset to the repositories. Looked at when a reset first
  // asks for copies, not at start-up.
  const inspect = () => {
    const columnsOf = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck();
    const keyOf = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck();
    columns = new Map(tables.map((t) => [t, columnsOf.all(t)]));
    keys = new Map(tables.map((t) => [t, keyOf.all(t)]));
    const withoutRowid = db.prepare<[], string>("SELECT name FROM pragma_table_list WHERE schema = 'main' AND wr = 1").pluck().all();
    dependents = (db.prepare(`SELECT m.name AS name, f."table" AS parent, f."from" AS col, f.on_delete AS action
      FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND m.name NOT LIKE 'mock\\_snap\\_%' ESCAPE '\\'`).all() as typeof dependents)
      .filter((d) => !tables.includes(d.name));
    return tables.every((t) => columns.get(t)!.includes(owner(t)) && columns.get(t)!.length <= 53 && keys.get(t)!.length > 0 && !withoutRowid.includes(t))
      && dependents.every((d) => d.parent === 'projects' && d.action === 'CASCADE');
  };

  /** Copies by fixture project ID: undefined when not made yet, null when the project cannot be copied. */
  const copies = new Map<string, { at: number } | null>();
  const resetOnce = new Set<string>();
  let statements: ReturnType<typeof makeStatements> | undefined;
  let heard = 0;
  events.onDurable(() => {
    heard++;
  });

  const updates = new Map<string, Statement<[{ source: number; target: number; ms: number }]>>();
  /** One statement per table, prepared when first used (a reset needs few of them; every prepared statement is kept: db/database.ts). */
  const perTable = <S>(make: (table: string) => S) => {
    const made: S[] = [];
    return (t: number): S => (made[t] ??= make(tables[t]!));
  };
  function makeStatements() {
    db.function('mock_moved', { deterministic: true }, moved);
    const pristine = (t: string) => `temp.${quoteIdent(`mock_pristine_${t}`)}`;
    for (const t of tables) db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${quoteIdent(`mock_pristine_${t}`)} AS SELECT *, 0 AS mock_moves FROM main.${quoteIdent(t)} WHERE 0`);
    const list = (t: string) => columns.get(t)!.map(quoteIdent).join(', ');
    /** The copy's cells at a load time moved by @ms. */
    const cells = (t: string, p: string) => columns.get(t)!.map((c, i) => `CASE WHEN (${p}.mock_moves >> ${i}) & 1 THEN mock_moved(${p}.${quoteIdent(c)}, @ms) ELSE ${p}.${quoteIdent(c)} END`);
    const sameKey = (t: string) => keys.get(t)!.map((c) => `m.${quoteIdent(c)} = p.${quoteIdent(c)}`).join(' AND ');
    return {
      rows: perTable((t) => db.prepare<[string], Row>(`SELECT * FROM main.${quoteIdent(t)} WHERE ${owner(t)} = ? ORDER BY rowid`).raw()),
      keep: perTable((t) => db.prepare(`INSERT INTO ${pristine(t)} VALUES (${[...columns.get(t)!, 'mock_moves'].map(() => '?').join(', ')})`)),
      drop: perTable((t) => db.prepare<[string]>(`DELETE FROM ${pristine(t)} WHERE ${owner(t)} = ?`)),
      copy: perTable((t) => db.prepare<[{ project: string; ms: number }]>(
        `INSERT INTO main.${quoteIdent(t)} (${list(t)}) SELECT ${cells(t, 'p').join(', ')} FROM ${pristine(t)} AS p WHERE p.${owner(t)} = @project ORDER BY p.rowid`,
      )),
      // The copy's rows in order with the project's rows of the same key, then the project's rows the copy lacks.
      compare: perTable((t) => db.prepare<[{ project: string; ms: number }], Difference>(`
        SELECT p.rowid, m.rowid, ${cells(t, 'p').map((cell, i) => `((m.${quoteIdent(columns.get(t)![i]!)} IS NOT ${cell}) << ${i})`).join(' | ')}
          FROM ${pristine(t)} AS p LEFT JOIN main.${quoteIdent(t)} AS m ON m.${owner(t)} = @project AND ${sameKey(t)} WHERE p.${owner(t)} = @project
        UNION ALL
        SELECT NULL, m.rowid, 0 FROM main.${quoteIdent(t)} AS m
          WHERE m.${owner(t)} = @project AND NOT EXISTS (SELECT 1 FROM ${pristine(t)} AS p WHERE p.${owner(t)} = @project AND ${sameKey(t)})
        ORDER BY 1`).raw()),
      deleteRow: perTable((t) => db.prepare<[number]>(`DELETE FROM main.${quoteIdent(t)} WHERE rowid = ?`)),
      /** Updates the columns `bits` names, prepared once per table and set of columns (a reset moves the same few). */
      updateRow: (t: number, bits: number) => {
        const key = `${t}:${bits}`;
        let update = updates.get(key);
        if (!update) {
          const table = tables[t]!;
          const changed = columns.get(table)!.flatMap((_, i) => (Math.floor(bits / 2 ** i) % 2 === 1 ? [i] : []));
          update = db.prepare<[{ source: number; target: number; ms: number }]>(
            `UPDATE main.${quoteIdent(table)} SET (${changed.map((i) => quoteIdent(columns.get(table)![i]!)).join(', ')}) = (SELECT ${changed.map((i) => cells(table, 'p')[i]).join(', ')} FROM ${pristine(table)} AS p WHERE p.rowid = @source) WHERE rowid = @target`,
          );
          updates.set(key, update);
        }
        return update;
      },
      insertRow: perTable((t) => db.prepare<[{ source: number; ms: number }]>(
        `INSERT INTO main.${quoteIdent(t)} (${list(t)}) SELECT ${cells(t, 'p').join(', ')} FROM ${pristine(t)} AS p WHERE p.rowid = @source`,
      )),
      cascaded: dependents.map((d) => db.prepare<[string]>(`DELETE FROM main.${quoteIdent(d.name)} WHERE ${quoteIdent(d.col)} = ?`)),
      reached: reachedByTriggers(),
    };
  }

  /**
   * The tables (indexes into `tables`) that writes to the given ones may change besides their own
   * rows: those their triggers name (the counters' triggers name none), again for those, and every
   * table when a foreign key has an ON UPDATE action (an update of a key would reach its children).
   */
  function reachedByTriggers() {
    const names = (sql: string) => {
      const body = sql.slice(sql.search(/\bBEGIN\b/i)).replace(/'(?:[^']|'')*'/g, "''"); // a counter's list name is a string, not a table
      return tables.flatMap((t, i) => (new RegExp(`(^|[^\\w$])"?${t.replace(/[^\w]/g, '\\$&')}"?($|[^\\w$])`, 'i').test(body) ? [i] : []));
    };
    const writes = new Map<number, number[]>(tables.map((_, i) => [i, []]));
    for (const { table, sql } of db.prepare<[], { table: string; sql: string }>("SELECT tbl_name AS 'table', sql FROM sqlite_schema WHERE type = 'trigger'").all()) {
      const i = tables.indexOf(table);
      if (i >= 0) writes.get(i)!.push(...names(sql));
    }
    const onUpdate = db.prepare<[string], string>('SELECT on_update FROM pragma_foreign_key_list(?)').pluck();
    const updateActions = tables.some((t) => onUpdate.all(t).some((a) => a !== 'NO ACTION' && a !== 'RESTRICT'));
    return (written: readonly number[]): number[] => {
      if (updateActions) return tables.map((_, i) => i);
      const reached = new Set<number>();
      const visit = (t: number) => {
        for (const r of writes.get(t)!) if (!reached.has(r)) { reached.add(r); visit(r); }
      };
      written.forEach(visit);
      return [...reached].sort((a, b) => a - b);
    };
  }

  /**
   * Writes `p` at each trial time (rolled back) and keeps its rows with what moves; null when they
   * cannot be copied, undefined when `p` cannot be written now at all (its API key taken): the
   * repositories will say why when reset writes it, and the copy is tried again next time.
   */
  const make = (p: ProjectFixture): { at: number } | null | undefined => {
    statements ??= makeStatements();
    const s = statements;
    const times = [clock.now(), ...TRIAL_TIMES];
    const trials: Row[][][] = [];
    const heardBefore = heard;
    const done = new Error('rolled back');
    try {
      db.transaction(() => {
        for (const at of times) {
          remove(p.id);
          write(p, { ...clock, now: () => at, iso: () => new Date(at).toISOString() });
          trials.push(tables.map((_, t) => s.rows(t).all(p.id)));
        }
        throw done;
      }).immediate();
    } catch (err) {
      // Written at the clock's time but not at a trial time: the time decides more than timestamps.
      if (err !== done) return trials.length === 0 ? undefined : null;
    }
    if (heard !== heardBefore) return null;
    const kept: { table: number; row: Row; bits: number }[] = [];
    for (let t = 0; t < tables.length; t++) {
      const rows = trials.map((trial) => trial[t]!);
      if (rows.some((r) => r.length !== rows[0]!.length)) return null;
      for (let r = 0; r < rows[0]!.length; r++) {
        let bits = 0;
        for (let c = 0; c < rows[0]![r]!.length; c++) {
          const how = classify(rows.map((trial) => trial[r]![c]), times);
          if (how === undefined) return null;
          if (how === 'moves') bits += 2 ** c;
        }
        kept.push({ table: t, row: rows[0]![r]!, bits });
      }
    }
    db.transaction(() => {
      tables.forEach((_, t) => s.drop(t).run(p.id));
      for (const { table, row, bits } of kept) s.keep(table).run(...row, bits);
    }).immediate();
    return { at: times[0]! };
  };

  /**
   * Compares project `p`'s rows with its copy moved by `ms` in tables `which`: per table, the rows to delete, to
   * update (copy row, project row) and to add (copy row); undefined when that is not enough to
   * match (a lost row before rows that stay would come back after them: a new row goes last).
   */
  const differences = (p: ProjectFixture, ms: number, which: readonly number[]) => which.map((t) => {
    const compare = statements!.compare(t);
    const plan = { extra: [] as number[], changed: [] as { source: number; target: number; bits: number }[], missing: [] as number[], kept: 0 };
    let last = -Infinity;
    for (const [source, target, bits] of compare.all({ project: p.id, ms })) {
      if (source === null) plan.extra.push(target!);
      else if (target === null) plan.missing.push(source);
      else if (plan.missing.length > 0 || target < last) return undefined;
      else {
        last = target;
        plan.kept++;
        if (bits !== 0) plan.changed.push({ source, target, bits });
      }
    }
    return plan;
  });

  /**
   * Writes what differs between project `p`'s rows and its copy moved by `ms`, in a savepoint:
   * first the rows that changed (so that no row of the copy still refers to a row the project
   * gained), then the gained rows go (their cascades reach only rows like them), then the lost rows
   * come back. Tables that triggers of the written tables write to are compared again. False, with
   * nothing written, when that takes more than deleting, updating and adding rows, or when the
   * writes changed rows that were right.
   */
  const sync = (p: ProjectFixture, ms: number): boolean => {
    const s = statements!;
    const plans = differences(p, ms, tables.map((_, t) => t));
    if (plans.some((plan) => plan === undefined)) return false;
    const todo = plans as NonNullable<(typeof plans)[number]>[];
    if (todo.every((plan) => plan.kept === 0)) return false; // nothing to keep (a reset of everything): copied whole
    const written = todo.flatMap((plan, t) => (plan.extra.length + plan.changed.length + plan.missing.length > 0 ? [t] : []));
    const undo = new Error('undo');
    try {
      db.transaction(() => {
        for (const cascaded of s.cascaded) cascaded.run(p.id);
        if (written.length === 0) return;
        for (let t = 0; t < tables.length; t++) for (const { source, target, bits } of todo[t]!.changed) s.updateRow(t, bits).run({ source, target, ms });
        for (let t = tables.length - 1; t >= 0; t--) for (const rowid of todo[t]!.extra) s.deleteRow(t).run(rowid);
        for (let t = 0; t < tables.length; t++) for (const source of todo[t]!.missing) s.insertRow(t).run({ source, ms });
        const again = differences(p, ms, s.reached(written));
        if (!again.every((plan) => plan !== undefined && plan.extra.length + plan.changed.length + plan.missing.length === 0)) throw undo;
      })();
    } catch (err) {
      // A unique value that two rows swap (an agent's primary link), or that a gained row holds, refuses the update.
      if (err === undo || isConstraintError(err)) return false;
      throw err;
    }
    return true;
  };

  return {
    /**
     * Makes the copies of these fixture projects that are not made yet, for a reset about to run.
     * Call outside any transaction (a copy made inside one would outlive its rollback); inside one
     * it does nothing.
     */
    prepare(projects: readonly ProjectFixture[]): void {
      usable ??= inspect();
      if (!usable || db.inTransaction) return;
      for (const p of projects) {
        if (copies.has(p.id)) continue;
        // At the second reset: a copy costs three writes, which a project reset once never repays.
        if (!resetOnce.has(p.id)) {
          resetOnce.add(p.id);
          continue;
        }
        const copy = make(p);
        if (copy !== undefined) copies.set(p.id, copy);
      }
    },

    /**
     * Brings fixture project `p` back to its copy, as the repositories would write it with the load
     * time `now`, whatever its rows are (none included). False, with nothing written, when it has
     * no copy: write it through the repositories. Call inside a transaction.
     */
    reset(p: ProjectFixture, now: number): boolean {
      const copy = copies.get(p.id);
      if (!copy || !statements) return false;
      const ms = now - copy.at;
      if (sync(p, ms)) return true;
      remove(p.id);
      tables.forEach((_, t) => statements!.copy(t).run({ project: p.id, ms }));
      return true;
    },

    /** Forgets the copies of these projects (all when undefined): their fixtures changed. Their rows go when they are made again. */
    forget(ids?: Iterable<string>): void {
      if (ids === undefined) {
        copies.clear();
        resetOnce.clear();
      }
      for (const id of ids ?? []) {
        copies.delete(id);
        resetOnce.delete(id);
      }
    },
  };
}
