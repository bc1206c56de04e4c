import type { FamilyTable } from '../helpers/operations.js';

export const whatsappMessageOperations: FamilyTable = {
  kinds: { whatsappMessages: { table: 'whatsapp_messages', notFound: 'WhatsApp message not found' } },
  operations: {
    // The Demo Project's first conversation has an open 24-hour window (its last inbound message is placed 20 minutes before load).
    createWhatsappMessage: { probe: { message: { content: 'Probe message', message_type: 'text' } } },
    // Every fixture business account has Meta's hello_world template: a send to a new number opens a conversation and a contact.
    sendWhatsappMessage: {
      probe: { message: { phone_number: '+1 555 019 0003', message_type: 'template', template_name: 'hello_world', template_language: 'en_US' } },
      touches: ['whatsapp_conversations', 'whatsapp_contacts'],
      errorSentences: { 400: ['Phone number is required'], 422: ['WhatsApp configuration not found'] },
    },
    // The Demo Project's first message is inbound.
    markWhatsappMessageAsRead: { params: { id: 'whatsappMessages' }, noReadBack: true, errorSentences: { 400: ['Can only mark inbound messages as read'] } },
  },
};
