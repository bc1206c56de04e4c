// /__admin/projects: isolated sandbox projects, so parallel test runs can share one server.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { errors, NoContent } from '../../lib/schemas.js';
import { adminTags as tags } from '../schemas.js';
import { ProjectIdParams, ProjectListResponse, SandboxBody, SandboxResponse } from './schemas.js';

export const projectAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { state, repos } = app;

  app.post('/projects', {
    schema: {
      operationId: 'adminCreateProject', tags, summary: 'Create a sandbox project with its own API key',
      description: 'Optionally seeded with copies of a fixture project\'s records, under the same record IDs. The key is only shown here.',
      body: SandboxBody,
      response: { 201: SandboxResponse, ...errors(400, 401, 422) },
    },
  }, async (request, reply) => {
    const { name, api_key, seed } = request.body;
    const fixtures = state.fixtures().projects;
    const seedFrom = seed === true ? fixtures[0]?.id : typeof seed === 'string' ? seed : undefined;
    if (seed === true && seedFrom === undefined) throw validationFailed('seed: there are no fixture projects to copy');
    if (seedFrom !== undefined && !fixtures.some((p) => p.id === seedFrom)) throw validationFailed('seed must be true or the ID of a fixture project');
    const { project, apiKey } = state.createSandbox({ name, apiKey: api_key, seedFrom });
    return reply.code(201).send({ data: { ...project, api_key: apiKey } });
  });

  app.get('/projects', {
    schema: {
      operationId: 'adminListProjects', tags, summary: 'List every project and where it came from',
      response: { 200: ProjectListResponse, ...errors(401) },
    },
  }, async () => ({ data: repos.projects.list() }));

  app.delete('/projects/:project_id', {
    schema: {
      operationId: 'adminDeleteProject', tags, summary: 'Delete a project and everything in it',
      params: ProjectIdParams,
      response: { 204: NoContent, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    if (!repos.projects.delete(request.params.project_id)) throw notFound('Project');
    return reply.code(204).send(null);
  });
};
