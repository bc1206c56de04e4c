// Messages on the Meta proxy: send (every type the SDK sends, and mark-as-read), send a marketing
// template, list a number's messages by cursor and get one by its wamid. The same send path,
// rows and events as /api/v1 (src/resources/whatsapp-messages): the 24-hour window, an agent
// execution in charge, the template rules, thread control and the marketing opt-out refuse a send
// before anything is stored, each answered the way Kapso's proxy documents it.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, graphError, graphInvalidParameter, SendRefused } from '../../../errors.js';
import { normalizePhone } from '../../../lib/phone.js';
import type { ConfigRecord } from '../../../resources/whatsapp-configs/repository.js';
import { answerRefusals } from '../../../resources/whatsapp-messages/refusals.js';
import type { MessageRecord, SendRequest } from '../../../resources/whatsapp-messages/repository.js';
import { graphRoutes, lookups } from '../context.js';
import { graphMessage, messageSelection, sendRequestOf, type ViewContext } from '../message-convert.js';
import {
  GraphMessage, InsufficientCredits, MarketingBody, MarketingStopped, MessageInFlight, MessageListResponse, MessageParams, SendBody,
  SendOrReadResponse, SendResponse, ThreadOwnership,
} from '../message-schemas.js';
import { mediaView } from './media.js';
import type { LinkSigner } from '../links.js';
import { CursorQuery, FieldsQuery, GraphErrorBody, pagingOf, PhoneParams } from '../schemas.js';

const IN_FLIGHT = 'Another message is already in-flight for this conversation. Please retry shortly.';

/** How a refused send answers on the proxy (Kapso's proxy spec, sendMessage's responses). */
function refusal(r: SendRefused): ApiError {
  switch (r.reason) {
    case 'window':
      // Kapso's proxy documents 131047 with HTTP 422 (API-DECISIONS "Messaging rules").
      return graphError(422, 131047, 'Cannot send non-template messages outside the 24-hour window.', { type: 'MessageError', subcode: 131047, status: 'exact' });
    case 'blocked':
      // An agent execution is sending on the conversation: the message-in-flight 409.
      return ApiError.withBody(409, { error: IN_FLIGHT });
    case 'thread':
      return ApiError.withBody(409, { error: r.message, code: 'thread_not_owner', thread_error: 'thread_not_owner' });
    case 'marketing_stopped':
      return ApiError.withBody(422, { error: r.message, code: 'marketing_preference_stopped' });
    case 'template_missing':
      return graphError(404, 132001, `(#132001) Template name does not exist in the translation: ${r.message}`, { type: 'OAuthException' });
    case 'template_status':
      return graphError(400, 132001, `(#132001) Template name does not exist in the translation: ${r.message}`);
    case 'template_parameters':
      return graphError(400, 132000, `(#132000) Number of parameters does not match the expected number of params: ${r.message}`);
  }
}

