import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, paged, PathId, Timestamp, Uuid } from '../../lib/schemas.js';

export const CONVERSATION_STATUSES = ['active', 'ended'] as const;

export const WhatsappConversation = z
  .object({
    id: Uuid,
    phone_number: z.string().meta({ description: 'The customer\'s number in E.164 form (+15550102030).' }),
    status: z.enum(CONVERSATION_STATUSES),
    last_active_at: Timestamp.meta({ description: 'When the last message in either direction was sent or received.' }),
    contact_name: z.string().optional().meta({ description: 'The contact\'s profile name; left out when the contact has none.' }),
    whatsapp_config_id: Uuid.meta({ description: 'The WhatsApp config the conversation happens on.' }),
  })
  .meta({ id: 'WhatsappConversation' });
export type WhatsappConversation = z.infer<typeof WhatsappConversation>;

export const ConversationParams = z.object({ conversation_id: PathId.meta({ example: 'ca100000-0000-4000-8000-000000000001' }) });

export const ConversationUpdateBody = wrapped('whatsapp_conversation', z.object({
  status: z.enum(CONVERSATION_STATUSES).meta({ description: 'ended ends the conversation; active opens an ended one again.' }),
}));

export const ConversationResponse = data(WhatsappConversation);
export const ConversationListResponse = paged(WhatsappConversation);
