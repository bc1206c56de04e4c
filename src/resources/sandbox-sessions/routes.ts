import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, unprocessable } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { SandboxSessionList } from './repository.js';
import { SandboxSessionCreateBody, SandboxSessionListResponse, SandboxSessionParams, SandboxSessionResponse } from './schemas.js';

export const sandboxSessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, sandboxSessions } = app.repos;
  const r = routes(app, ['WhatsApp Sandbox']);

  r.get('/sandbox_sessions', {
    operationId: 'listSandboxSessions', summary: 'List sandbox sessions',
    description: 'Kapso\'s WhatsApp sandbox sessions of the project, newest first (not the mock\'s sandbox projects under /__admin/projects).',
    query: SandboxSessionList.query, response: SandboxSessionListResponse,
  }, async (request, reply) => paginate(request, reply, sandboxSessions.list(request.projectId, request.query)));

  r.post('/sandbox_sessions', {
    operationId: 'createSandboxSession', summary: 'Create a sandbox session',
    description: 'Binds a phone number to the shared sandbox number and an agent of the project, pending activation: '
      + 'the phone sends the activation code (in the mock: POST /__admin/sandbox_sessions/{id}/activate). '
      + 'A phone number is bound once per project; the session is valid for 24 hours.',
    body: SandboxSessionCreateBody, response: SandboxSessionResponse,
  }, async (request) => {
    const input = request.body.whatsapp_sandbox_session;
    if (!agents.exists(request.projectId, input.agent_id)) throw unprocessable('Agent must exist');
    return { data: sandboxSessions.create(request.projectId, input) };
  });

  r.get('/sandbox_sessions/:id', {
    operationId: 'getSandboxSession', summary: 'Get sandbox session details',
    params: SandboxSessionParams, response: SandboxSessionResponse,
  }, async (request) => {
    const session = sandboxSessions.get(request.projectId, request.params.id);
    if (!session) throw notFound('Sandbox session');
    return { data: session };
  });
};
