// WhatsApp Calling: the calls list (Kapso's own records), the call actions (connect, pre_accept,
// accept, reject, terminate) and the call permission state of a user.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphInvalidParameter } from '../../../errors.js';
import { PhoneNumberText } from '../../../resources/blocked-users/schemas.js';
import type { CallRecord } from '../../../resources/calls/schemas.js';
import { CALL_DIRECTIONS, CALL_STATUSES } from '../../../resources/calls/schemas.js';
import type { ConfigRecord } from '../../../resources/whatsapp-configs/repository.js';
import { parseTimeFilter } from '../../../lib/time.js';
import { graphRoutes, lookups } from '../context.js';
import { pick, requestedFields } from '../fields.js';
import { CursorQuery, FieldsQuery, MessagingProduct, Paging, pagingOf, PhoneParams } from '../schemas.js';

const nullableTime = z.string().nullable().meta({ format: 'date-time' });

export const WhatsappCall = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    call_id: z.string().optional(),
    direction: z.enum(CALL_DIRECTIONS).optional(),
    status: z.enum(CALL_STATUSES).optional(),
    duration_seconds: z.number().int().nullable().optional(),
    started_at: nullableTime.optional(),
    ended_at: nullableTime.optional(),
    session_started_at: nullableTime.optional(),
    created_at: z.string().meta({ format: 'date-time' }).optional(),
    updated_at: z.string().meta({ format: 'date-time' }).optional(),
    user_wa_id: z.string().nullable().optional(),
    business_scoped_user_id: z.string().nullable().optional(),
    parent_business_scoped_user_id: z.string().nullable().optional(),
    username: z.string().nullable().optional(),
    whatsapp_contact_id: z.string().nullable().optional(),
    whatsapp_conversation_id: z.string().nullable().optional(),
    project_id: z.string().meta({ format: 'uuid' }),
    whatsapp_config_id: z.string().meta({ format: 'uuid' }),
    config_display_name: z.string().nullable().optional(),
    config_display_phone_number: z.string().nullable().optional(),
    phone_number_id: z.string(),
    whatsapp_contact: z.object({ id: z.string(), wa_id: z.string(), profile_name: z.string(), display_name: z.string() }).partial().nullable().optional(),
    whatsapp_conversation: z.object({
      id: z.string(), phone_number: z.string(), status: z.string(), last_active_at: z.string().meta({ format: 'date-time' }),
    }).partial().nullable().optional(),
  })
  .meta({ id: 'WhatsappCall' });

const CALL_FIELDS = [
  'id', 'call_id', 'direction', 'status', 'duration_seconds', 'started_at', 'ended_at', 'session_started_at', 'created_at', 'updated_at',
  'user_wa_id', 'business_scoped_user_id', 'parent_business_scoped_user_id', 'username', 'whatsapp_contact_id', 'whatsapp_conversation_id',
  'project_id', 'whatsapp_config_id', 'config_display_name', 'config_display_phone_number', 'phone_number_id', 'whatsapp_contact',
  'whatsapp_conversation',
] as const;
/** Kapso's calls always name themselves and their number, whatever `fields` asks. */
const ALWAYS = ['id', 'project_id', 'whatsapp_config_id', 'phone_number_id'];

const time = (description: string) =>
  z.string().refine((s) => parseTimeFilter(s, 'start') !== undefined, { message: 'must be an ISO 8601 time' }).optional().meta({ format: 'date-time', description });

const Session = z.object({
  sdp_type: z.enum(['offer', 'answer']).meta({ description: '"offer" for connect, "answer" for pre_accept and accept.' }),
  sdp: z.string().min(1).meta({ description: 'Session description (RFC 8866).' }),
});

const Action = z.object({
  messaging_product: MessagingProduct,
  action: z.enum(['connect', 'pre_accept', 'accept', 'reject', 'terminate']),
  to: PhoneNumberText.optional().meta({ description: 'The user to call (connect).' }),
  recipient: z.string().optional().meta({ description: 'A business-scoped user ID: the mock has none, so connect needs `to`.' }),
  call_id: z.string().min(1).optional().meta({ description: 'The call (pre_accept, accept, reject, terminate).' }),
  session: Session.optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
});

