// Notes on a WhatsApp contact: full CRUD under the contact, which is addressed by UUID or phone
// number (the routes resolve it first). A note of another contact is not found.
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { JsonObject } from '../../lib/schemas.js';
import type { NoteInput, NotePatch, WhatsappContactNote } from './schemas.js';

interface NoteRow {
  id: string;
  name: string | null;
  content: string;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface NoteRecord extends WhatsappContactNote {
  contact_id: string;
}

const COLUMNS = 'id, name, content, metadata, created_at, updated_at';
const TYPE = 'whatsapp_contact_note';

const toNote = (row: NoteRow): WhatsappContactNote => ({ ...row, metadata: JSON.parse(row.metadata) as JsonObject });

/** GET /whatsapp_contacts/{identifier}/notes: a contact's notes, newest first. */
export const NoteList = defineList<NoteRow, WhatsappContactNote>({
  name: 'whatsapp_contact_notes',
  table: 'whatsapp_contact_notes',
  columns: COLUMNS,
  scope: ['project_id', 'contact_id'],
  pagination: 'meta',
  map: toNote,
});

export function createWhatsappContactNoteRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[NoteRow & { project_id: string; contact_id: string }]>(
    `INSERT INTO whatsapp_contact_notes (project_id, contact_id, ${COLUMNS}) VALUES (@project_id, @contact_id, @id, @name, @content, @metadata, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string, string], NoteRow>(`SELECT ${COLUMNS} FROM whatsapp_contact_notes WHERE project_id = ? AND contact_id = ? AND id = ?`);
  const update = db.prepare<[string | null, string, string, string, string, string]>(
    'UPDATE whatsapp_contact_notes SET name = ?, content = ?, metadata = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const remove = db.prepare<[string, string, string]>('DELETE FROM whatsapp_contact_notes WHERE project_id = ? AND contact_id = ? AND id = ?');
  const list = NoteList.prepare(db);

  const insertNote = (projectId: string, note: NoteRecord) =>
    insert.run({ ...note, metadata: JSON.stringify(note.metadata), project_id: projectId });

  return {
    /** Writes a note as given (fixtures). */
    insert(projectId: string, note: NoteRecord): void {
      insertNote(projectId, note);
    },

    create: db.transaction((projectId: string, contactId: string, input: NoteInput): WhatsappContactNote => {
      const now = clock.iso();
      const note = { id: newId(), name: input.name ?? null, content: input.content, metadata: input.metadata ?? {}, created_at: now, updated_at: now };
      insertNote(projectId, { ...note, contact_id: contactId });
      events.publish('record.created', projectId, { type: TYPE, id: note.id });
      return note;
    }),

    get(projectId: string, contactId: string, id: string): WhatsappContactNote | undefined {
      const row = byId.get(projectId, contactId, id);
      return row && toNote(row);
    },

    /** A page of the contact's notes, newest first. */
    list: (projectId: string, contactId: string, query: Record<string, unknown>) => list.page([projectId, contactId], query),

    /** Applies the fields given (null clears the name); updated_at moves only on a real change. */
    update: db.transaction((projectId: string, contactId: string, id: string, patch: NotePatch): WhatsappContactNote | undefined => {
      const row = byId.get(projectId, contactId, id);
      if (!row) return undefined;
      const current = toNote(row);
      const next = applyPatch(current, patch, ['name', 'content', 'metadata']);
      if (!next) return current;
      next.updated_at = clock.iso();
      update.run(next.name, next.content, JSON.stringify(next.metadata), next.updated_at, projectId, id);
      events.publish('record.updated', projectId, { type: TYPE, id });
      return next;
    }),

    delete: db.transaction((projectId: string, contactId: string, id: string): boolean => {
      const deleted = remove.run(projectId, contactId, id).changes === 1;
      if (deleted) events.publish('record.deleted', projectId, { type: TYPE, id });
      return deleted;
    }),
  };
}

export type WhatsappContactNoteRepository = ReturnType<typeof createWhatsappContactNoteRepository>;
