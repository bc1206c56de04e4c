// /__admin/sandbox_sessions: what the developer's phone does to a Kapso WhatsApp sandbox session
// (sending its activation code to the sandbox number). Not the mock's sandbox projects (/__admin/projects).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { SandboxSessionResponse } from '../../resources/sandbox-sessions/schemas.js';
import { projectScope } from '../project-scope.js';
import { ProjectQuery } from '../flows/schemas.js';
import { adminTags } from '../schemas.js';

const Params = z.object({ id: z.string() });
const Body = z.object({ project_id: z.string().optional().meta({ description: 'The project holding the session (as the query parameter)' }) });

export const sandboxSessionAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { sandboxSessions } = app.repos;
  const r = routes(app, adminTags);
  const scope = projectScope(app);

  r.post('/sandbox_sessions/:id/activate', {
    operationId: 'adminActivateSandboxSession', summary: 'Activate a WhatsApp sandbox session',
    description: 'As if the bound phone sent the activation code to the sandbox number: pending_activation -> active, activated_at set. '
      + 'A session past its expires_at, or already active, answers 422. The project comes from project_id, else X-API-Key, '
      + 'else the only project holding the ID.',
    params: Params, query: ProjectQuery, body: Body, response: SandboxSessionResponse, status: 200,
  }, async (request) => {
    const { id } = request.params;
    const projectId = scope.forRecord(request, 'Sandbox session', id, sandboxSessions.projectsHolding);
    const result = sandboxSessions.activate(projectId, id);
    switch (result.outcome) {
      case 'missing': throw notFound('Sandbox session');
      case 'already_active': throw validationFailed('The sandbox session is already active');
      case 'expired': throw validationFailed(`The sandbox session expired at ${result.session.expires_at}: create a new one`);
      default: return { data: result.session };
    }
  });
};
