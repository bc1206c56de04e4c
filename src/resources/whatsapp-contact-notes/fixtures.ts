import { z } from 'zod';
import { fixturePart } from '../../lib/resource.js';
import { JsonObject } from '../../lib/schemas.js';
import type { WhatsappContactNoteRepository } from './repository.js';

/** `whatsapp_contacts[].notes[]`: a contact's notes in the API's shape. */
export const whatsappContactNoteFixtures = fixturePart({
  key: 'notes',
  parent: 'whatsappContacts',
  schema: z.object({ name: z.string().nullable().default(null), content: z.string().min(1), metadata: JsonObject.default({}) }),
  insert: (repo: WhatsappContactNoteRepository, n, { projectId, parent }) =>
    repo.insert(projectId, {
      id: n.id, contact_id: parent.id, name: n.name, content: n.content, metadata: n.metadata, created_at: n.created_at, updated_at: n.updated_at,
    }),
});
