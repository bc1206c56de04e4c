// /__admin/requests: what the code under test sent, filtered, counted, awaited, cleared.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { parseQuery, redactHeaders } from './capture.js';
import { pathOf, type JournalEntry, type JournalFilter } from './journal.js';
import { notFound } from '../../errors.js';
import { JournalCountQuery, JournalCountResponse, JournalEntryParams, JournalEntryResponse, JournalListResponse, JournalQuery, WaitBody, WaitResponse } from './schemas.js';

const toFilter = (q: { method?: string | undefined; path?: string | undefined; status?: number | undefined; project_id?: string | undefined; since?: string | undefined; until?: string | undefined }): JournalFilter => ({
  method: q.method, path: q.path, status: q.status, projectId: q.project_id,
  since: q.since === undefined ? undefined : Date.parse(q.since),
  until: q.until === undefined ? undefined : Date.parse(q.until),
});

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Entries are stored as recorded and shaped (and redacted) for the wire only when someone asks. */
const toWire = (e: JournalEntry) => ({
  id: e.id, time: new Date(e.at).toISOString(), method: e.method, path: pathOf(e.url), query: parseQuery(e.url),
  headers: redactHeaders(e.headers), body: e.body,
  status: e.status, response_body: parseBody(e.responseBody), duration_ms: Math.round(e.durationMs * 1000) / 1000, project_id: e.projectId,
});

export const journalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { journal } = app;
  const r = routes(app, adminTags);

  r.get('/requests', {
    operationId: 'adminListRequests', summary: 'Recorded requests (/api/v1 and the Meta proxy), newest first',
    description: `The journal keeps the last KAPSO_MOCK_JOURNAL_SIZE requests (default 1000).`,
    query: JournalQuery, response: JournalListResponse, errors: [400, 401],
  }, async (request) => {
    const entries = journal.list(toFilter(request.query), request.query.limit);
    return { data: entries.map(toWire), meta: { count: entries.length, capacity: journal.capacity } };
  });

  r.get('/requests/:id', {
    operationId: 'adminGetRequest', summary: 'One recorded request, while the journal holds it',
    description: 'The entry the event stream announces as request.recorded (by its id), with its bodies and redacted headers.',
    params: JournalEntryParams, response: JournalEntryResponse,
  }, async (request) => {
    const entry = /^\d{1,15}$/.test(request.params.id) ? journal.get(Number(request.params.id)) : undefined;
    if (!entry) throw notFound('Request');
    return { data: toWire(entry) };
  });

  r.get('/requests/count', {
    operationId: 'adminCountRequests', summary: 'How many recorded requests match',
    query: JournalCountQuery, response: JournalCountResponse, errors: [400, 401],
  }, async (request) => ({ data: { count: journal.count(toFilter(request.query)) } }));

  r.post('/requests/wait', {
    operationId: 'adminWaitForRequests', summary: 'Wait for matching requests (for asynchronous code under test)',
    description: 'Answers as soon as `count` matching requests are recorded (those already there count), '
      + 'or after `timeout_ms` with timed_out: true and what was seen.',
    body: WaitBody, response: WaitResponse, status: 200,
  }, async (request) => {
    const { count, timeout_ms, ...filter } = request.body;
    const { entries, timedOut } = await journal.wait(toFilter(filter), count, timeout_ms);
    return { data: entries.map(toWire), meta: { count: entries.length, timed_out: timedOut } };
  });

  r.delete('/requests', {
    operationId: 'adminClearRequests', summary: 'Clear the journal', errors: [401],
  }, async () => {
    journal.clear();
  });
};
