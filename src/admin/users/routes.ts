// /__admin/projects/{project_id}/users: the people of a project, whom conversations are assigned to.
// Kapso's API has no users endpoint: a client discovers user IDs from conversation assignments;
// tests and frontends read and add them here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { ProjectParams, UserCreateBody, UserListResponse, UserResponse } from './schemas.js';

export const userAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { projects, projectUsers: users } = app.repos;
  const r = routes(app, adminTags);

  const requireProject = (id: string) => {
    if (!projects.get(id)) throw notFound('Project');
  };

  r.get('/projects/:project_id/users', {
    operationId: 'adminListProjectUsers', summary: "A project's users (assignable when active)",
    params: ProjectParams, response: UserListResponse,
  }, async (request) => {
    requireProject(request.params.project_id);
    return { data: users.list(request.params.project_id) };
  });

  r.post('/projects/:project_id/users', {
    operationId: 'adminCreateProjectUser', summary: 'Add a user to a project',
    description: 'The new user can be given conversation assignments at once. An e-mail address already in the project answers 422.',
    params: ProjectParams, body: UserCreateBody, response: UserResponse,
  }, async (request) => {
    requireProject(request.params.project_id);
    return { data: users.create(request.params.project_id, request.body) };
  });
};
