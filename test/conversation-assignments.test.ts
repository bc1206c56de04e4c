// Conversation assignments (docs/families/conversation-assignments.md): the project's users from
// the fixtures (and the control plane), the list with its pagination in the headers and the body,
// create and update, and the rule that a conversation has at most one active assignment (in the
// schema too). A user who left the project stays, but cannot be given an active assignment.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../src/lib/events.js';
import { client, DEMO_KEY, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { inbox, named, recordEvents } from './helpers/inbox.js';
import { demo, other, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ALREADY_ASSIGNED = { error: 'Validation failed', message: 'Conversation already has an active assignment' };
const NOT_A_MEMBER = { error: 'Validation failed', message: 'User is not an active member of this project' };

type Rec = Record<string, any>;

const user = (name: string) => seed.find('projectUsers', name).id;
const maya = user('Maya Patel');
const tom = user('Tom Okafor');
const dana = user('Dana Whitfield');
const ben = user('Ben Carter'); // left the project
const lena = user('Lena Fischer'); // the Other Project's
const assignmentsOf = (conversationId: string) => seed.records.filter((r) => r.kind === 'conversationAssignments' && r.record.conversation_id === conversationId);
const seededAssignment = (match: (r: Rec) => boolean) => seed.find('conversationAssignments', match);
const jamesActive = seededAssignment((r) => r.conversation_id === inbox.jamesOpen && r.active !== false);
const mariaClosed = seededAssignment((r) => r.conversation_id === inbox.mariaOpen);
const bensClosed = seededAssignment((r) => r.user_id === ben);

const url = (conversationId: string, query = '') => `/api/v1/whatsapp_conversations/${conversationId}/conversation_assignments${query}`;
const oneUrl = (conversationId: string, id: string) => `${url(conversationId)}/${id}`;

let app: Awaited<ReturnType<typeof makeFrozenApp>>['app'];
let api: Client;
let admin: Client;
let clock: Awaited<ReturnType<typeof makeFrozenApp>>['clock'];
let events: AnyEvent[];

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
  admin = client(app, null);
  events = recordEvents(app);
});

const dump = () => app.state.dump();
const assign = (conversationId: string, fields: Rec, key?: string) => api.post(url(conversationId), { conversation_assignment: fields }, key === undefined ? {} : { key });
const update = (conversationId: string, id: string, fields: Rec, key?: string) =>
  api.patch(oneUrl(conversationId, id), { conversation_assignment: fields }, key === undefined ? {} : { key });

describe('the fixtures', () => {
  it('give both projects users (one who left) and assignments, an active and a closed one, at most one active per conversation', () => {
    for (const p of [demo, other]) {
      expect(seed.count('projectUsers', p.id)).toBeGreaterThan(0);
      const assignments = seed.records.filter((r) => r.kind === 'conversationAssignments' && r.projectId === p.id);
      expect(new Set(assignments.map((a) => a.record.active))).toEqual(new Set([true, false]));
      const active = assignments.filter((a) => a.record.active).map((a) => a.record.conversation_id);
      expect(new Set(active).size).toBe(active.length);
    }
    expect(seed.find('projectUsers', 'Ben Carter').record.active).toBe(false);
  });

  it('the users are the people flows name as their creators', () => {
    const creators = seed.records.filter((r) => r.kind === 'flows' && r.record.created_by).map((r) => r.record.created_by as { id: string; name: string });
    expect(creators.length).toBeGreaterThan(0);
    for (const c of creators) expect(seed.records.find((r) => r.kind === 'projectUsers' && r.id === c.id)?.record.name).toBe(c.name);
  });
});