export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappMessages: messages, whatsappContacts: contacts, media } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Messages']);
  const links = app.getDecorator<LinkSigner>('links');

  const recipient = (to: string | undefined, bsuid: string | undefined): string => {
    if (to === undefined || to.trim() === '') {
      throw graphInvalidParameter(bsuid === undefined ? "to can't be blank" : 'recipient (a business-scoped user ID) is not emulated: send to a phone number in `to`');
    }
    const phone = normalizePhone(to);
    if (phone === undefined) throw graphInvalidParameter('to is not a valid phone number (7 to 15 digits, e.g. 15550102030)');
    return phone;
  };

  const send = (request: FastifyRequest, config: ConfigRecord, phone: string, input: string, req: SendRequest) => {
    const sent = answerRefusals(
      () => messages.send(request.projectId, { whatsappConfigId: config.id, phone }, req, {
        enforceWindow: app.settings.messagingWindow,
        takeControl: request.headers['x-kapso-take-control'] === 'true',
      }),
      refusal,
    );
    return {
      messaging_product: 'whatsapp' as const,
      contacts: [{ input, wa_id: phone }],
      messages: [{ id: sent.message.whatsapp_message_id, ...(req.fields.message_type === 'template' && { message_status: 'accepted' as const }) }],
    };
  };

  const mediaLookup = (projectId: string) => (id: string) => {
    const found = media.get(projectId, id);
    return found && { mime_type: found.mime_type, filename: found.filename };
  };

  const sendErrors = {
    402: InsufficientCredits,
    409: { schema: z.union([MessageInFlight, ThreadOwnership]), from: () => ({ error: IN_FLIGHT }) },
    422: z.union([GraphErrorBody, MarketingStopped]),
  };

  r.post('/:phone_number_id/messages', {
    operationId: 'sendMessage', summary: 'Send a message',
    description: 'Every type the SDK sends: text, image, video, audio, document, sticker (by link or uploaded media ID), location, contacts, '
      + 'interactive (button, list, cta_url, flow, location_request_message, call_permission_request), template (its components fill the '
      + 'template\'s parameters) and reaction; `{"status": "read", "message_id"}` marks an inbound message read (typing_indicator accepted). '
      + 'The same rules as /api/v1: a non-template message outside the 24-hour window is Graph error 131047 with HTTP 422; a template must '
      + 'exist on the number\'s business account and be approved. 409 while an agent execution is in charge of the conversation (message in '
      + 'flight) or, on a conversation another app handles (thread control), unless `X-Kapso-Take-Control: true` takes it back; 422 '
      + '`marketing_preference_stopped` for a marketing template to a contact who stopped marketing messages.',
    params: PhoneParams,
    body: SendBody,
    response: SendOrReadResponse,
    errors: [400, 401, 402, 404, 409, 422],
    errorBodies: sendErrors,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const body = request.body;
    if (body.status === 'read') {
      if (body.message_id === undefined || body.message_id.trim() === '') throw graphInvalidParameter("message_id can't be blank");
      const message = messages.byWhatsappId(request.projectId, config.id, body.message_id);
      if (!message) throw graphInvalidParameter(`message_id ${body.message_id} is not a message of this phone number`);
      if (message.direction !== 'inbound') throw graphInvalidParameter('Only inbound messages can be marked as read');
      messages.markRead(request.projectId, message.id);
      return { success: true, messaging_product: 'whatsapp' as const, contacts: [{ input: message.phone_number, wa_id: message.phone_number }], messages: [{ id: message.whatsapp_message_id }] };
    }
    const phone = recipient(body.to, body.recipient);
    return send(request, config, phone, body.to!, sendRequestOf(body, mediaLookup(request.projectId)));
  });

  r.post('/:phone_number_id/marketing_messages', {
    operationId: 'sendMarketingMessage', summary: 'Send a marketing message',
    description: 'A template message, under the same rules as sendMessage (a template needs no open window); a contact who stopped marketing '
      + 'messages gets 422 `marketing_preference_stopped` for a MARKETING template.',
    params: PhoneParams,
    body: MarketingBody,
    response: SendResponse,
    errors: [400, 401, 404, 422],
    errorBodies: { 422: z.union([GraphErrorBody, MarketingStopped]) },
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const body = request.body;
    if (!body.template) throw graphInvalidParameter("template can't be blank for marketing messages");
    const phone = recipient(body.to, body.recipient);
    return send(request, config, phone, body.to!, sendRequestOf({ ...body, type: 'template' }, mediaLookup(request.projectId)));
  });

  /** What the view of a page of messages needs, with the contacts looked up once each. */
  const viewContext = (request: FastifyRequest): ViewContext => {
    const names = new Map<string, string | null>();
    const now = app.clock.now();
    return {
      contactName: (phone) => {
        if (!names.has(phone)) names.set(phone, contacts.byPhone(request.projectId, phone)?.profile_name ?? null);
        return names.get(phone)!;
      },
      mediaLink: (id) => {
        const found = media.get(request.projectId, id);
        return found && { url: mediaView(request, links, now, found).download_url, byte_size: found.file_size, filename: found.filename };
      },
    };
  };

  r.get('/:phone_number_id/messages', {
    operationId: 'listMessages', summary: 'List messages',
    description: 'A number\'s messages, newest first, by cursor (`limit` 1 to 100, default 20; `after`/`before` from paging.cursors). '
      + 'Filters: direction, status (delivered also finds inbound messages, which read delivered), since and until (created_at, inclusive), '
      + 'conversation_id. `fields`: `kapso()` leaves the kapso block out, `kapso(*)` or `kapso(default)` gives every kapso field that applies, '
      + '`kapso(a,b)` those; without `fields` every Meta field and the default kapso block.',
    params: PhoneParams,
    query: z.object({
      direction: z.enum(['inbound', 'outbound']).optional(),
      status: z.enum(['pending', 'sent', 'delivered', 'read', 'failed']).optional(),
      since: z.string().optional().meta({ format: 'date-time', description: 'Created at or after (ISO 8601).' }),
      until: z.string().optional().meta({ format: 'date-time', description: 'Created at or before (ISO 8601).' }),
      conversation_id: z.string().optional().meta({ description: 'A conversation of this number (UUID).' }),
      ...CursorQuery,
      fields: FieldsQuery,
    }),
    response: MessageListResponse,
    errors: [400, 401, 404],
    cache: false,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const q = request.query;
    const selection = messageSelection(q.fields);
    const time = (name: string, v: string | undefined) => {
      if (v !== undefined && Number.isNaN(Date.parse(v))) throw graphInvalidParameter(`${name} must be an ISO 8601 time`);
      return v && new Date(Date.parse(v)).toISOString();
    };
    const page = messages.byNumber(request.projectId, config.id, {
      limit: q.limit, after: q.after, before: q.before,
      'q[direction_eq]': q.direction,
      'q[status_in]': q.status === 'delivered' ? 'delivered,received' : q.status,
      'q[conversation_id_eq]': q.conversation_id?.toLowerCase(),
      'q[created_at_gteq]': time('since', q.since),
      'q[created_at_lteq]': time('until', q.until),
    });
    const ctx = viewContext(request);
    return { data: page.rows.map((m: MessageRecord) => graphMessage(m, selection, ctx)), paging: pagingOf(page) };
  });

  r.get('/:phone_number_id/messages/:message_id', {
    operationId: 'getMessage', summary: 'Get message by ID',
    description: 'One of the number\'s messages by its wamid, in Meta\'s shape; `fields` as in listMessages.',
    params: MessageParams,
    query: z.object({ fields: FieldsQuery }),
    response: GraphMessage,
    errors: [400, 401, 404],
    cache: false,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const selection = messageSelection(request.query.fields);
    const message = messages.byWhatsappId(request.projectId, config.id, request.params.message_id);
    if (!message) throw graphError(404, 404, 'Message not found', { type: 'MessageError' });
    return graphMessage(message, selection, viewContext(request));
  });
};
