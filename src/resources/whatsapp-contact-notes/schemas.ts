import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, JsonObject, paged, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';
import { ContactParams } from '../whatsapp-contacts/schemas.js';

export const WhatsappContactNote = z
  .object({
    id: Uuid,
    name: z.string().nullable(),
    content: z.string(),
    metadata: JsonObject,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'WhatsappContactNote' });
export type WhatsappContactNote = z.infer<typeof WhatsappContactNote>;

export const NotesParams = ContactParams;
export const NoteParams = ContactParams.extend({ note_id: PathId.meta({ example: 'f1100000-0000-4000-8000-000000000001' }) });

export const NoteCreateBody = wrapped('note', z.object({
  name: z.string().nullable().optional().meta({ description: 'Optional name for the note; null or absent: none.' }),
  content: RequiredText,
  metadata: JsonObject.optional(),
}));
export type NoteInput = z.infer<typeof NoteCreateBody>['note'];

export const NoteUpdateBody = wrapped('note', z.object({
  name: z.string().nullable().optional().meta({ description: 'null clears it.' }),
  content: RequiredText.optional(),
  metadata: JsonObject.optional().meta({ description: 'Replaces the stored metadata.' }),
}));
export type NotePatch = z.infer<typeof NoteUpdateBody>['note'];

export const NoteResponse = data(WhatsappContactNote);
export const NoteListResponse = paged(WhatsappContactNote);
