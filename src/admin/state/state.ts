// The mock's whole state as a test double sees it: reset to the fixtures, snapshots that
// save and restore every table, fixtures loaded at runtime, and sandbox projects.
// It knows no table by name: every data table (not named mock_*) is found in the schema, so a
// new family's tables take part in reset, snapshots and sandboxes with no edit here.
import type { Clock } from '../../clock.js';
import { withCheckpointLeftToWorker } from '../../db/checkpointer.js';
import { quoteIdent, type Db } from '../../db/database.js';
import type { FixtureDocument, FixtureFormat, ProjectFixture } from '../../db/fixtures.js';
import type { EventBus } from '../../lib/events.js';
import { newId } from '../../lib/ids.js';
import type { Repositories } from '../../lib/resource.js';
import type { ProjectSummary } from '../../resources/projects/repository.js';
import { createFixtureCopies } from './fixture-copies.js';
import { createSnapshotStore } from './snapshots.js';

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

export function createStateService({ db, repos, clock, events, format, startup, keyOverrides }: StateDeps): StateService {
  /** The fixtures reset restores: the start-up ones, changed by loadFixtures(). */
  let baseline: FixtureDocument = startup;

  // Data tables in creation order (parents before children); mock_* tables are the mock's own.
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'mock_%' ORDER BY rowid").all() as { name: string }[])
    .map((t) => t.name);
  const columns = new Map(tables.map((t) => [t, (db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((c) => c.name)]));
  const quoted = (t: string) => columns.get(t)!.map(quoteIdent).join(', ');
  const sortedAll = new Map(tables.map((t) => [t, db.prepare(`SELECT * FROM ${quoteIdent(t)} ORDER BY ${quoted(t)}`)]));
  // Rows of one project: the projects row by its id, the others by their project_id (tables without one are reached by cascades).
  const byProject = new Map(tables.flatMap((t) => {
    if (t === 'projects') return [[t, db.prepare(`SELECT * FROM ${quoteIdent(t)} WHERE id = ? ORDER BY ${quoted(t)}`)]] as const;
    return columns.get(t)!.includes('project_id') ? [[t, db.prepare(`SELECT * FROM ${quoteIdent(t)} WHERE project_id = ? ORDER BY ${quoted(t)}`)]] as const : [];
  }));
  const deleteAll = new Map(tables.map((t) => [t, db.prepare(`DELETE FROM ${quoteIdent(t)}`)]));
  const deleteRecords = new Map(
    tables.filter((t) => t !== 'projects' && columns.get(t)!.includes('project_id')).map((t) => [t, db.prepare(`DELETE FROM ${quoteIdent(t)} WHERE project_id = ?`)]),
  );
  const snapshots = createSnapshotStore(db, tables);
  const snapshotRow = db.prepare<[string], SnapshotInfo & { seq: number | null }>('SELECT name, created_at, seq FROM mock_snapshots WHERE name = ?');
  const nextSeq = db.prepare<[], number>('SELECT ifnull(max(seq), 0) + 1 FROM mock_snapshots').pluck();
  const saveSnapshot = db.prepare<[string, string, number]>(
    'INSERT INTO mock_snapshots (name, created_at, seq) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET created_at = excluded.created_at, seq = excluded.seq, state = NULL',
  );
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
  /**
   * Deletes a project and its records: table by table, children first, then the project row. The
   * project row's cascade would delete the same rows, in more time next to millions of rows (it
   * looks up every child's children).
   */
  const removeProject = (projectId: string) => {
    clearRecords(projectId);
    repos.projects.delete(projectId);
  };
  const copies = createFixtureCopies({
    db, events, clock, tables,
    write: (p, at) => format.insertProject(repos, at, p, keyFor(p), where(p)),
    remove: removeProject,
  });
  /** A fixture project back to its fixtures, from its copy or, when it has none, through the repositories. */
  const resetFixture = (p: ProjectFixture) => {
    if (!copies.reset(p, clock.now())) {
      removeProject(p.id);
      format.insertProject(repos, clock, p, keyFor(p), where(p));
    }
    repos.projects.forgetKeys();
  };
  const seedBaseline = () => baseline.projects.forEach(resetFixture);
  const replaced = (projectId: string, reason: 'reset' | 'restore' | 'fixtures' | 'sandbox') => events.publish('state.replaced', projectId, { reason });

  const load = (snapshot: { name: string; seq: number | null }) => {
    // Rows go back table by table; references are checked once all are in (at commit).
    db.exec('PRAGMA defer_foreign_keys = ON');
    if (snapshot.seq !== null) {
      snapshots.restore(snapshot.seq);
      repos.projects.forgetKeys();
      return;
    }
    clearAll();
    snapshots.restoreJson(snapshot.name);
  };

  /** A function that runs `fn` in one (IMMEDIATE) transaction. */
  const transaction = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = db.transaction(fn);
    return (...args: A): R => tx.immediate(...args);
  };
  /** The same, with `first` run before the transaction (copies are made in transactions of their own). */
  const beforeTransaction = <A extends unknown[], R>(first: (...args: A) => void, fn: (...args: A) => R) => {
    const tx = transaction(fn);
    return (...args: A): R => {
      first(...args);
      return tx(...args);
    };
  };

  const takeSnapshot = transaction((name: string): SnapshotInfo => {
    const created_at = clock.iso();
    const old = snapshotRow.get(name);
    if (old?.seq != null) snapshots.drop(old.seq);
    const seq = nextSeq.get()!;
    snapshots.save(seq);
    saveSnapshot.run(name, created_at, seq);
    return { name, created_at };
  });

  return {
    resetAll: beforeTransaction(() => copies.prepare(baseline.projects), () => {
      clearAll();
      seedBaseline();
      replaced('*', 'reset');
    }),

    resetProject: beforeTransaction((projectId) => copies.prepare(baseline.projects.filter((p) => p.id === projectId)), (projectId: string): boolean => {
      const current = repos.projects.summary(projectId);
      const fixture = fixtureProject(projectId);
      if (current?.origin !== 'sandbox' && current?.origin !== 'auto' && fixture) {
        resetFixture(fixture);
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
      copies.forget(mode === 'replace' ? undefined : ids);
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

    // A copy of every table: its commit leaves the WAL's checkpoint to the worker (a third of the time with 400k rows).
    snapshot: (name: string): SnapshotInfo => withCheckpointLeftToWorker(db, () => takeSnapshot(name)),

    restore: transaction((name: string): SnapshotInfo | undefined => {
      const row = snapshotRow.get(name);
      if (!row) return undefined;
      load(row);
      replaced('*', 'restore');
      return { name: row.name, created_at: row.created_at };
    }),

    snapshots: (): SnapshotInfo[] => listSnapshots.all(),

    deleteSnapshot: transaction((name: string): boolean => {
      const row = snapshotRow.get(name);
      if (!row) return false;
      if (row.seq !== null) snapshots.drop(row.seq);
      return deleteSnapshot.run(name).changes === 1;
    }),
  };
}