describe('GET /whatsapp_conversations/{id}/conversation_assignments', () => {
  it('the conversation\'s assignments, newest first, as the spec shapes them, paginated in the headers and the body', async () => {
    const res = await api.get(url(inbox.jamesOpen), { headers: { host: 'mock.test:4400' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{
      id: jamesActive.id, user_id: maya, active: true, notes: jamesActive.record.notes, created_at: at(-Number(jamesActive.record.ago)),
      created_by_user_id: tom,
    }]);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 1, total_count: 1 });
    expect(res.headers).toMatchObject({ total: '1', 'total-pages': '1', 'per-page': '20', page: '1' });
    const base = `http://mock.test:4400${url(inbox.jamesOpen)}?page=1&per_page=20`;
    expect(res.headers.link).toBe(`<${base}>; rel="first", <${base}>; rel="last"`);
  });

  it('pages: headers and meta agree', async () => {
    for (const [n, who] of [[1, tom], [2, dana]] as const) {
      clock.advance(60_000);
      expect((await update(inbox.jamesOpen, (await api.get(url(inbox.jamesOpen))).body.data[0].id, { active: false })).status).toBe(200);
      expect((await assign(inbox.jamesOpen, { user_id: who, notes: `Round ${n}` })).status).toBe(201);
    }
    const res = await api.get(url(inbox.jamesOpen, '?per_page=1&page=2'));
    expect(res.body.meta).toEqual({ page: 2, per_page: 1, total_pages: 3, total_count: 3 });
    expect(res.headers).toMatchObject({ total: '3', 'total-pages': '3', 'per-page': '1', page: '2' });
    expect(res.body.data).toEqual([expect.objectContaining({ user_id: tom, notes: 'Round 1', active: false })]);
    expect(String(res.headers.link)).toContain('rel="prev"');
    expect(String(res.headers.link)).toContain('rel="next"');
    const past = await api.get(url(inbox.jamesOpen, '?page=4'));
    expect(past.body).toEqual({ data: [], meta: { page: 4, per_page: 20, total_pages: 1, total_count: 3 } });
  });

  it('an unassigned conversation: empty, with zero totals', async () => {
    const res = await api.get(url(inbox.sofiaNeverWrote));
    expect(res.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total_pages: 0, total_count: 0 } });
    expect(res.headers).toMatchObject({ total: '0', 'total-pages': '0' });
  });

  it('a browser sees the pagination headers (CORS exposes them)', async () => {
    const res = await app.inject({ method: 'GET', url: url(inbox.jamesOpen), headers: { 'x-api-key': DEMO_KEY, origin: 'https://inbox.example' } });
    const exposed = String(res.headers['access-control-expose-headers']).split(/,\s*/);
    for (const header of ['Total', 'Total-Pages', 'Per-Page', 'Page', 'Link']) {
      expect(exposed).toContain(header);
      expect(res.headers[header.toLowerCase()]).toBeDefined();
    }
  });
});

