// Conversations and contacts on the Meta proxy (Kapso's extensions): a number's conversations by
// cursor, one conversation (also at /conversations/{id}, where the SDK reads and ends it), thread
// control on shared numbers, and the project's contacts (list, get, update by wa_id). The same
// rows as /api/v1's whatsapp_conversations and whatsapp_contacts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphError, graphInvalidParameter, unknownGraphObject } from '../../../errors.js';
import { normalizePhone } from '../../../lib/phone.js';
import { JsonObject } from '../../../lib/schemas.js';
import type { ProxyContactRow } from '../../../resources/whatsapp-contacts/repository.js';
import type { NumberConversationRow } from '../../../resources/whatsapp-conversations/repository.js';
import { graphRoutes, lookups } from '../context.js';
import { CursorQuery, FieldsQuery, MessagingProduct, Paging, pagingOf, PhoneParams } from '../schemas.js';

const version = PhoneParams.shape.version;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KapsoConversation = z.object({
  contact_name: z.string().nullable(),
  messages_count: z.number().int(),
  last_message_id: z.string().nullable().meta({ description: 'The newest message\'s wamid.' }),
  last_message_type: z.string().nullable(),
  last_message_timestamp: z.string().nullable().meta({ format: 'date-time' }),
  last_message_text: z.string().nullable(),
  last_inbound_at: z.string().nullable().meta({ format: 'date-time' }),
  last_outbound_at: z.string().nullable().meta({ format: 'date-time' }),
});

export const GraphConversation = z
  .object({
    id: z.string(),
    phone_number: z.string().nullable().meta({ description: 'The customer\'s number (digits).' }),
    business_scoped_user_id: z.string().nullable(),
    parent_business_scoped_user_id: z.string().nullable(),
    username: z.string().nullable(),
    status: z.enum(['active', 'ended']),
    last_active_at: z.string().meta({ format: 'date-time' }),
    created_at: z.string().meta({ format: 'date-time' }),
    updated_at: z.string().meta({ format: 'date-time' }),
    whatsapp_config_id: z.string(),
    metadata: JsonObject.nullable(),
    phone_number_id: z.string(),
    kapso: KapsoConversation.optional().meta({ description: 'Left out with fields=kapso().' }),
  })
  .meta({ id: 'GraphConversation' });

export const GraphContact = z
  .object({
    id: z.string(),
    wa_id: z.string().nullable(),
    business_scoped_user_id: z.string().nullable(),
    parent_business_scoped_user_id: z.string().nullable(),
    username: z.string().nullable(),
    profile_name: z.string().optional().meta({ description: 'The WhatsApp profile name; left out when unknown.' }),
    display_name: z.string().optional().meta({ description: 'The name the business gave the contact (PATCH); left out when none.' }),
    metadata: JsonObject.nullable(),
    created_at: z.string().meta({ format: 'date-time' }),
    updated_at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'GraphContact' });

/** `fields` of the conversation and contact routes: `kapso()` leaves the kapso block out; any other value keeps it. */
const withKapso = (fields: string | undefined) => fields === undefined || !/(^|,)\s*kapso\(\s*\)\s*(,|$)/.test(fields);

function conversationView(row: NumberConversationRow, phoneNumberId: string, kapso: boolean): z.input<typeof GraphConversation> {
  const last = row.last_message === null ? undefined : (JSON.parse(row.last_message) as [string, string, string, string, string]);
  return {
    id: row.id,
    phone_number: row.phone_number,
    business_scoped_user_id: null,
    parent_business_scoped_user_id: null,
    username: null,
    status: row.status,
    last_active_at: row.last_active_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    whatsapp_config_id: row.whatsapp_config_id,
    metadata: JSON.parse(row.metadata) as JsonObject,
    phone_number_id: phoneNumberId,
    ...(kapso && {
      kapso: {
        contact_name: row.contact_name,
        messages_count: row.messages_count,
        last_message_id: last?.[1] ?? null,
        last_message_type: last?.[2] ?? null,
        last_message_timestamp: last?.[3] ?? null,
        last_message_text: last?.[4] ?? null,
        last_inbound_at: row.last_inbound_at,
        last_outbound_at: row.last_outbound_at,
      },
    }),
  };
}

const contactView = (row: ProxyContactRow): z.input<typeof GraphContact> => ({
  id: row.id,
  wa_id: row.wa_id,
  business_scoped_user_id: null,
  parent_business_scoped_user_id: null,
  username: null,
  ...(row.profile_name !== null && { profile_name: row.profile_name }),
  ...(row.display_name !== null && { display_name: row.display_name }),
  metadata: JSON.parse(row.metadata) as JsonObject,
  created_at: row.created_at,
  updated_at: row.updated_at,
});

