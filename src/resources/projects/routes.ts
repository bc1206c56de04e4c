import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { ProjectParams, ProjectResponse } from './schemas.js';

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { projects } = app.repos;
  const r = routes(app, ['Projects']);

  r.get('/projects/:project_id', {
    operationId: 'getProject', summary: 'Get project details',
    description: 'A key sees only its own project: any other ID is not found.',
    params: ProjectParams, response: ProjectResponse,
  }, async (request) => {
    const project = request.params.project_id === request.projectId ? projects.get(request.projectId) : undefined;
    if (!project) throw notFound('Project');
    return { data: project };
  });
};
