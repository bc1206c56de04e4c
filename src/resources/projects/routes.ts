import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { errors } from '../../lib/schemas.js';
import { ProjectParams, ProjectResponse } from './schemas.js';

const tags = ['Projects'];

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { projects } = app.repos;

  app.get('/projects/:project_id', {
    config: { cacheable: true },
    schema: {
      operationId: 'getProject', tags, summary: 'Get project details',
      description: "A key sees only its own project: any other ID is not found.",
      params: ProjectParams,
      response: { 200: ProjectResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    const project = request.params.project_id === request.projectId ? projects.get(request.projectId) : undefined;
    if (!project) throw notFound('Project');
    return { data: project };
  });
};
