// WhatsApp contacts and their notes: addressed by UUID or by phone number in any spelling
// (API-DECISIONS "Other resources"), wa_id stored as digits, the documented {"errors": [...]} 422
// of a create, and the notes' full CRUD under a contact addressed either way.
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { expectDeleted } from './helpers/flows.js';
import { inbox } from './helpers/inbox.js';
import { demo, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const contacts = '/api/v1/whatsapp_contacts';
const contact = (identifier: string) => `${contacts}/${encodeURIComponent(identifier)}`;
const notes = (identifier: string) => `${contact(identifier)}/notes`;

let app: FastifyInstance;
let api: Client;
let clock: Clock;

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
});

const MARIA = {
  id: inbox.maria, wa_id: '15550102030', profile_name: 'Maria Gonzalez', customer_id: ids.acme,
  metadata: { source: 'website', tags: ['vip', 'returning'], preferred_language: 'es' },
  created_at: '2026-01-20T16:02:00.000Z', updated_at: '2026-02-14T18:30:00.000Z',
};

describe('contacts: the client flow', () => {
  it('create (any spelling), get by ID and by number, list, update by number, get again', async () => {
    const created = await api.post(contacts, { contact: { wa_id: '+44 (0)20 7946-0958'.replace('(0)', ''), profile_name: 'Arthur Dent', customer_id: ids.globex, metadata: { tags: ['towel'] } } });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(id).toMatch(UUID_V4);
    expect(created.body).toEqual({
      data: { id, wa_id: '442079460958', profile_name: 'Arthur Dent', customer_id: ids.globex, metadata: { tags: ['towel'] }, created_at: T0, updated_at: T0 },
    });
    for (const identifier of [id, id.toUpperCase(), '442079460958', '+442079460958', '+44 20 7946 0958', '44-20-7946-0958']) {
      const got = await api.get(contact(identifier));
      expect(got.status, identifier).toBe(200);
      expect(got.body).toEqual(created.body);
    }
    const listed = await api.get(contacts);
    expect(listed.body.data[0]).toEqual(created.body.data);
    expect(listed.body.meta.total_count).toBe(seed.count('whatsappContacts', demo.id) + 1);

    clock.advance(1000);
    const updated = await api.patch(contact('+44 20 7946 0958'), { contact: { profile_name: 'Arthur P. Dent', metadata: { tags: ['towel', 'guide'] } } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ ...created.body.data, profile_name: 'Arthur P. Dent', metadata: { tags: ['towel', 'guide'] }, updated_at: at(1000) });
    expect((await api.get(contact(id))).body).toEqual(updated.body);
  });

  it('a seeded contact, by UUID and by number in a path', async () => {
    expect((await api.get(contact(inbox.maria))).body.data).toEqual(MARIA);
    expect((await api.get(contact('+1 (555) 010-2030'))).body.data).toEqual(MARIA);
    expect((await api.get(`${contacts}/%2B1%20(555)%20010-2030`)).body.data).toEqual(MARIA);
  });

  it('a contact with no customer shows customer_id null; one with no name leaves profile_name out', async () => {
    expect((await api.get(contact(inbox.sofia))).body.data.customer_id).toBeNull();
    const bare = await api.post(contacts, { contact: { wa_id: '15550190101' } });
    expect(bare.body.data).toEqual({ id: expect.any(String), wa_id: '15550190101', customer_id: null, metadata: {}, created_at: T0, updated_at: T0 });
  });

  it('an update that changes nothing writes nothing and keeps updated_at; PUT works as PATCH', async () => {
    clock.advance(1000);
    const res = await api.put(contact(inbox.maria), { contact: { profile_name: 'Maria Gonzalez', metadata: MARIA.metadata } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(MARIA);
    const empty = await api.patch(contact(inbox.maria), { contact: {} });
    expect(empty.body.data).toEqual(MARIA);
  });

  it('deleting the customer keeps the contact and clears its customer_id', async () => {
    expect((await api.delete(`/api/v1/customers/${ids.acme}`)).status).toBe(204);
    const res = await api.get(contact(inbox.maria));
    expect(res.status).toBe(200);
    expect(res.body.data.customer_id).toBeNull();
  });
});

describe('contacts: listing', () => {
  const list = async (query = '') => (await api.get(`${contacts}?per_page=100${query}`)).body.data.map((c: any) => c.id);

  it('newest first, paginated with meta', async () => {
    const all = await api.get(`${contacts}?per_page=2&page=2`);
    const total = seed.count('whatsappContacts', demo.id);
    expect(all.body.meta).toEqual({ page: 2, per_page: 2, total_pages: Math.ceil(total / 2), total_count: total });
    const everything = await api.get(`${contacts}?per_page=100`);
    const times = everything.body.data.map((c: any) => c.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it.each([
    ['q[customer_id_eq]', `&q[customer_id_eq]=${ids.globex}`, [inbox.priya]],
    ['q[profile_name_cont] (case-insensitive)', '&q[profile_name_cont]=GONZ', [inbox.maria]],
    ['q[wa_id_cont] with a spelled fragment', `&q[wa_id_cont]=${encodeURIComponent('010-44')}`, [inbox.james]],
  ])('%s', async (_case, query, expected) => {
    expect(await list(query)).toEqual(expected);
  });
});

describe('contacts: a create\'s 422 is {"errors": [...]}, as the spec documents it', () => {
  it.each([
    ['the same number in another spelling', { wa_id: '1 (555) 010 2030' }, ['Wa_id has already been taken']],
    ['no wa_id', {}, ["wa_id can't be blank"]],
    ['a wa_id that is not a number', { wa_id: 'maria' }, ['wa_id is not a valid phone number (7 to 15 digits, e.g. +15550102030)']],
    ['too few digits', { wa_id: '+1 555' }, ['wa_id is not a valid phone number (7 to 15 digits, e.g. +15550102030)']],
    ['several problems at once', { wa_id: 5, profile_name: '', metadata: 'vip' }, ['wa_id must be a string', "profile_name can't be blank", 'metadata must be an object']],
    ['a customer of another project', { wa_id: '15550190202', customer_id: ids.umbrella }, ['Customer must exist']],
    ['a customer_id that is not a UUID', { wa_id: '15550190202', customer_id: 'acme' }, ['Customer must exist']],
  ])('%s', async (_case, fields, errors) => {
    const before = app.state.dump();
    const res = await api.post(contacts, { contact: fields });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors });
    expect(app.state.dump()).toEqual(before);
  });

  it('a missing wrapper is the usual 400', async () => {
    const res = await api.post(contacts, { wa_id: '15550190202' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'param is missing or the value is empty: contact' });
  });

  it('the same number in another project is another contact', async () => {
    const res = await api.post(contacts, { contact: { wa_id: '+1 555 010 2030' } }, { key: OTHER_KEY });
    expect(res.status).toBe(201);
  });

  it('an update\'s problems keep the envelope', async () => {
    const res = await api.patch(contact(inbox.maria), { contact: { profile_name: 7 } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'profile_name must be a string' });
  });
});

describe('contacts: not found', () => {
  it.each([
    ['an unknown UUID', MISSING_ID, undefined],
    ['an unknown number', '+1 555 019 9999', undefined],
    ['something that is neither', 'hello', undefined],
    ["another project's contact by ID", inbox.helen, undefined],
    ["another project's contact by number", '15550201122', undefined],
    ['the Demo Project\'s contact with the other key', '15550102030', OTHER_KEY],
  ])('%s: GET and PATCH are 404 Contact not found', async (_case, identifier, key) => {
    for (const res of [await api.get(contact(identifier), { key }), await api.patch(contact(identifier), { contact: { profile_name: 'X' } }, { key })]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Contact not found' });
    }
  });
});

describe('notes', () => {
  it('create, get, list, update, delete, get again (404), under the contact\'s number or ID', async () => {
    const created = await api.post(notes('+1 (555) 010-2030'), { note: { name: 'Allergy', content: 'No nuts in gift baskets.', metadata: { priority: 'high' } } });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body).toEqual({
      data: { id, name: 'Allergy', content: 'No nuts in gift baskets.', metadata: { priority: 'high' }, created_at: T0, updated_at: T0 },
    });
    const url = `${notes(inbox.maria)}/${id}`;
    expect((await api.get(url)).body).toEqual(created.body);
    expect((await api.get(`${notes('15550102030')}/${id}`)).body).toEqual(created.body);

    const listed = await api.get(notes(inbox.maria));
    expect(listed.body.data[0]).toEqual(created.body.data);
    expect(listed.body.meta.total_count).toBe(seed.records.filter((r) => r.kind === 'whatsappContactNotes' && r.parentId === inbox.maria).length + 1);

    clock.advance(1000);
    const updated = await api.patch(url, { note: { name: null, content: 'No nuts, no peanuts.' } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ ...created.body.data, name: null, content: 'No nuts, no peanuts.', updated_at: at(1000) });
    const same = await api.put(url, { note: { content: 'No nuts, no peanuts.' } });
    expect(same.body).toEqual(updated.body);

    await expectDeleted(api, url, 'Note not found');
  });

  it('a note without a name has name null; metadata defaults to {}', async () => {
    const res = await api.post(notes(inbox.james), { note: { content: 'Call after 5 PM.' } });
    expect(res.body.data).toMatchObject({ name: null, content: 'Call after 5 PM.', metadata: {} });
  });

  it('a note of another contact is not found under this one', async () => {
    const jamesNote = seed.find('whatsappContactNotes', (r) => r.name === 'Billing').id;
    for (const res of [await api.get(`${notes(inbox.maria)}/${jamesNote}`), await api.delete(`${notes(inbox.maria)}/${jamesNote}`)]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Note not found' });
    }
    expect((await api.get(`${notes('15550104411')}/${jamesNote}`)).status).toBe(200);
  });

  it.each([
    ['no content', { name: 'x' }, "content can't be blank"],
    ['blank content', { content: ' ' }, "content can't be blank"],
    ['a name that is not a string', { content: 'x', name: 3 }, 'name must be a string'],
    ['metadata that is not an object', { content: 'x', metadata: [] }, 'metadata must be an object'],
  ])('%s: 422', async (_case, note, message) => {
    const res = await api.post(notes(inbox.maria), { note });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it.each([
    ['an unknown contact', '+1 555 019 9999'],
    ["another project's contact", inbox.helen],
  ])('every note operation under %s is 404 Contact not found', async (_case, identifier) => {
    const noteId = seed.find('whatsappContactNotes', (r) => r.name === 'Delivery preference').id;
    for (const res of [
      await api.get(notes(identifier)),
      await api.post(notes(identifier), { note: { content: 'x' } }),
      await api.get(`${notes(identifier)}/${noteId}`),
      await api.patch(`${notes(identifier)}/${noteId}`, { note: { content: 'x' } }),
      await api.delete(`${notes(identifier)}/${noteId}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Contact not found' });
    }
  });
});
