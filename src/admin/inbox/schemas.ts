import { z } from 'zod';
import { PhoneInput } from '../../lib/phone.js';
import { data, paged, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { AgentExecution } from '../../resources/agent-executions/schemas.js';
import { WhatsappContact } from '../../resources/whatsapp-contacts/schemas.js';
import { WhatsappConversationAgentExecution } from '../../resources/whatsapp-conversation-executions/schemas.js';
import { WhatsappConversation } from '../../resources/whatsapp-conversations/schemas.js';
import { toMessage, type MessageRecord } from '../../resources/whatsapp-messages/repository.js';
import { ContactCardInput, WhatsappMessage } from '../../resources/whatsapp-messages/schemas.js';

/** POST /__admin/templates/{id}/review: Meta's review outcome. */
export const TemplateReviewBody = z.object({
  project_id: z.string().optional().meta({ description: 'The project (default: the one holding the template).' }),
  status: z.enum(['approved', 'rejected']),
  reason: z.string().min(1).max(256).optional().meta({ description: 'Rejected only: Meta\'s reason (default INVALID_FORMAT), kept in metadata.rejected_reason.' }),
});
export const TemplateIdParams = z.object({ id: PathId.meta({ description: 'The template\'s UUID (/api/v1 id).', example: '7e100000-0000-4000-8000-000000000004' }) });

/** POST /__admin/contacts/{wa_id}/marketing_preference: the user stops or resumes marketing messages. */
export const MarketingPreferenceBody = z.object({
  project_id: z.string().optional().meta({ description: 'The project (default: the X-API-Key\'s, else the Demo Project).' }),
  stopped: z.boolean().meta({ description: 'true: the user asked WhatsApp to stop marketing messages (marketing templates are refused with 422 marketing_preference_stopped).' }),
});
export const WaIdParams = z.object({ wa_id: z.string().meta({ description: 'The contact\'s WhatsApp ID (phone number, any spelling).', example: '15550102030' }) });

const ProjectField = { project_id: z.string().optional().meta({ description: 'The project to act on (default: see the page\'s description).' }) };

/** What a WhatsApp user can send (templates are the business's). */
const INBOUND_TYPES = ['text', 'image', 'video', 'audio', 'document', 'location', 'interactive', 'reaction', 'contacts'] as const;

export const InboundBody = z
  .object({
    ...ProjectField,
    phone_number: PhoneInput.meta({ description: 'The WhatsApp user\'s number, in any common spelling.' }),
    content: z.string().max(4096).optional().meta({ description: 'The text (text messages).' }),
    message_type: z.enum(INBOUND_TYPES).default('text'),
    whatsapp_config_id: PathId.optional().meta({ description: 'The config written to (default: the project\'s first).' }),
    contact_name: z.string().min(1).max(256).optional().meta({ description: 'The user\'s WhatsApp profile name: names the contact (and renames it).' }),
    whatsapp_message_id: z.string().regex(/^wamid\.[A-Za-z0-9_=-]{1,200}$/, 'must be wamid. and URL-safe base64').optional()
      .meta({ description: 'A wamid of your choosing (default: a new one).' }),
    media_url: z.string().max(2048).optional(),
    media_id: z.string().max(256).optional(),
    mime_type: z.string().max(128).optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().max(240).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    location_name: z.string().max(1000).optional(),
    location_address: z.string().max(1000).optional(),
    interactive_type: z.enum(['button', 'list']).optional().meta({ description: 'What was answered (default button).' }),
    reply_option_id: z.string().max(256).optional().meta({ description: 'The ID of the button or list row chosen.' }),
    reply_option_title: z.string().max(256).optional().meta({ description: 'Its title.' }),
    reaction_emoji: z.string().max(16).optional(),
    reacted_to_message_id: z.string().max(256).optional().meta({ description: 'The message reacted to (ID or wamid), in the number\'s active conversation.' }),
    contacts: z.array(ContactCardInput).min(1).max(257).optional(),
  })
  .superRefine((m, ctx) => {
    const need = (f: string, ok: boolean, why = `can't be blank for ${m.message_type} messages`) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [f], message: why });
    };
    const given = (s: string | undefined) => s !== undefined && s.trim() !== '';
    if (m.message_type === 'text') need('content', given(m.content));
    if (m.message_type === 'image' || m.message_type === 'video' || m.message_type === 'audio' || m.message_type === 'document') {
      need('media_url', given(m.media_url) || given(m.media_id), `or media_id can't be blank for ${m.message_type} messages`);
    }
    if (m.message_type === 'location') {
      need('latitude', m.latitude !== undefined);
      need('longitude', m.longitude !== undefined);
    }
    if (m.message_type === 'interactive') {
      need('reply_option_id', given(m.reply_option_id));
      need('reply_option_title', given(m.reply_option_title));
    }
    if (m.message_type === 'reaction') {
      need('reaction_emoji', m.reaction_emoji !== undefined);
      need('reacted_to_message_id', given(m.reacted_to_message_id));
    }
    if (m.message_type === 'contacts') need('contacts', (m.contacts?.length ?? 0) > 0);
  });

