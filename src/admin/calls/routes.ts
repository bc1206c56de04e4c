// /__admin/calls and /__admin/call_permissions: the WhatsApp user's side of calling, which the
// Meta proxy cannot do: a user calls a business number (it rings), answers or hangs up a
// business-initiated call, or lets a number call them. The project is the body's project_id, else
// the X-API-Key header's, else the only project that has the phone number (or call).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { waDigits } from '../../resources/blocked-users/schemas.js';
import type { CallRecord } from '../../resources/calls/schemas.js';
import type { ConfigRecord } from '../../resources/whatsapp-configs/repository.js';
import { adminTags } from '../schemas.js';
import { AdminCallResponse, CallStatusBody, CallStatusParams, PermissionBody, PermissionResponse, RingBody } from './schemas.js';

export const callAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { repos, clock } = app;
  const r = routes(app, adminTags);

  /** The project the request means, among those that hold the record (`what` names it in errors). */
  const projectFor = (request: FastifyRequest, given: string | undefined, holders: string[], what: string, missing: string): string => {
    const key = request.headers['x-api-key'];
    const chosen = given ?? (typeof key === 'string' && key !== '' ? repos.projects.idForKey(key) ?? '' : undefined);
    if (chosen !== undefined) {
      if (!holders.includes(chosen)) throw notFound(missing);
      return chosen;
    }
    if (holders.length === 0) throw notFound(missing);
    if (holders.length > 1) throw validationFailed(`${what} is in ${holders.length} projects: give project_id or an X-API-Key`);
    return holders[0]!;
  };
  const phoneIn = (request: FastifyRequest, phoneNumberId: string, given: string | undefined): { projectId: string; config: ConfigRecord } => {
    const projectId = projectFor(request, given, repos.whatsappConfigs.projectsWithPhoneNumber(phoneNumberId), `Phone number ${phoneNumberId}`, 'WhatsApp configuration');
    return { projectId, config: repos.whatsappConfigs.byPhoneNumberId(projectId, phoneNumberId)! };
  };
  const view = (projectId: string, phoneNumberId: string, c: CallRecord) => ({
    id: c.id, project_id: projectId, phone_number_id: phoneNumberId, call_id: c.call_id, direction: c.direction, status: c.status,
    user_wa_id: c.user_wa_id, started_at: c.started_at, session_started_at: c.session_started_at, ended_at: c.ended_at, duration_seconds: c.duration_seconds,
  });

  r.post('/calls', {
    operationId: 'adminRingCall', summary: 'A WhatsApp user calls a business number',
    description: 'The call rings on the number (calling must be on): accept, pre_accept or reject it through the Meta proxy. '
      + 'With callback_permission_status ENABLED, the caller lets the number call back for 7 days.',
    body: RingBody, response: AdminCallResponse,
  }, async (request) => {
    const { projectId, config } = phoneIn(request, request.body.phone_number_id, request.body.project_id);
    return { data: view(projectId, config.phone_number_id, repos.calls.ring(projectId, config, request.body.from)) };
  });

  r.post('/calls/:call_id/status', {
    operationId: 'adminSetCallStatus', summary: "Move a call as the user's side would",
    description: 'A business-initiated call rings, is answered (its session starts), completes or fails; an answered call completes (its duration counts from the answer).',
    params: CallStatusParams, body: CallStatusBody, response: AdminCallResponse, status: 200,
  }, async (request) => {
    const { call_id } = request.params;
    const places = repos.calls.locate(call_id);
    const projectId = projectFor(request, request.body.project_id, places.map((p) => p.project_id), `Call ${call_id}`, 'Call');
    const configId = places.find((p) => p.project_id === projectId)!.whatsapp_config_id;
    const call = repos.calls.advance(projectId, configId, call_id, request.body.status);
    const config = repos.whatsappConfigs.get(projectId, configId)!;
    return { data: view(projectId, config.phone_number_id, call) };
  });

  r.post('/call_permissions', {
    operationId: 'adminGrantCallPermission', summary: 'A WhatsApp user lets a business number call them',
    description: 'A temporary permission (7 days unless shorter), as when the user accepts a call permission request.',
    body: PermissionBody, response: PermissionResponse,
  }, async (request) => {
    const { projectId, config } = phoneIn(request, request.body.phone_number_id, request.body.project_id);
    repos.callPermissions.grant(projectId, config.id, request.body.user_wa_id, request.body.expires_in_hours);
    return {
      data: {
        project_id: projectId, phone_number_id: config.phone_number_id, user_wa_id: waDigits(request.body.user_wa_id), status: 'temporary' as const,
        expires_at: new Date(clock.now() + request.body.expires_in_hours * 3600_000).toISOString(),
      },
    };
  });
};
