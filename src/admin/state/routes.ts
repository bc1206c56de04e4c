// /__admin reset, snapshots and fixtures: put the whole state where a test needs it.
import { performance } from 'node:perf_hooks';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FixtureError } from '../../db/fixtures.js';
import { invalidFixtures, notFound } from '../../errors.js';
import { errors, NoContent } from '../../lib/schemas.js';
import { adminTags as tags } from '../schemas.js';
import {
  FixturesBody, FixturesQuery, FixturesResponse, ResetQuery, ResetResponse, SnapshotBody, SnapshotListResponse, SnapshotParams,
  SnapshotResponse,
} from './schemas.js';

export const stateRoutes: FastifyPluginAsyncZod = async (app) => {
  const { state } = app;

  app.post('/reset', {
    schema: {
      operationId: 'adminReset', tags, summary: 'Restore the fixtures',
      description: 'Without project_id: every project back to the fixtures, sandbox and auto-provisioned projects removed. '
        + 'With project_id: that project only (a sandbox goes back to its seed, an auto-provisioned project to empty).',
      querystring: ResetQuery,
      response: { 200: ResetResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    const started = performance.now();
    const { project_id } = request.query;
    if (project_id === undefined) state.resetAll();
    else if (!state.resetProject(project_id)) throw notFound('Project');
    const took_ms = Math.round((performance.now() - started) * 100) / 100;
    return { data: project_id === undefined ? { scope: 'all' as const, took_ms } : { scope: 'project' as const, project_id, took_ms } };
  });

  app.post('/snapshots', {
    schema: {
      operationId: 'adminCreateSnapshot', tags, summary: 'Save the whole state under a name',
      description: 'Every record of every project. A snapshot with the same name is replaced. Kept in the database, so a file database keeps them across restarts.',
      body: SnapshotBody,
      response: { 201: SnapshotResponse, ...errors(400, 401, 422) },
    },
  }, async (request, reply) => reply.code(201).send({ data: state.snapshot(request.body.name) }));

  app.get('/snapshots', {
    schema: {
      operationId: 'adminListSnapshots', tags, summary: 'List saved snapshots, newest first',
      response: { 200: SnapshotListResponse, ...errors(401) },
    },
  }, async () => ({ data: state.snapshots() }));

  app.post('/snapshots/:name/restore', {
    schema: {
      operationId: 'adminRestoreSnapshot', tags, summary: 'Bring back a saved state',
      params: SnapshotParams,
      response: { 200: SnapshotResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    const snapshot = state.restore(request.params.name);
    if (!snapshot) throw notFound('Snapshot');
    return { data: snapshot };
  });

  app.delete('/snapshots/:name', {
    schema: {
      operationId: 'adminDeleteSnapshot', tags, summary: 'Delete a saved snapshot',
      params: SnapshotParams,
      response: { 204: NoContent, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    if (!state.deleteSnapshot(request.params.name)) throw notFound('Snapshot');
    return reply.code(204).send(null);
  });

  app.post('/fixtures', {
    schema: {
      operationId: 'adminLoadFixtures', tags, summary: 'Load a fixtures document',
      description: 'Same format and validation as the fixtures/ files. The loaded projects join the fixtures that reset restores.',
      querystring: FixturesQuery,
      body: FixturesBody,
      response: { 200: FixturesResponse, ...errors(400, 401, 422) },
    },
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
