import type { FamilyTable } from '../helpers/operations.js';

export const whatsappConversationOperations: FamilyTable = {
  kinds: { whatsappConversations: { table: 'whatsapp_conversations', notFound: 'Conversation not found' } },
  params: { conversation_id: 'whatsappConversations' },
  operations: {
    updateWhatsappConversation: { probe: { whatsapp_conversation: { status: 'ended' } } },
  },
};