export const callRoutes: FastifyPluginAsyncZod = async (app) => {
  const { calls, phoneNumbers } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Calls']);

  const toCall = (projectId: string, config: ConfigRecord, displayNumber: string, c: CallRecord): z.input<typeof WhatsappCall> => ({
    id: c.id, call_id: c.call_id, direction: c.direction, status: c.status, duration_seconds: c.duration_seconds,
    started_at: c.started_at, ended_at: c.ended_at, session_started_at: c.session_started_at, created_at: c.created_at, updated_at: c.updated_at,
    user_wa_id: c.user_wa_id, business_scoped_user_id: null, parent_business_scoped_user_id: null, username: null,
    // Contacts and conversations come with the inbox: until then a call links to neither.
    whatsapp_contact_id: null, whatsapp_conversation_id: null, whatsapp_contact: null, whatsapp_conversation: null,
    project_id: projectId, whatsapp_config_id: config.id, config_display_name: config.name, config_display_phone_number: displayNumber,
    phone_number_id: config.phone_number_id,
  });

  r.get('/:phone_number_id/calls', {
    operationId: 'listCalls', summary: 'List calls',
    description: 'The number\'s calls, newest first, by cursor; since and until bound started_at.',
    params: PhoneParams,
    query: z.object({
      direction: z.enum(CALL_DIRECTIONS).optional(),
      status: z.enum(CALL_STATUSES).optional(),
      since: time('Calls started at or after this time.'),
      until: time('Calls started at or before this time.'),
      call_id: z.string().optional().meta({ description: 'Only this call (the SDK\'s calls.get).' }),
      ...CursorQuery,
      fields: FieldsQuery,
    }),
    response: z.object({ data: z.array(WhatsappCall), paging: Paging }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const q = request.query;
    const fields = requestedFields(q.fields, CALL_FIELDS, 'WhatsappCall', CALL_FIELDS);
    const page = calls.list(request.projectId, config.id, {
      'q[direction_eq]': q.direction, 'q[status_eq]': q.status, 'q[call_id_eq]': q.call_id,
      'q[started_at_gteq]': q.since, 'q[started_at_lteq]': q.until, limit: q.limit, after: q.after, before: q.before,
    });
    const display = phoneNumbers.get(request.projectId, config).display_phone_number;
    return {
      data: page.rows.map((c) => pick(toCall(request.projectId, config, display, c), fields, ALWAYS) as z.input<typeof WhatsappCall>),
      paging: pagingOf(page),
    };
  });

  r.post('/:phone_number_id/calls', {
    operationId: 'performCallAction', summary: 'Perform call action',
    description: 'connect places a business-initiated call (the user\'s permission needed); pre_accept, accept and reject answer a '
      + 'ringing inbound call; terminate ends a call that is going on.',
    params: PhoneParams, body: Action,
    response: z.object({ messaging_product: MessagingProduct, success: z.boolean().optional(), calls: z.array(z.object({ id: z.string() })).optional() }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const b = request.body;
    const { projectId } = request;
    const sdp = (type: 'offer' | 'answer', required: boolean) => {
      if (!b.session) {
        if (required) throw graphInvalidParameter(`session is required for ${b.action}`);
      } else if (b.session.sdp_type !== type) throw graphInvalidParameter(`session.sdp_type must be "${type}" for ${b.action}`);
    };
    const callId = () => {
      if (b.call_id === undefined) throw graphInvalidParameter(`call_id is required for ${b.action}`);
      return b.call_id;
    };
    if (b.action === 'connect') {
      if (b.to === undefined) throw graphInvalidParameter('to is required for connect (the mock has no business-scoped user IDs for `recipient`)');
      sdp('offer', false);
      const call = calls.connect(projectId, config, b.to, b.biz_opaque_callback_data);
      return { messaging_product: 'whatsapp' as const, calls: [{ id: call.call_id }] };
    }
    if (b.action === 'pre_accept') {
      sdp('answer', true);
      calls.preAccept(projectId, config.id, callId());
    } else if (b.action === 'accept') {
      sdp('answer', true);
      calls.accept(projectId, config.id, callId(), b.biz_opaque_callback_data);
    } else if (b.action === 'reject') {
      calls.reject(projectId, config.id, callId());
    } else {
      calls.terminate(projectId, config.id, callId());
    }
    return { messaging_product: 'whatsapp' as const, success: true };
  });

  r.get('/:phone_number_id/call_permissions', {
    operationId: 'getCallPermissions', summary: 'Get call permission state',
    description: 'Whether the number may call the user now (a temporary permission that has not expired on the mock\'s clock), '
      + 'and the limits on calling and on asking for permission.',
    params: PhoneParams,
    query: z.object({ user_wa_id: PhoneNumberText.meta({ description: 'The user\'s phone number.' }) }),
    response: z.object({
      messaging_product: MessagingProduct,
      permission: z.object({ status: z.enum(['no_permission', 'temporary']), expiration_time: z.number().int().optional() }),
      actions: z.array(z.object({
        action_name: z.enum(['send_call_permission_request', 'start_call']),
        can_perform_action: z.boolean(),
        limits: z.array(z.object({
          time_period: z.string(), max_allowed: z.number().int(), current_usage: z.number().int(), limit_expiration_time: z.number().int().optional(),
        })),
      })),
    }),
    errors: [400, 401, 404, 429],
    // The answer changes as time passes (a permission expires, a limit lifts).
    cache: false,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const { status, expiration_time, actions } = calls.permission(request.projectId, config.id, request.query.user_wa_id);
    return { messaging_product: 'whatsapp' as const, permission: { status, ...(expiration_time !== undefined && { expiration_time }) }, actions };
  });
};
