// The robustness suite's view of the tests' one operation table (test/helpers/operations.ts) and
// the seeded records (test/helpers/seed.ts): a route added to the API is fuzzed without editing this file.
import { ids, MISSING_ID } from '../../helpers/app.js';
import {
  deref, doc, fillPath, KINDS, label, operationFor, operations, PARAM_KINDS, responseSchema, seededParentOf, type Json, type Method, type Operation,
} from '../../helpers/operations.js';
import { demo, other, seed, type Kind } from '../../helpers/seed.js';

export type Route = Operation;
export type { Json, Kind, Method };
export { deref, doc, fillPath, ids, KINDS, label, MISSING_ID, PARAM_KINDS, responseSchema };

/** Every /api/v1 operation, plus the PUT/PATCH twin the document does not list. */
export const routes: Route[] = operations;
export const writeRoutes = routes.filter((r) => r.method !== 'GET');

/** The route a request reached (for checks on real HTTP traffic), or undefined for an unknown route. */
export const routeFor = operationFor;

/** A project's seeded records by kind. */
export type Pools = Record<Kind, string[]>;

const poolsOf = (projectId: string): Pools =>
  Object.fromEntries((Object.keys(KINDS) as Kind[]).map((kind) => [kind, seed.ids(kind, projectId)])) as Pools;

export const DEMO: Pools = poolsOf(demo.id);
export const OTHER: Pools = poolsOf(other.id);

/** For each seeded record that is only found under its parent (an agent link under its agent): the parent's ID. */
export const PARENT_OF: Record<string, string> = Object.fromEntries(
  seed.records.flatMap((r) => {
    const parent = seededParentOf(r.id);
    return parent === undefined ? [] : [[r.id, parent]];
  }),
);
