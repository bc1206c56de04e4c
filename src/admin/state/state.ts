// The mock's whole state as a test double sees it: reset to the fixtures, snapshots that
// save and restore every table, fixtures loaded at runtime, and sandbox projects.
// It knows no table by name: every data table (not named mock_*) is found in the schema, so a
// new family's tables take part in reset, snapshots and sandboxes with no edit here.
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { FixtureDocument, FixtureFormat, ProjectFixture } from '../../db/fixtures.js';
import type { EventBus } from '../../lib/events.js';
import { newId } from '../../lib/ids.js';
import type { Repositories } from '../../lib/resource.js';
import type { ProjectSummary } from '../../resources/projects/repository.js';

type Rows = Record<string, unknown>[];
export type Dump = Record<string, Rows>;

export interface SnapshotInfo {
  name: string;
  created_at: string;
}

export interface Sandbox {
  project: ProjectSummary;
  apiKey: string;
}

export interface StateService {
  /** Everything back to the fixtures: sandbox and auto-provisioned projects are removed. */
  resetAll(): void;
  /**
   * One project back to where it started: a fixture project to its fixtures, a sandbox to
   * its seed (or empty), an auto-provisioned project to empty. False when there is no such project.
   */
  resetProject(projectId: string): boolean;
  /**
   * Loads a fixtures document. `replace`: it becomes the whole state. `merge`: its projects
   * replace projects with the same ID and the others stay. Either way it joins the fixtures
   * that reset restores.
   */
  loadFixtures(doc: FixtureDocument, mode: 'merge' | 'replace'): void;
  /** The fixtures reset restores. */
  fixtures(): FixtureDocument;
  /**
   * The API key of a project where the mock knows it: a fixture project's (from its fixtures, or
   * KAPSO_MOCK_API_KEY). Sandbox and auto-provisioned keys are stored as hashes only: undefined.
   */
  knownKey(projectId: string): string | undefined;
  /** A new project with a new API key, empty or holding copies of a fixture project's records. */
  createSandbox(opts: SandboxOptions): Sandbox;
  /**
   * Every row of every data table in a stable order (tables by name, rows by every column), or
   * only the rows of one project (the project's own row and the rows that carry its project_id).
   */
  dump(filter?: { projectId?: string }): Dump;
  /** Saves every table under `name` (replacing a snapshot of the same name). */
  snapshot(name: string): SnapshotInfo;
  /** Brings the named snapshot back; undefined when there is none. */
  restore(name: string): SnapshotInfo | undefined;
  snapshots(): SnapshotInfo[];
  deleteSnapshot(name: string): boolean;
}

export interface SandboxOptions {
  name?: string | undefined;
  apiKey?: string | undefined;
  /** A fixture project to copy the records of. */
  seedFrom?: string | undefined;
  origin?: 'sandbox' | 'auto';
}

export interface StateDeps {
  db: Db;
  repos: Repositories;
  clock: Clock;
  events: EventBus;
  format: FixtureFormat;
  /** The fixtures the app started with. */
  startup: FixtureDocument;
  /** API keys that replace a fixture project's own (KAPSO_MOCK_API_KEY), by project ID. */
  keyOverrides: ReadonlyMap<string, string>;
}

/**
 * Snapshots are JSON, `{table: rows[]}` with every row an object of its columns, built and read by
 * SQLite itself (json_group_array, jsonb_each): no row crosses into JavaScript, so a snapshot of
 * 300,000 rows takes SQLite's time, not the time of 300,000 objects and statements. A BLOB value
 * (media bytes) is written as {"$base64": "..."} and read back as the same bytes. Row values are
 * otherwise plain (JSON columns are stored as text, so they are JSON strings), so the marker cannot
 * be mistaken for data.
 */
