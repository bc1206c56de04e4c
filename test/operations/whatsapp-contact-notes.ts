import type { FamilyTable } from '../helpers/operations.js';

export const whatsappContactNoteOperations: FamilyTable = {
  kinds: {
    whatsappContactNotes: { table: 'whatsapp_contact_notes', notFound: 'Note not found', parent: { kind: 'whatsappContacts', column: 'contact_id' } },
  },
  params: { note_id: 'whatsappContactNotes' },
  operations: {
    createWhatsappContactNote: { probe: { note: { name: 'Probe', content: 'Written by the tenancy probe.' } } },
    updateWhatsappContactNote: { probe: { note: { content: 'Hijacked' } } },
  },
};
