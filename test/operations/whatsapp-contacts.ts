import type { FamilyTable } from '../helpers/operations.js';

export const whatsappContactOperations: FamilyTable = {
  kinds: { whatsappContacts: { table: 'whatsapp_contacts', notFound: 'Contact not found' } },
  params: { identifier: 'whatsappContacts' },
  operations: {
    createWhatsappContact: { probe: { contact: { wa_id: '+1 (555) 019-0001', profile_name: 'Tenancy Probe' } } },
    updateWhatsappContact: { probe: { contact: { profile_name: 'Hijacked', metadata: { leaked: true } } } },
  },
};