describe('the client flow', () => {
  it('assign, list, change the notes and the user, close, assign again', async () => {
    // Maria's open conversation has a closed assignment only.
    const created = await assign(inbox.mariaOpen, { user_id: dana, notes: 'Follow up on the express delivery' });
    expect(created.status).toBe(201);
    const assignment = created.body.data;
    expect(assignment).toEqual({
      id: expect.stringMatching(UUID_V4), user_id: dana, active: true, notes: 'Follow up on the express delivery', created_at: T0, created_by_user_id: null,
    });
    expect(named(events)).toEqual(['record.created']);
    expect(events[0]!.data).toEqual({ type: 'conversation_assignment', id: assignment.id });
    const listed = (await api.get(url(inbox.mariaOpen))).body.data;
    expect(listed.map((a: Rec) => a.id)).toEqual([assignment.id, mariaClosed.id]);
    expect(listed[0]).toEqual(assignment);

    // One active assignment per conversation.
    const before = dump();
    const second = await assign(inbox.mariaOpen, { user_id: tom });
    expect(second.status).toBe(422);
    expect(second.body).toEqual(ALREADY_ASSIGNED);
    expect(dump()).toEqual(before);

    clock.advance(1_000);
    const renoted = await update(inbox.mariaOpen, assignment.id, { notes: 'Delivered: ask for a review' });
    expect(renoted.body.data).toEqual({ ...assignment, notes: 'Delivered: ask for a review' });
    const moved = await api.put(oneUrl(inbox.mariaOpen, assignment.id), { conversation_assignment: { user_id: tom } });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ user_id: tom, active: true });
    const closed = await update(inbox.mariaOpen, assignment.id, { active: false });
    expect(closed.body.data).toMatchObject({ active: false, user_id: tom, notes: 'Delivered: ask for a review', created_at: T0 });
    expect((await assign(inbox.mariaOpen, { user_id: maya })).status).toBe(201);
    const reopened = await update(inbox.mariaOpen, assignment.id, { active: true });
    expect(reopened.status).toBe(422);
    expect(reopened.body).toEqual(ALREADY_ASSIGNED);
    expect((await api.get(url(inbox.mariaOpen))).body.data.map((a: Rec) => a.active)).toEqual([true, false, false]);
  });

  it('an update that changes nothing writes nothing (no event, updated_at stays)', async () => {
    const before = dump();
    for (const fields of [{}, { notes: jamesActive.record.notes }, { user_id: maya, active: true }]) {
      const res = await update(inbox.jamesOpen, jamesActive.id, fields);
      expect(res.status).toBe(200);
      expect(res.body.data.id).toBe(jamesActive.id);
    }
    expect(dump()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('the schema itself allows one active assignment per conversation', () => {
    const insert = () => app.db.prepare(
      `INSERT INTO conversation_assignments (project_id, id, conversation_id, user_id, active, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, ?, ?)`,
    ).run(ids.demoProject, MISSING_ID, inbox.jamesOpen, tom, T0, T0);
    expect(insert).toThrow(/UNIQUE constraint failed/);
  });
});

describe('users', () => {
  it.each([
    ['create', () => assign(inbox.sofiaNeverWrote, { user_id: ben })],
    ['update (give it to them)', () => update(inbox.jamesOpen, jamesActive.id, { user_id: ben })],
    ['update (reopen one of theirs)', () => update(String(bensClosed.record.conversation_id), bensClosed.id, { active: true })],
  ])('a user who left the project: 422 on %s, nothing stored', async (_case, call) => {
    const before = dump();
    const res = await call();
    expect(res.status).toBe(422);
    expect(res.body).toEqual(NOT_A_MEMBER);
    expect(dump()).toEqual(before);
  });

  it('their closed assignments can still be edited', async () => {
    const res = await update(String(bensClosed.record.conversation_id), bensClosed.id, { notes: 'Ben has left; kept for the record' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ user_id: ben, active: false, notes: 'Ben has left; kept for the record' });
  });

  it.each([
    ['an unknown user', MISSING_ID],
    ["another project's user", lena],
    ['an ID that is not a UUID', 'user-123'],
  ])('%s: 404 "User not found" on create and update, nothing stored', async (_case, userId) => {
    const before = dump();
    for (const res of [await assign(inbox.sofiaNeverWrote, { user_id: userId }), await update(inbox.jamesOpen, jamesActive.id, { user_id: userId })]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'User not found' });
    }
    expect(dump()).toEqual(before);
  });

  it('a user ID in capitals finds the user', async () => {
    expect((await assign(inbox.sofiaNeverWrote, { user_id: tom.toUpperCase() })).body.data.user_id).toBe(tom);
  });

  it('the control plane lists a project\'s users and adds one, who can be assigned at once', async () => {
    const listed = await admin.get(`/__admin/projects/${ids.demoProject}/users`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((u: Rec) => u.id).sort()).toEqual(seed.ids('projectUsers', demo.id).sort());
    expect(listed.body.data.find((u: Rec) => u.id === ben)).toMatchObject({ name: 'Ben Carter', active: false });

    const created = await admin.post(`/__admin/projects/${ids.demoProject}/users`, { name: 'Rosa Delgado', email: 'Rosa@Acme.example' });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.stringMatching(UUID_V4), name: 'Rosa Delgado', email: 'rosa@acme.example', active: true, created_at: T0, updated_at: T0,
    });
    expect(named(events)).toEqual(['record.created']);
    expect(events[0]!.data).toEqual({ type: 'project_user', id: created.body.data.id });
    expect((await assign(inbox.sofiaNeverWrote, { user_id: created.body.data.id })).status).toBe(201);
    // Users belong to their project.
    expect((await assign(inbox.helenOpen, { user_id: created.body.data.id }, OTHER_KEY)).body).toEqual({ error: 'User not found' });
  });

  it.each([
    ['an e-mail address already in the project (any case)', { name: 'Sam Again', email: 'SAM@acme.example' }, 422, { error: 'Email has already been taken' }],
    ['an address that is not one', { name: 'Nobody', email: 'nobody' }, 422, { error: 'Validation failed', message: 'email is not a valid e-mail address' }],
    ['no name', { email: 'x@acme.example' }, 422, { error: 'Validation failed', message: "name can't be blank" }],
  ])('the control plane refuses %s', async (_case, body, status, error) => {
    const res = await admin.post(`/__admin/projects/${ids.demoProject}/users`, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
  });

  it('an unknown project: 404', async () => {
    expect((await admin.get(`/__admin/projects/${MISSING_ID}/users`)).body).toEqual({ error: 'Project not found' });
    expect((await admin.post(`/__admin/projects/${MISSING_ID}/users`, { name: 'A', email: 'a@b.example' })).status).toBe(404);
  });

  it('the same e-mail address may be in two projects', async () => {
    expect((await admin.post(`/__admin/projects/${ids.otherProject}/users`, { name: 'Sam Rivera', email: 'sam@acme.example' })).status).toBe(201);
  });
});

