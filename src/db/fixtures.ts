// Seed data: fixtures are written in the API's own shape, one part per resource family
// (src/resources/<family>/fixtures.ts), validated at load time and inserted through the
// families' repositories. This file walks the parts; it knows no family by name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Repositories, Resource } from '../lib/resource.js';
import { Project } from '../resources/projects/schemas.js';
import type { Db } from './database.js';

export const FixtureId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a lowercase UUID v4');
export const FixtureTime = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 timestamp' })
  .transform((s) => new Date(s).toISOString());
/**
 * A time relative to the moment the fixtures load, for records that must stay recent (a message
 * inside the 24-hour window): `90s`, `20m`, `3h`, `2d` ago. Parts that take it use it instead of created_at.
 */
export const FixtureAgo = z
  .string()
  .regex(/^\d{1,6}(s|m|h|d)$/, 'must be a duration like 90s, 20m, 3h or 2d')
  .transform((s) => Number(s.slice(0, -1)) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[s.slice(-1) as 's' | 'm' | 'h' | 'd']);

/** `now` (RFC 3339) moved back by `ms`. */
export const before = (now: string, ms: number): string => new Date(Date.parse(now) - ms).toISOString();

/** Every fixture record has these; the times default to the moment the fixtures load. */
const stamps = { id: FixtureId, created_at: FixtureTime.optional(), updated_at: FixtureTime.optional() };

/** A fixture project: its own fields, and its records under each family's key. */
export interface ProjectFixture {
  id: string;
  name: string;
  api_key: string;
  created_at?: string | undefined;
  updated_at?: string | undefined;
  [records: string]: unknown;
}

export interface FixtureDocument {
  projects: ProjectFixture[];
}

export class FixtureError extends Error {
  override name = 'FixtureError';
}

type FixtureRecord = { id: string; created_at?: string; updated_at?: string } & Record<string, unknown>;

/** Names the record an issue is about: `projects[0] "Demo Project" > customers[1] (c1000000-…)`. */
function describePath(doc: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const record = (node ?? {}) as { id?: unknown; name?: unknown };
      const label = typeof record.name === 'string' ? ` "${record.name}"` : '';
      const id = typeof record.id === 'string' ? ` (${record.id})` : '';
      parts.push(`${parts.pop() ?? ''}[${key}]${label}${id}`);
    } else {
      parts.push(String(key));
    }
  }
  return parts.join(' > ') || '(document)';
}

/**
 * Projects listed more than once (in several files of a folder, or twice in one document) are one
 * project: each family can keep its records in a file of its own. Lists are joined, other fields
 * must agree.
 */
function mergeProjects(projects: unknown[]): unknown[] {
  const byId = new Map<unknown, Record<string, unknown>>();
  const out: unknown[] = [];
  for (const project of projects) {
    const id = (project as { id?: unknown } | null)?.id;
    const first = id === undefined ? undefined : byId.get(id);
    if (!first || typeof project !== 'object' || project === null || Array.isArray(project)) {
      const copy = project !== null && typeof project === 'object' && !Array.isArray(project) ? { ...project } : project;
      if (id !== undefined && copy !== project) byId.set(id, copy as Record<string, unknown>);
      out.push(copy);
      continue;
    }
    for (const [key, value] of Object.entries(project)) {
      const before = first[key];
      if (before === undefined) first[key] = value;
      else if (Array.isArray(before) && Array.isArray(value)) first[key] = [...before, ...value];
      else if (JSON.stringify(before) !== JSON.stringify(value)) {
        throw new FixtureError(`Invalid fixtures: project ${String(id)} is listed more than once with different values of "${key}"`);
      }
    }
  }
  return out;
}

/** Where a fixture record is, for error messages: `projects[0] "Demo Project" (1111…) > customers[2] (c100…)`. */
function at<T>(where: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw new FixtureError(`Cannot seed fixtures: ${where}: ${(err as Error).message}`);
  }
}

/** A record of one family in the fixtures, as the tests' seed helper lists them. */
export interface SeedRecord {
  /** The family (app.repos key). */
  kind: keyof Repositories;
  id: string;
  projectId: string;
  /** The record it is nested in (undefined for top-level records). */
  parentId: string | undefined;
  record: FixtureRecord;
}

