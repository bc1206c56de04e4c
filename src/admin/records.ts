// Which project a control-plane route that names a record acts on (docs/behaviour.md "Control plane
// and projects"): the `project_id` given (body or query), else the project of the X-API-Key
// header, else the one project that holds a record with that ID (422 naming the choice when
// several do, as sandboxes copy the fixtures' IDs).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, validationFailed } from '../errors.js';

export interface RecordKind {
  /** The table holding the records (a name from code, never from the request). */
  table: string;
  /** How the 404 names the record: `Test run`. */
  what: string;
}

export function projectOfRecord(app: FastifyInstance, request: FastifyRequest, kind: RecordKind, id: string): string {
  const given = [(request.body as { project_id?: unknown } | undefined)?.project_id, (request.query as { project_id?: unknown } | undefined)?.project_id]
    .find((v) => typeof v === 'string');
  if (typeof given === 'string') {
    if (!app.repos.projects.get(given)) throw notFound('Project');
    return given;
  }
  const key = request.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') {
    const projectId = app.repos.projects.idForKey(key);
    if (projectId === undefined) throw validationFailed('X-API-Key is not the key of a project');
    return projectId;
  }
  const holders = app.db.prepare(`SELECT project_id FROM "${kind.table}" WHERE id = ? LIMIT 2`).pluck().all(id) as string[];
  if (holders.length === 0) throw notFound(kind.what);
  if (holders.length > 1) {
    throw validationFailed(`Several projects hold ${kind.what.toLowerCase()} ${id}: give project_id (body or query) or an X-API-Key header`);
  }
  return holders[0]!;
}
