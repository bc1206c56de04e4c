// Which project a control-plane call about a record means (docs/behaviour.md "Control plane and
// projects"): records are keyed by project and ID, and sandbox projects may hold copies of the
// fixtures under the same IDs. The project comes from project_id (body or query), else from an
// X-API-Key header, else it is the one project holding the ID; when several do, the call must say.
// (Another branch writes the shared helper for this; the lead unifies them.)
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, validationFailed } from '../../errors.js';

export interface ProjectLookup {
  /** project_id from the body or the query, if given. */
  projectId: string | undefined;
  /** The record's ID, and the projects holding a record with it. */
  id: string;
  holders: (id: string) => string[];
  /** How the record is named in the 404: "Flow execution". */
  what: string;
}

export function projectFor(app: FastifyInstance, request: FastifyRequest, lookup: ProjectLookup): string {
  if (lookup.projectId !== undefined) return lookup.projectId;
  const key = request.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') {
    const projectId = app.repos.projects.idForKey(key);
    if (projectId === undefined) throw validationFailed('X-API-Key belongs to no project');
    return projectId;
  }
  const holders = lookup.holders(lookup.id);
  if (holders.length === 0) throw notFound(lookup.what);
  if (holders.length > 1) {
    throw validationFailed(`${holders.length} projects hold ${lookup.what.toLowerCase()} ${lookup.id} (${holders.join(', ')}): give project_id or X-API-Key`);
  }
  return holders[0]!;
}