/** The fixtures format of an app: the document schema built from its families' parts, and the walks over it. */
export function createFixtureFormat(resources: readonly Resource[]) {
  const parts = resources.filter((r) => r.fixtures !== undefined);
  const childrenOf = (parent: string | undefined) => parts.filter((r) => r.fixtures!.parent === parent);

  const withChildren = (schema: z.ZodObject, family: string | undefined): z.ZodObject =>
    schema.extend(Object.fromEntries(childrenOf(family).map((c) => [c.fixtures!.key, listOf(c)]))).strict();
  const listOf = (c: Resource): z.ZodType => {
    const part = c.fixtures!;
    const records = z.array(withChildren(part.schema.extend(stamps), c.name));
    const checked = part.siblings ? records.refine(part.siblings.check, { message: part.siblings.message }) : records;
    return checked.default([]);
  };
  const ProjectRoot = withChildren(Project.extend({ ...stamps, api_key: z.string().min(1) }), undefined);
  const Document = z.strictObject({ projects: z.array(ProjectRoot) });

  /** Calls `visit` for every record below `parent`, depth first, parents before their children, in RESOURCES order. */
  const walk = (
    parent: FixtureRecord, family: string | undefined, where: string,
    visit: (c: Resource, record: FixtureRecord, parent: FixtureRecord, where: string) => void,
  ) => {
    for (const c of childrenOf(family)) {
      const key = c.fixtures!.key;
      ((parent[key] ?? []) as FixtureRecord[]).forEach((record, i) => {
        const here = `${where} > ${key}[${i}] (${record.id})`;
        visit(c, record, parent, here);
        walk(record, c.name, here, visit);
      });
    }
  };

  const format = {
    /** Parses and validates one fixtures document; `source` names it in errors. */
    parse(input: unknown, source: string): FixtureDocument {
      const projects = (input as { projects?: unknown } | null)?.projects;
      const raw = Array.isArray(projects) ? { ...(input as object), projects: mergeProjects(projects) } : input;
      // Parsed once per start: zod's compiled fast path would cost more to build than it saves.
      const result = Document.safeParse(raw, { jitless: true });
      if (!result.success) {
        const lines = result.error.issues.slice(0, 10).map((issue) => `  ${describePath(raw, issue.path)}: ${issue.message}`);
        throw new FixtureError(`Invalid fixtures in ${source}:\n${lines.join('\n')}`);
      }
      return result.data as FixtureDocument;
    },

    /**
     * Reads a fixtures file, or every *.json file of a folder in name order, into one document (a
     * project in several files is one project: see mergeProjects).
     */
    read(path: string): FixtureDocument {
      let files: string[];
      try {
        files = statSync(path).isDirectory()
          ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
          : [path];
      } catch (err) {
        throw new FixtureError(`Cannot read fixtures at ${path}: ${(err as Error).message}`);
      }
      const projects = files.flatMap((file) => {
        let raw: unknown;
        try {
          raw = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          throw new FixtureError(`Cannot read fixtures file ${file}: ${(err as Error).message}`);
        }
        const list = (raw as { projects?: unknown } | null)?.projects;
        // A file that is not a document is reported on its own; documents are validated together.
        if (!Array.isArray(list)) format.parse(raw, basename(file));
        return list as unknown[];
      });
      return format.parse({ projects }, files.length === 1 ? basename(files[0]!) : `${path} (${files.map((f) => basename(f)).join(', ')})`);
    },

    /**
     * Writes a fixture project's records under `projectId`: the project's own ID, or a sandbox's,
     * which then holds copies under the same record IDs. Call inside a transaction.
     */
    insertRecords(repos: Repositories, clock: Clock, projectId: string, p: ProjectFixture, where: string): void {
      const now = clock.iso();
      walk(p as FixtureRecord, undefined, where, (c, record, parent, here) => {
        const created_at = record.created_at ?? now;
        const stamped = { ...record, created_at, updated_at: record.updated_at ?? created_at };
        at(here, () => c.fixtures!.insert(repos[c.name], stamped, { projectId, parent, now }));
      });
    },

    /** Writes one fixture project and its records. Call inside a transaction. */
    insertProject(repos: Repositories, clock: Clock, p: ProjectFixture, apiKey: string, where: string): void {
      const created_at = p.created_at ?? clock.iso();
      at(where, () => repos.projects.insert({ id: p.id, name: p.name, apiKey, origin: 'fixtures', created_at, updated_at: p.updated_at ?? created_at }));
      format.insertRecords(repos, clock, p.id, p, where);
    },

    /**
     * Inserts the fixtures in one transaction: all of them or, on the first bad record, none.
     * `keys` replaces API keys by project ID (KAPSO_MOCK_API_KEY).
     */
    seed(db: Db, repos: Repositories, clock: Clock, doc: FixtureDocument, keys: ReadonlyMap<string, string> = new Map()): void {
      db.transaction(() => {
        doc.projects.forEach((p, pi) => format.insertProject(repos, clock, p, keys.get(p.id) ?? p.api_key, `projects[${pi}] "${p.name}" (${p.id})`));
      })();
    },

    /** Every record of the document with its family, project and parent (the tests' seed helper). */
    records(doc: FixtureDocument): SeedRecord[] {
      const out: SeedRecord[] = [];
      for (const p of doc.projects) {
        walk(p as FixtureRecord, undefined, '', (c, record, parent) => {
          out.push({ kind: c.name, id: record.id, projectId: p.id, parentId: parent === (p as FixtureRecord) ? undefined : parent.id, record });
        });
      }
      return out;
    },
  };
  return format;
}

export type FixtureFormat = ReturnType<typeof createFixtureFormat>;