const time = (name: string, v: string | undefined) => {
  if (v !== undefined && Number.isNaN(Date.parse(v))) throw graphInvalidParameter(`${name} must be an ISO 8601 time`);
  return v && new Date(Date.parse(v)).toISOString();
};

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappConversations: conversations, whatsappConfigs: configs } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Conversations']);

  /** A conversation of the caller's project (on this number when one is named), or Meta's unknown object. */
  const conversation = (request: { method: string; projectId: string }, id: string, whatsappConfigId?: string) => {
    const row = UUID.test(id) ? conversations.withSummary(request.projectId, id.toLowerCase()) : undefined;
    if (!row || (whatsappConfigId !== undefined && row.whatsapp_config_id !== whatsappConfigId)) throw unknownGraphObject(request.method, id);
    return row;
  };
  const phoneOf = (projectId: string, configId: string) => configs.get(projectId, configId)!.phone_number_id;

  r.get('/:phone_number_id/conversations', {
    operationId: 'listConversations', summary: 'List conversations',
    description: 'A number\'s conversations by last activity, newest first, by cursor. Filters: status, last_active_since/until, phone_number '
      + '(any spelling). The mock has no assignments on this door: assigned_user_id matches nothing and unassigned=true everything. '
      + '`fields=kapso()` leaves the kapso block out.',
    params: PhoneParams,
    query: z.object({
      status: z.enum(['active', 'ended']).optional(),
      assigned_user_id: z.string().optional().meta({ format: 'uuid', description: 'Matches nothing (no assignments on the proxy).' }),
      unassigned: z.enum(['true', 'false']).optional().meta({ type: 'boolean' }),
      last_active_since: z.string().optional().meta({ format: 'date-time' }),
      last_active_until: z.string().optional().meta({ format: 'date-time' }),
      phone_number: z.string().optional(),
      ...CursorQuery,
      fields: FieldsQuery,
    }),
    response: z.object({ data: z.array(GraphConversation), paging: Paging }),
    errors: [400, 401, 404],
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const q = request.query;
    if (q.assigned_user_id !== undefined && q.unassigned !== undefined) throw graphInvalidParameter('assigned_user_id cannot be combined with unassigned');
    const page = conversations.byNumber(request.projectId, config.id, {
      limit: q.limit, after: q.after, before: q.before,
      'q[status_eq]': q.assigned_user_id !== undefined || q.unassigned === 'false' ? '\u0000none' : q.status,
      'q[last_active_at_gteq]': time('last_active_since', q.last_active_since),
      'q[last_active_at_lteq]': time('last_active_until', q.last_active_until),
      'q[phone_number_eq]': q.phone_number,
    });
    const kapso = withKapso(q.fields);
    return { data: page.rows.map((row) => conversationView(row, config.phone_number_id, kapso)), paging: pagingOf(page) };
  });

  r.get('/:phone_number_id/conversations/:conversation_id', {
    operationId: 'getConversation', summary: 'Get conversation',
    description: 'One of the number\'s conversations; another number\'s or project\'s is an unknown object.',
    params: PhoneParams.extend({ conversation_id: z.string().meta({ description: 'Conversation ID (UUID).' }) }),
    query: z.object({ fields: FieldsQuery }),
    response: GraphConversation,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    return conversationView(conversation(request, request.params.conversation_id, config.id), config.phone_number_id, withKapso(request.query.fields));
  });

  const ConversationParams = z.object({ version, conversation_id: z.string().meta({ description: 'Conversation ID (UUID).' }) });

  r.get('/conversations/:conversation_id', {
    operationId: 'getConversationById', summary: 'Get conversation (by ID alone)',
    description: 'What the SDK\'s conversations.get calls (Kapso\'s spec omits it): the conversation, as getConversation answers it.',
    params: ConversationParams,
    response: GraphConversation,
  }, async (request) => {
    const row = conversation(request, request.params.conversation_id);
    return conversationView(row, phoneOf(request.projectId, row.whatsapp_config_id), true);
  });

  r.route('PATCH', '/conversations/:conversation_id', {
    operationId: 'updateConversationStatus', summary: 'End or reopen a conversation',
    description: 'What the SDK\'s conversations.updateStatus calls (Kapso\'s spec omits it): `{"status": "ended"}` ends the conversation '
      + '(whatsapp.conversation.ended, as on /api/v1), `active` reopens it unless the number has another active one on the config.',
    params: ConversationParams,
    body: z.object({ status: z.enum(['active', 'ended']) }),
    response: GraphConversation,
  }, async (request) => {
    const row = conversation(request, request.params.conversation_id);
    conversations.setStatus(request.projectId, row.id, request.body.status);
    return conversationView(conversations.withSummary(request.projectId, row.id)!, phoneOf(request.projectId, row.whatsapp_config_id), true);
  });

  r.post('/:phone_number_id/thread_control', {
    operationId: 'threadControl', summary: 'Pass, release or take a conversation',
    description: 'Shared numbers: who handles the customer\'s active conversation on the number. `pass` and `release` hand it to another app '
      + '(then regular messages answer 409 thread_not_owner; templates still go), `take` brings it back to Kapso (as a send with '
      + '`X-Kapso-Take-Control: true` does). The customer needs an active conversation on the number.',
    tags: ['Conversations'],
    params: PhoneParams,
    body: z.object({
      messaging_product: MessagingProduct,
      action: z.enum(['take', 'release', 'pass']),
      to: z.string().max(64).optional(),
      recipient: z.string().max(160).optional().meta({ description: 'Business-scoped user IDs are not emulated: give `to`.' }),
      control_pass: z.object({ target_role: z.enum(['escalation', 'ai_agent', 'customer_service', 'marketing', 'utility', 'ctwa']).optional() }).optional(),
      metadata: z.string().max(2000).optional(),
    }),
    response: z.object({ messaging_product: MessagingProduct, request_id: z.string().optional() }),
    errors: [400, 401, 404],
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const { to, action } = request.body;
    if (to === undefined) throw graphInvalidParameter(request.body.recipient === undefined ? "to can't be blank" : 'recipient (a business-scoped user ID) is not emulated: give `to`');
    const phone = normalizePhone(to);
    if (phone === undefined) throw graphInvalidParameter('to is not a valid phone number (7 to 15 digits)');
    const active = conversations.active(request.projectId, config.id, phone);
    if (!active) throw graphError(400, 100, `(#100) ${phone} has no active conversation on this phone number`);
    conversations.setThreadOwner(request.projectId, active.id, action === 'take' ? 'kapso' : 'other');
    return { messaging_product: 'whatsapp' as const, request_id: `tc.${active.id}.${Date.parse(app.clock.iso())}` };
  });
};

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappContacts: contacts } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Contacts']);
  const ContactParams = PhoneParams.extend({ wa_id: z.string().meta({ description: 'The contact\'s WhatsApp ID (phone number, any spelling).' }) });

  const contact = (request: { method: string; projectId: string }, waId: string) => {
    const digits = normalizePhone(waId);
    const row = digits === undefined ? undefined : contacts.proxyByPhone(request.projectId, digits);
    if (!row) throw unknownGraphObject(request.method, waId);
    return row;
  };

  r.get('/:phone_number_id/contacts', {
    operationId: 'listContacts', summary: 'List contacts',
    description: 'The project\'s contacts (every number of the project shares them), newest first, by cursor. Filters: wa_id (any spelling), '
      + 'customer_id, has_customer.',
    params: PhoneParams,
    query: z.object({
      wa_id: z.string().optional(),
      customer_id: z.string().optional(),
      has_customer: z.enum(['true', 'false']).optional().meta({ type: 'boolean' }),
      ...CursorQuery,
      fields: FieldsQuery,
    }),
    response: z.object({ data: z.array(GraphContact), paging: Paging }),
    errors: [400, 401, 404],
  }, async (request) => {
    find.phone(request, request.params.phone_number_id);
    const q = request.query;
    const page = contacts.proxyList(request.projectId, {
      limit: q.limit, after: q.after, before: q.before,
      'q[wa_id_eq]': q.wa_id, 'q[customer_id_eq]': q.customer_id?.toLowerCase(), 'q[has_customer_eq]': q.has_customer,
    });
    return { data: page.rows.map(contactView), paging: pagingOf(page) };
  });

  r.get('/:phone_number_id/contacts/:wa_id', {
    operationId: 'getContact', summary: 'Get contact',
    description: 'A contact by its WhatsApp ID (phone number, any spelling).',
    params: ContactParams,
    response: GraphContact,
  }, async (request) => {
    find.phone(request, request.params.phone_number_id);
    return contactView(contact(request, request.params.wa_id));
  });

  r.route('PATCH', '/:phone_number_id/contacts/:wa_id', {
    operationId: 'updateContact', summary: 'Update contact',
    description: 'What the SDK\'s contacts.update calls (Kapso\'s spec omits it): profile_name, display_name (null clears it) and metadata '
      + '(replaced as a whole); the same contact /api/v1 shows.',
    params: ContactParams,
    body: z.object({
      profile_name: z.string().min(1).max(256).optional(),
      display_name: z.string().max(256).nullable().optional(),
      metadata: JsonObject.optional(),
    }).refine((b) => Object.keys(b).length > 0, { message: 'needs profile_name, display_name or metadata' }),
    response: GraphContact,
  }, async (request) => {
    find.phone(request, request.params.phone_number_id);
    const row = contact(request, request.params.wa_id);
    return contactView(contacts.proxyUpdate(request.projectId, row.wa_id, request.body)!);
  });
};
