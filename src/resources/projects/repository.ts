import { createHash } from 'node:crypto';
import { uniqueRules } from '../../db/constraints.js';
import type { RepoContext } from '../../lib/resource.js';
import type { Project } from './schemas.js';

export interface ProjectRecord extends Project {
  apiKey: string;
  /** fixtures: seeded at start-up or by /__admin/fixtures; sandbox: /__admin/projects; auto: an auto-provisioned key. */
  origin: 'fixtures' | 'sandbox' | 'auto';
  /** For a sandbox: the fixture project its records were copied from. */
  seededFrom?: string | null;
}

export interface ProjectSummary extends Project {
  origin: ProjectRecord['origin'];
  seeded_from: string | null;
}

/** Keys are stored, looked up and compared as their SHA-256 only. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function createProjectRepository({ db }: RepoContext) {
  const insert = db.prepare<[string, string, string, string, string | null, string, string]>(
    'INSERT INTO projects (id, name, api_key_hash, origin, seeded_from, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const all = db.prepare<[], ProjectSummary>('SELECT id, name, origin, seeded_from, created_at, updated_at FROM projects ORDER BY created_at DESC, id DESC');
  const summary = db.prepare<[string], ProjectSummary>('SELECT id, name, origin, seeded_from, created_at, updated_at FROM projects WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM projects WHERE id = ?');
  const byId = db.prepare<[string], Project>('SELECT id, name, created_at, updated_at FROM projects WHERE id = ?');
  const byKeyHash = db
    .prepare<[string], { id: string; api_key_hash: string }>('SELECT id, api_key_hash FROM projects WHERE api_key_hash = ?');
  const setKeyHash = db.prepare<[string, string]>('UPDATE projects SET api_key_hash = ? WHERE id = ?');

  // Every /api/v1 request looks its key up: known keys are remembered (by hash, never the key
  // itself), and forgotten whenever a project's key changes or a project goes.
  const keyCache = new Map<string, string>();

  const unique = uniqueRules({ 'projects.api_key_hash': 'API key has already been taken', 'projects.id': 'Project has already been taken' });
  const insertRow = (p: ProjectRecord) => insert.run(p.id, p.name, hashKey(p.apiKey), p.origin, p.seededFrom ?? null, p.created_at, p.updated_at);

  return {
    /** Writes a project as given (fixtures: a clash is reported in SQLite's words, naming the record). */
    insert(p: ProjectRecord): void {
      insertRow(p);
    },

    /** A new project (sandboxes): a key already in use is "API key has already been taken". */
    create(p: ProjectRecord): void {
      unique(() => insertRow(p));
    },

    get(id: string): Project | undefined {
      return byId.get(id);
    },

    /** The project an API key belongs to, or undefined. */
    idForKey(key: string): string | undefined {
      // Only the key's SHA-256 is ever compared, so how long a lookup takes says nothing about
      // how much of a real key a guess matches.
      const hash = hashKey(key);
      const cached = keyCache.get(hash);
      if (cached !== undefined) return cached;
      const row = byKeyHash.get(hash);
      if (row) keyCache.set(hash, row.id);
      return row?.id;
    },

    setKey(id: string, key: string): boolean {
      keyCache.clear();
      return setKeyHash.run(hashKey(key), id).changes === 1;
    },

    /** Drops remembered keys; for code that deletes projects without this repository (the admin state service). */
    forgetKeys(): void {
      keyCache.clear();
    },

    /** Every project with where it came from (the admin API). */
    list(): ProjectSummary[] {
      return all.all();
    },

    summary(id: string): ProjectSummary | undefined {
      return summary.get(id);
    },

    /** Deletes the project and, through ON DELETE CASCADE, everything in it. */
    delete(id: string): boolean {
      keyCache.clear();
      return remove.run(id).changes === 1;
    },
  };
}

export type ProjectRepository = ReturnType<typeof createProjectRepository>;
