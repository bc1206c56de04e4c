// /__admin/projects: isolated sandbox projects, so parallel test runs can share one server.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { ProjectDetailResponse, ProjectIdParams, ProjectListResponse, SandboxBody, SandboxResponse } from './schemas.js';

export const projectAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { state, repos } = app;
  const r = routes(app, adminTags);

  r.post('/projects', {
    operationId: 'adminCreateProject', summary: 'Create a sandbox project with its own API key',
    description: 'Optionally seeded with copies of a fixture project\'s records, under the same record IDs. The key is only shown here.',
    body: SandboxBody, response: SandboxResponse,
  }, async (request) => {
    const { name, api_key, seed } = request.body;
    const fixtures = state.fixtures().projects;
    const seedFrom = seed === true ? fixtures[0]?.id : typeof seed === 'string' ? seed : undefined;
    if (seed === true && seedFrom === undefined) throw validationFailed('seed: there are no fixture projects to copy');
    if (seedFrom !== undefined && !fixtures.some((p) => p.id === seedFrom)) throw validationFailed('seed must be true or the ID of a fixture project');
    const { project, apiKey } = state.createSandbox({ name, apiKey: api_key, seedFrom });
    return { data: { ...project, api_key: apiKey } };
  });

  r.get('/projects', {
    operationId: 'adminListProjects', summary: 'List every project and where it came from', response: ProjectListResponse,
  }, async () => ({ data: repos.projects.list() }));

  r.get('/projects/:project_id', {
    operationId: 'adminGetProject', summary: 'One project, with its API key where the mock knows it',
    description: "A fixture project's key (its fixtures', or KAPSO_MOCK_API_KEY for the first); a sandbox or auto-provisioned project's key is stored "
      + 'as a hash and was shown only when the project was made: api_key is null.',
    params: ProjectIdParams, response: ProjectDetailResponse,
  }, async (request) => {
    const project = repos.projects.summary(request.params.project_id);
    if (!project) throw notFound('Project');
    return { data: { ...project, api_key: state.knownKey(project.id) ?? null } };
  });

  r.delete('/projects/:project_id', {
    operationId: 'adminDeleteProject', summary: 'Delete a project and everything in it', params: ProjectIdParams,
  }, async (request) => {
    if (!repos.projects.delete(request.params.project_id)) throw notFound('Project');
  });
};
