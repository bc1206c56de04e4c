// The seeded records, read from fixtures/ through the app's own fixtures format: tests take IDs
// from here (by family, by project, by name) and never keep copies of them.
import { fixtureFormat } from '../../src/app.js';
import { DEFAULT_FIXTURES } from '../../src/config.js';
import type { SeedRecord } from '../../src/db/fixtures.js';
import type { Repositories } from '../../src/lib/resource.js';

/** A family (an app.repos key); `projects` are the fixture projects themselves. */
export type Kind = keyof Repositories;

export const fixtures = fixtureFormat.read(DEFAULT_FIXTURES);
const records: SeedRecord[] = fixtureFormat.records(fixtures);

/** The fixture project with this name. */
export function project(name: string) {
  const p = fixtures.projects.find((x) => x.name === name);
  if (!p) throw new Error(`no fixture project named ${name}`);
  return p;
}

export const demo = project('Demo Project');
export const other = project('Other Project');

export const seed = {
  /** Every record of the fixtures with its family, project and parent. */
  records,

  /** IDs of a project's records of one family, in fixture order. */
  ids(kind: Kind, projectId: string): string[] {
    if (kind === 'projects') return fixtures.projects.some((p) => p.id === projectId) ? [projectId] : [];
    return records.filter((r) => r.kind === kind && r.projectId === projectId).map((r) => r.id);
  },

  /** How many records of one family the fixtures hold, in every project. */
  total(kind: Kind): number {
    return kind === 'projects' ? fixtures.projects.length : records.filter((r) => r.kind === kind).length;
  },

  /** How many records of one family a project has. */
  count(kind: Kind, projectId: string): number {
    return seed.ids(kind, projectId).length;
  },

  /** The one record of a family that matches (by `name`, or by a predicate); throws when none or several do. */
  find(kind: Kind, match: string | ((record: Record<string, unknown>) => boolean)): SeedRecord {
    const test = typeof match === 'string' ? (r: Record<string, unknown>) => r.name === match : match;
    const found = records.filter((r) => r.kind === kind && test(r.record));
    if (found.length !== 1) throw new Error(`${found.length} ${kind} fixtures match ${String(match)}`);
    return found[0]!;
  },

  /** The ID of the record a record is nested in (an agent link's agent). */
  parentOf(id: string): string | undefined {
    return records.find((r) => r.id === id)?.parentId;
  },

  /** Every ID of a project: the project and all its records. */
  allIds(projectId: string): string[] {
    return [projectId, ...records.filter((r) => r.projectId === projectId).map((r) => r.id)];
  },
};