describe('404s', () => {
  it.each([
    ['an unknown conversation', MISSING_ID, undefined],
    ["another project's conversation", inbox.helenOpen, undefined],
    ["the Demo Project's conversation with the other key", inbox.jamesOpen, OTHER_KEY],
    ['a conversation ID that is not a UUID', 'conv-1', undefined],
  ])('%s: "Conversation not found" on every route, nothing written', async (_case, conversationId, key) => {
    const before = dump();
    for (const res of [
      await api.get(url(conversationId), key === undefined ? {} : { key }),
      await assign(conversationId, { user_id: tom }, key),
      await update(conversationId, jamesActive.id, { notes: 'x' }, key),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Conversation not found' });
    }
    expect(dump()).toEqual(before);
  });

  it.each([
    ['an unknown assignment', MISSING_ID],
    ["another conversation's assignment", mariaClosed.id],
  ])('%s: "Conversation assignment not found"', async (_case, id) => {
    const res = await update(inbox.jamesOpen, id, { notes: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation assignment not found' });
  });
});

describe('bad input', () => {
  it.each([
    ['no user_id', { notes: 'x' }, "user_id can't be blank"],
    ['user_id a number', { user_id: 7 }, 'user_id must be a string'],
    ['notes a number', { user_id: tom, notes: 5 }, 'notes must be a string'],
    ['notes too long', { user_id: tom, notes: 'x'.repeat(2001) }, 'notes must be at most 2000'],
  ])('create with %s: 422', async (_case, fields, message) => {
    const res = await assign(inbox.sofiaNeverWrote, fields);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it.each([
    ['active a string', { active: 'false' }, 'active must be a boolean'],
    ['user_id null', { user_id: null }, 'user_id must be a string'],
  ])('update with %s: 422', async (_case, fields, message) => {
    const res = await update(inbox.jamesOpen, jamesActive.id, fields);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it.each([
    ['create', () => api.post(url(inbox.jamesOpen), { user_id: tom })],
    ['update', () => api.patch(oneUrl(inbox.jamesOpen, jamesActive.id), { notes: 'x' })],
  ])('%s without the conversation_assignment wrapper: 400', async (_case, call) => {
    const res = await call();
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'param is missing or the value is empty: conversation_assignment' });
  });

  it('the seeded assignment list matches the fixtures', async () => {
    const res = await api.get(url(inbox.mariaOpen));
    expect(res.body.data.map((a: Rec) => a.id)).toEqual(assignmentsOf(inbox.mariaOpen).map((a) => a.id));
  });
});
