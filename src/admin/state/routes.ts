// /__admin reset, snapshots and fixtures: put the whole state where a test needs it.
import { performance } from 'node:perf_hooks';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FixtureError } from '../../db/fixtures.js';
import { invalidFixtures, notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import {
  FixturesBody, FixturesQuery, FixturesResponse, ResetQuery, ResetResponse, SnapshotBody, SnapshotListResponse, SnapshotParams,
  SnapshotResponse,
} from './schemas.js';

export const stateRoutes: FastifyPluginAsyncZod = async (app) => {
  const { state } = app;
  const r = routes(app, adminTags);

  r.post('/reset', {
    operationId: 'adminReset', summary: 'Restore the fixtures',
    description: 'Without project_id: every project back to the fixtures, sandbox and auto-provisioned projects removed. '
      + 'With project_id: that project only (a sandbox goes back to its seed, an auto-provisioned project to empty).',
    query: ResetQuery, response: ResetResponse, status: 200, errors: [401, 404],
  }, async (request) => {
    const started = performance.now();
    const { project_id } = request.query;
    if (project_id === undefined) state.resetAll();
    else if (!state.resetProject(project_id)) throw notFound('Project');
    const took_ms = Math.round((performance.now() - started) * 100) / 100;
    return { data: project_id === undefined ? { scope: 'all' as const, took_ms } : { scope: 'project' as const, project_id, took_ms } };
  });

  r.post('/snapshots', {
    operationId: 'adminCreateSnapshot', summary: 'Save the whole state under a name',
    description: 'Every record of every project. A snapshot with the same name is replaced. Kept in the database, so a file database keeps them across restarts.',
    body: SnapshotBody, response: SnapshotResponse,
  }, async (request) => ({ data: state.snapshot(request.body.name) }));

  r.get('/snapshots', {
    operationId: 'adminListSnapshots', summary: 'List saved snapshots, newest first', response: SnapshotListResponse,
  }, async () => ({ data: state.snapshots() }));

  r.post('/snapshots/:name/restore', {
    operationId: 'adminRestoreSnapshot', summary: 'Bring back a saved state',
    params: SnapshotParams, response: SnapshotResponse, status: 200,
  }, async (request) => {
    const snapshot = state.restore(request.params.name);
    if (!snapshot) throw notFound('Snapshot');
    return { data: snapshot };
  });

  r.delete('/snapshots/:name', {
    operationId: 'adminDeleteSnapshot', summary: 'Delete a saved snapshot', params: SnapshotParams,
  }, async (request) => {
    if (!state.deleteSnapshot(request.params.name)) throw notFound('Snapshot');
  });

  r.post('/fixtures', {
    operationId: 'adminLoadFixtures', summary: 'Load a fixtures document',
    description: 'Same format and validation as the fixtures/ files. The loaded projects join the fixtures that reset restores.',
    query: FixturesQuery, body: FixturesBody, response: FixturesResponse, status: 200,
  }, async (request) => {
    try {
      const doc = app.fixtureFormat.parse(request.body, 'the request body');
      state.loadFixtures(doc, request.query.mode);
      return { data: { mode: request.query.mode, project_ids: doc.projects.map((p) => p.id) } };
    } catch (err) {
      if (err instanceof FixtureError) throw invalidFixtures(err.message);
      throw err;
    }
  });
};