const toBase64 = (b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString('base64') : null);
const fromBase64 = (t: unknown) => (typeof t === 'string' ? Buffer.from(t, 'base64') : null);
const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function createStateService({ db, repos, clock, events, format, startup, keyOverrides }: StateDeps): StateService {
  /** The fixtures reset restores: the start-up ones, changed by loadFixtures(). */
  let baseline: FixtureDocument = startup;

  // Data tables in creation order (parents before children); mock_* tables are the mock's own.
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'mock_%' ORDER BY rowid").all() as { name: string }[])
    .map((t) => t.name);
  const columns = new Map(tables.map((t) => [t, (db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((c) => c.name)]));
  const quoted = (t: string) => columns.get(t)!.map((c) => `"${c}"`).join(', ');
  const sortedAll = new Map(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY ${quoted(t)}`)]));
  // Rows of one project: the projects row by its id, the others by their project_id (tables without one are reached by cascades).
  const byProject = new Map(tables.flatMap((t) => {
    if (t === 'projects') return [[t, db.prepare(`SELECT * FROM "${t}" WHERE id = ? ORDER BY ${quoted(t)}`)]] as const;
    return columns.get(t)!.includes('project_id') ? [[t, db.prepare(`SELECT * FROM "${t}" WHERE project_id = ? ORDER BY ${quoted(t)}`)]] as const : [];
  }));
  const deleteAll = new Map(tables.map((t) => [t, db.prepare(`DELETE FROM "${t}"`)]));
  const deleteRecords = new Map(
    tables.filter((t) => t !== 'projects' && columns.get(t)!.includes('project_id')).map((t) => [t, db.prepare(`DELETE FROM "${t}" WHERE project_id = ?`)]),
  );
  db.function('mock_base64', { deterministic: true }, toBase64);
  db.function('mock_unbase64', { deterministic: true }, fromBase64);
  // The whole state as one JSON document, made in one statement: tables in creation order, rows by rowid.
  const rowObject = (t: string) => `json_object(${columns.get(t)!.map((c) => `${sqlString(c)}, CASE WHEN typeof(${ident(c)}) = 'blob' THEN json_object('$base64', mock_base64(${ident(c)})) ELSE ${ident(c)} END`).join(', ')})`;
  const stateJson = `json_object(${tables.map((t) => `${sqlString(t)}, (SELECT json_group_array(${rowObject(t)}) FROM (SELECT * FROM ${ident(t)} ORDER BY rowid))`).join(', ')})`;
  const saveSnapshot = db.prepare<[string, string]>(
    `INSERT INTO mock_snapshots (name, state, created_at) VALUES (?, ${stateJson}, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state, created_at = excluded.created_at`,
  );
  // Restore: the snapshot's text is parsed once and split by table (into JSONB, in a temporary
  // table of this connection), then each table is filled by one INSERT ... SELECT over its rows.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS mock_restoring (name TEXT PRIMARY KEY, rows BLOB NOT NULL)');
  const parseSnapshot = db.prepare<[string]>('INSERT INTO temp.mock_restoring (name, rows) SELECT key, value FROM mock_snapshots s, jsonb_each(jsonb(s.state)) WHERE s.name = ?');
  const doneRestoring = db.prepare('DELETE FROM temp.mock_restoring');
  const columnOf = (c: string) => {
    const path = sqlString(`$.${JSON.stringify(c)}`);
    return `CASE json_type(r.value, ${path}) WHEN 'object' THEN mock_unbase64(r.value ->> ${sqlString(`$.${JSON.stringify(c)}."$base64"`)}) ELSE r.value ->> ${path} END`;
  };
  const restoreTable = new Map(tables.map((t) => [t, db.prepare(
    `INSERT INTO ${ident(t)} (${quoted(t)}) SELECT ${columns.get(t)!.map(columnOf).join(', ')} FROM temp.mock_restoring s, jsonb_each(s.rows) r WHERE s.name = ${sqlString(t)}`,
  )]));
  const loadSnapshot = db.prepare<[string], SnapshotInfo>('SELECT name, created_at FROM mock_snapshots WHERE name = ?');
  const listSnapshots = db.prepare<[], SnapshotInfo>('SELECT name, created_at FROM mock_snapshots ORDER BY created_at DESC, name');
  const deleteSnapshot = db.prepare<[string]>('DELETE FROM mock_snapshots WHERE name = ?');

  const keyFor = (p: ProjectFixture) => keyOverrides.get(p.id) ?? p.api_key;
  const fixtureProject = (id: string) => baseline.projects.find((p) => p.id === id);
  const where = (p: ProjectFixture) => `"${p.name}" (${p.id})`;

  const clearAll = () => {
    for (const t of [...tables].reverse()) deleteAll.get(t)!.run();
    repos.projects.forgetKeys();
  };
  const clearRecords = (projectId: string) => {
    for (const t of [...tables].reverse()) deleteRecords.get(t)?.run(projectId);
  };
  const seedBaseline = () => baseline.projects.forEach((p) => format.insertProject(repos, clock, p, keyFor(p), where(p)));
  const replaced = (projectId: string, reason: 'reset' | 'restore' | 'fixtures' | 'sandbox') => events.publish('state.replaced', projectId, { reason });

  const load = (name: string) => {
    // Rows go back table by table; references are checked once all are in (at commit).
    db.exec('PRAGMA defer_foreign_keys = ON');
    clearAll();
    doneRestoring.run(); // left over when a restore was refused (its transaction rolled this table back too)
    parseSnapshot.run(name);
    for (const t of tables) restoreTable.get(t)!.run();
    doneRestoring.run();
  };

  /** A function that runs `fn` in one (IMMEDIATE) transaction. */
  const transaction = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = db.transaction(fn);
    return (...args: A): R => tx.immediate(...args);
  };

  return {
    resetAll: transaction(() => {
      clearAll();
      seedBaseline();
      replaced('*', 'reset');
    }),

    resetProject: transaction((projectId: string): boolean => {
      const current = repos.projects.summary(projectId);
      const fixture = fixtureProject(projectId);
      if (current?.origin !== 'sandbox' && current?.origin !== 'auto' && fixture) {
        repos.projects.delete(projectId);
        format.insertProject(repos, clock, fixture, keyFor(fixture), where(fixture));
        replaced(projectId, 'reset');
        return true;
      }
      if (!current) return false;
      clearRecords(projectId);
      const seed = current.seeded_from ? fixtureProject(current.seeded_from) : undefined;
      if (seed) format.insertRecords(repos, clock, projectId, seed, `sandbox seeded from ${where(seed)}`);
      replaced(projectId, 'reset');
      return true;
    }),

    loadFixtures: transaction((doc: FixtureDocument, mode: 'merge' | 'replace'): void => {
      const ids = new Set(doc.projects.map((p) => p.id));
      if (mode === 'replace') clearAll();
      else for (const id of ids) repos.projects.delete(id);
      doc.projects.forEach((p, i) => format.insertProject(repos, clock, p, keyFor(p), `projects[${i}] ${where(p)}`));
      // Only once every record is in: a failed load leaves the baseline (like the database) as it was.
      baseline = mode === 'replace' ? doc : { projects: [...baseline.projects.filter((p) => !ids.has(p.id)), ...doc.projects] };
      replaced('*', 'fixtures');
    }),

    fixtures: (): FixtureDocument => baseline,

    knownKey(projectId: string): string | undefined {
      const fixture = fixtureProject(projectId);
      return fixture && repos.projects.summary(projectId)?.origin === 'fixtures' ? keyFor(fixture) : undefined;
    },

    createSandbox: transaction((opts: SandboxOptions): Sandbox => {
      const seed = opts.seedFrom === undefined ? undefined : fixtureProject(opts.seedFrom);
      if (opts.seedFrom !== undefined && !seed) throw new Error(`no fixture project ${opts.seedFrom}`);
      const now = clock.iso();
      const id = newId();
      const apiKey = opts.apiKey ?? `kapso-sandbox-${newId().replaceAll('-', '')}`;
      const origin = opts.origin ?? 'sandbox';
      repos.projects.create({
        id, name: opts.name ?? (seed ? `${seed.name} (sandbox)` : 'Sandbox Project'), apiKey, origin,
        seededFrom: seed?.id ?? null, created_at: now, updated_at: now,
      });
      if (seed) format.insertRecords(repos, clock, id, seed, `sandbox seeded from ${where(seed)}`);
      replaced(id, 'sandbox');
      return { project: repos.projects.summary(id)!, apiKey };
    }),

    dump(filter = {}): Dump {
      const { projectId } = filter;
      if (projectId === undefined) return Object.fromEntries([...tables].sort().map((t) => [t, sortedAll.get(t)!.all() as Rows]));
      return Object.fromEntries([...byProject.keys()].sort().map((t) => [t, byProject.get(t)!.all(projectId) as Rows]));
    },

    snapshot(name: string): SnapshotInfo {
      const created_at = clock.iso();
      saveSnapshot.run(name, created_at);
      return { name, created_at };
    },

    restore: transaction((name: string): SnapshotInfo | undefined => {
      const row = loadSnapshot.get(name);
      if (!row) return undefined;
      load(row.name);
      replaced('*', 'restore');
      return { name: row.name, created_at: row.created_at };
    }),

    snapshots: (): SnapshotInfo[] => listSnapshots.all(),

    deleteSnapshot: (name: string): boolean => deleteSnapshot.run(name).changes === 1,
  };
}
