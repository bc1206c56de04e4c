import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { ContactList } from './repository.js';
import {
  ContactCreateBody, ContactErrors, ContactListResponse, ContactParams, ContactResponse, ContactUpdateBody,
} from './schemas.js';

export const whatsappContactRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappContacts: contacts } = app.repos;
  const r = routes(app, ['WhatsApp Contacts']);

  r.get('/whatsapp_contacts', {
    operationId: 'listWhatsappContacts', summary: 'List WhatsApp contacts',
    query: ContactList.query, response: ContactListResponse,
  }, async (request, reply) => paginate(request, reply, contacts.list(request.projectId, request.query)));

  r.post('/whatsapp_contacts', {
    operationId: 'createWhatsappContact', summary: 'Create a WhatsApp contact',
    description: 'wa_id is stored as digits: +1 (555) 010-2030 and 15550102030 are the same contact (a second one is "Wa_id has already been taken").',
    body: ContactCreateBody, response: ContactResponse,
    // The spec documents this operation's 422 as {"errors": [...]}: every validation problem, one per entry.
    errorBodies: { 422: { schema: ContactErrors, from: (error) => ({ errors: error.details }) } },
  }, async (request) => ({ data: contacts.create(request.projectId, request.body.contact) }));

  r.get('/whatsapp_contacts/:identifier', {
    operationId: 'getWhatsappContact', summary: 'Get a WhatsApp contact',
    description: 'By ID (a UUID) or by phone number in any common spelling.',
    params: ContactParams, response: ContactResponse,
  }, async (request) => {
    const contact = contacts.find(request.projectId, request.params.identifier);
    if (!contact) throw notFound('Contact');
    return { data: contact };
  });

  r.update('/whatsapp_contacts/:identifier', {
    method: 'PATCH', operationId: 'updateWhatsappContact', summary: 'Update a WhatsApp contact',
    description: 'profile_name and metadata (replaced as a whole). By ID or by phone number.',
    params: ContactParams, body: ContactUpdateBody, response: ContactResponse,
  }, async (request) => {
    const contact = contacts.update(request.projectId, request.params.identifier, request.body.contact);
    if (!contact) throw notFound('Contact');
    return { data: contact };
  });
};
