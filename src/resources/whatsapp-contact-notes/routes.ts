import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { NoteList } from './repository.js';
import { NoteCreateBody, NoteListResponse, NoteParams, NoteResponse, NotesParams, NoteUpdateBody } from './schemas.js';

export const whatsappContactNoteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappContacts: contacts, whatsappContactNotes: notes } = app.repos;
  const r = routes(app, ['WhatsApp Contact Notes']);

  /** Every operation here first finds the contact (by UUID or phone number) in the caller's project. */
  const contactId = (projectId: string, identifier: string): string => {
    const id = contacts.idOf(projectId, identifier);
    if (id === undefined) throw notFound('Contact');
    return id;
  };

  r.get('/whatsapp_contacts/:identifier/notes', {
    operationId: 'listWhatsappContactNotes', summary: 'List notes for a WhatsApp contact',
    params: NotesParams, query: NoteList.query, response: NoteListResponse,
  }, async (request, reply) =>
    paginate(request, reply, notes.list(request.projectId, contactId(request.projectId, request.params.identifier), request.query)));

  r.post('/whatsapp_contacts/:identifier/notes', {
    operationId: 'createWhatsappContactNote', summary: 'Create a note for a WhatsApp contact',
    params: NotesParams, body: NoteCreateBody, response: NoteResponse,
  }, async (request) => ({
    data: notes.create(request.projectId, contactId(request.projectId, request.params.identifier), request.body.note),
  }));

  r.get('/whatsapp_contacts/:identifier/notes/:note_id', {
    operationId: 'getWhatsappContactNote', summary: 'Get a specific note',
    params: NoteParams, response: NoteResponse,
  }, async (request) => {
    const note = notes.get(request.projectId, contactId(request.projectId, request.params.identifier), request.params.note_id);
    if (!note) throw notFound('Note');
    return { data: note };
  });

  r.update('/whatsapp_contacts/:identifier/notes/:note_id', {
    method: 'PATCH', operationId: 'updateWhatsappContactNote', summary: 'Update a note',
    params: NoteParams, body: NoteUpdateBody, response: NoteResponse,
  }, async (request) => {
    const id = contactId(request.projectId, request.params.identifier);
    const note = notes.update(request.projectId, id, request.params.note_id, request.body.note);
    if (!note) throw notFound('Note');
    return { data: note };
  });

  r.delete('/whatsapp_contacts/:identifier/notes/:note_id', {
    operationId: 'deleteWhatsappContactNote', summary: 'Delete a note',
    params: NoteParams,
  }, async (request) => {
    if (!notes.delete(request.projectId, contactId(request.projectId, request.params.identifier), request.params.note_id)) throw notFound('Note');
  });
};