export const InboundResponse = z.object({
  data: z.object({
    message: WhatsappMessage,
    conversation: WhatsappConversation,
    is_new_conversation: z.boolean(),
  }),
});

export const MessageIdParams = z.object({ id: PathId });
export const ConversationIdParams = z.object({ id: PathId });

export const MessageStatusBody = z.object({
  ...ProjectField,
  status: z.enum(['sent', 'delivered', 'read', 'failed']).meta({ description: 'Forward only: sent -> delivered -> read; failed from sent or delivered.' }),
  error: z
    .object({
      code: z.number().int().meta({ description: 'Meta\'s error code, e.g. 131026 (undeliverable) or 131047 (re-engagement message).' }),
      title: z.string().min(1).max(256),
      message: z.string().max(1024).optional(),
      details: z.string().max(2048).optional(),
    })
    .optional()
    .meta({ description: 'With status failed: Meta\'s error (default 131026 "Message undeliverable").' }),
});

export const ProjectBody = z.object(ProjectField);

const Nullable = Timestamp.nullable();

/** A message as the control plane shows it: the API's shape plus its conversation, status times and error. */
export const AdminMessage = WhatsappMessage.extend({
  conversation_id: z.string(),
  sent_at: Nullable,
  delivered_at: Nullable,
  read_at: Nullable,
  failed_at: Nullable,
  error: z.object({ code: z.number(), title: z.string(), message: z.string(), error_data: z.object({ details: z.string() }) }).nullable(),
});

export const AdminMessageResponse = z.object({ data: AdminMessage });
export const AdminConversationResponse = z.object({ data: WhatsappConversation });

/** A stored message in the control plane's shape. */
export function toAdminMessage(m: MessageRecord): z.input<typeof AdminMessage> {
  return {
    ...toMessage(m), conversation_id: m.conversation_id, sent_at: m.sent_at, delivered_at: m.delivered_at, read_at: m.read_at, failed_at: m.failed_at, error: m.error,
  };
}

// ---------------------------------------------------------------------------------------------
// Reads that take a project ID (the inspector reads a project's data without its API key).

const DEMO_PROJECT = '11111111-1111-4111-8111-111111111111';

export const ProjectParams = z.object({ project_id: z.string().meta({ example: DEMO_PROJECT }) });
export const ProjectConversationParams = ProjectParams.extend({
  conversation_id: PathId.meta({ example: 'ca100000-0000-4000-8000-000000000001' }),
});
export const ProjectConfigParams = ProjectParams.extend({
  whatsapp_config_id: PathId.meta({ example: 'b1000000-0000-4000-8000-000000000001' }),
});

/** A conversation as the inspector's inbox lists it. */
export const AdminConversation = WhatsappConversation.extend({
  last_inbound_at: Nullable.meta({ description: 'When the number last wrote (the 24-hour window runs from here).' }),
  last_outbound_at: Nullable,
  ended_at: Nullable,
  created_at: Timestamp,
  last_message: z
    .object({
      id: Uuid,
      direction: z.enum(['inbound', 'outbound']),
      message_type: z.string(),
      content: z.string(),
      status: z.string(),
      created_at: Timestamp,
    })
    .nullable()
    .meta({ description: 'The newest message in either direction; null when there is none.' }),
  unread_count: z.number().int().meta({ description: 'Inbound messages not marked read.' }),
}).meta({ id: 'AdminConversation' });

export const AdminConversationListResponse = paged(AdminConversation);
export const AdminConversationOverviewResponse = data(AdminConversation);
export const AdminMessageListResponse = paged(AdminMessage);
export const AdminContactListResponse = paged(WhatsappContact);

/** A conversation's execution as the inspector's Agents panel shows it: the API's association, with the failure and the agent's name. */
export const AdminConversationExecution = WhatsappConversationAgentExecution.extend({
  agent_execution: AgentExecution.extend({
    failed: z.boolean().meta({ description: 'true for an execution that failed (it reads ended on /api/v1).' }),
    reason: z.string().nullable().meta({ description: 'The reason given with its last handoff or its failure.' }),
  }),
  agent_name: z.string().nullable().meta({ description: 'The agent\'s name (null when the agent is gone).' }),
}).meta({ id: 'AdminConversationAgentExecution' });

export const AdminConversationExecutionListResponse = paged(AdminConversationExecution);
