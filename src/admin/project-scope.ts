// Which project a control-plane call acts on (docs/behaviour.md "Control plane and projects").
// Records are keyed by project and ID, and sandbox projects may hold copies of the fixtures under
// the same IDs, so a route that names a record (a message, a conversation, an execution, a
// webhook delivery) takes its project, in this order, from:
//   1. `project_id` in the body or the query string (a project that does not exist is 404),
//   2. an `X-API-Key` header (the key's project; an unknown key is 422),
//   3. the one project that holds the record (none: the record's 404; several: 422 naming them).
// A call that names no record (an inbound message to "the project's first config") falls back to
// the first fixture project, the Demo Project.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, validationFailed } from '../errors.js';

export interface ProjectScope {
  /** The project of a call about record `id` of a kind (`what` names it in errors: "WhatsApp message"). */
  forRecord(request: FastifyRequest, what: string, id: string, holders: (id: string) => string[]): string;
  /** The project of a call that names no record: project_id, X-API-Key, else the first fixture project. */
  forCall(request: FastifyRequest): string;
  /** The project the call names (project_id or X-API-Key), if it names one. */
  named(request: FastifyRequest): string | undefined;
  /** The projects holding a record of `table` with an ID (for tables whose repository has no such lookup). */
  holdersIn(table: string): (id: string) => string[];
}

/** A record's name inside a sentence: "Flow execution" -> "flow execution", "WhatsApp message" stays. */
const inSentence = (what: string) => {
  const [first = '', ...rest] = what.split(' ');
  return [/[A-Z]/.test(first.slice(1)) ? first : first.toLowerCase(), ...rest].join(' ');
};

const field = (source: unknown): unknown =>
  source !== null && typeof source === 'object' ? (source as { project_id?: unknown }).project_id : undefined;

export function projectScope(app: FastifyInstance): ProjectScope {
  const { repos, state } = app;

  const named = (request: FastifyRequest): string | undefined => {
    const given = field(request.body) ?? field(request.query);
    if (typeof given === 'string' && given !== '') {
      if (!repos.projects.get(given)) throw notFound('Project');
      return given;
    }
    const key = request.headers['x-api-key'];
    if (typeof key === 'string' && key !== '') {
      const id = repos.projects.idForKey(key);
      if (id === undefined) throw validationFailed('X-API-Key belongs to no project');
      return id;
    }
    return undefined;
  };

  const byTable = new Map<string, (id: string) => string[]>();
  return {
    named,

    holdersIn(table) {
      let holders = byTable.get(table);
      if (!holders) {
        // The table name comes from code, never from a request.
        const statement = app.db.prepare<[string], string>(`SELECT project_id FROM "${table}" WHERE id = ? ORDER BY project_id LIMIT 10`).pluck();
        holders = (id) => statement.all(id);
        byTable.set(table, holders);
      }
      return holders;
    },

    forRecord(request, what, id, holders) {
      const project = named(request);
      if (project !== undefined) return project;
      const found = holders(id);
      if (found.length === 0) throw notFound(what);
      if (found.length > 1) {
        throw validationFailed(`${found.length} projects hold ${inSentence(what)} ${id}: give project_id (one of ${found.join(', ')}) or their X-API-Key`);
      }
      return found[0]!;
    },

    forCall(request) {
      const project = named(request) ?? state.fixtures().projects[0]?.id;
      if (project === undefined || !repos.projects.get(project)) throw notFound('Project');
      return project;
    },
  };
}
