// Test suites, test cases and test runs: an agent's suites with their cases, cases created and
// updated, runs scored at once (run_now) or later by the control plane, deterministically.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const agentSuites = (agentId: string) => `/api/v1/agents/${encodeURIComponent(agentId)}/test_suites`;
const suite = (id: string) => `/api/v1/test_suites/${encodeURIComponent(id)}`;
const casesOf = (suiteId: string) => `${suite(suiteId)}/test_cases`;
const testCase = (id: string) => `/api/v1/test_cases/${encodeURIComponent(id)}`;
const runsOf = (caseId: string) => `${testCase(caseId)}/test_runs`;
const run = (id: string) => `/api/v1/test_runs/${encodeURIComponent(id)}`;
const runNow = (id: string) => `/__admin/test_runs/${id}/run`;

const orderSuite = seed.find('testSuites', 'Order inquiries');
const returnsSuite = seed.find('testSuites', 'Returns and refunds');
const trackingSuite = seed.find('testSuites', 'Tracking');
const otherSuite = seed.find('testSuites', (r) => r.agent_id === ids.otherAgent);
const lookupCase = seed.find('testCases', 'Order status lookup');
const escalationCase = seed.find('testCases', 'Escalation to a human');
const returnCase = seed.find('testCases', 'Return window');
const otherCase = seed.find('testCases', 'Reschedule');
const runsOfCase = (caseId: string) => seed.records.filter((r) => r.kind === 'testRuns' && r.parentId === caseId);
const scoredRun = runsOfCase(lookupCase.id).find((r) => r.record.status === 'completed')!;
const pendingRun = runsOfCase(lookupCase.id).find((r) => r.record.status === 'pending')!;
const failedRun = seed.find('testRuns', (r) => r.status === 'failed');
const otherRun = runsOfCase(otherCase.id)[0]!;

/** A seeded case in the API's shape. */
const caseView = (c: typeof lookupCase) => ({
  id: c.id, name: c.record.name, ...(c.record.description !== undefined && { description: c.record.description }), script: c.record.script,
  rubric: c.record.rubric, test_suite_id: c.parentId, created_at: c.record.created_at, updated_at: c.record.updated_at,
});

let api: Client;
let admin: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  const made = await makeFrozenApp(T0);
  ({ api, clock, db } = made);
  admin = client(made.app, null);
});

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const failed = (message: string) => ({ error: 'Validation failed', message });
const missing = (key: string) => ({ error: 'Invalid parameters', message: `param is missing or the value is empty: ${key}` });

describe('test suites', () => {
  it("lists the agent's suites newest first, each with its cases in the order they were written, no pagination", async () => {
    const res = await api.get(`${agentSuites(ids.supportAgent)}?page=2&per_page=1`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data']);
    expect(res.body.data.map((s: any) => s.id)).toEqual([returnsSuite.id, orderSuite.id]);
    expect(res.body.data[1]).toEqual({
      id: orderSuite.id, name: 'Order inquiries', description: orderSuite.record.description, agent_id: ids.supportAgent,
      created_at: orderSuite.record.created_at, updated_at: orderSuite.record.updated_at,
      test_cases: [caseView(lookupCase), caseView(escalationCase)],
    });
    expect(res.body.data[0]).not.toHaveProperty('description');
    expect((await api.get(agentSuites(ids.orderAgent))).body.data.map((s: any) => s.id)).toEqual([trackingSuite.id]);
  });

  it('client flow: create, get, list, add cases, get again', async () => {
    const created = await api.post('/api/v1/test_suites', { test_suite: { name: 'Smoke', description: 'Quick checks', agent_id: ids.orderAgent } });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(id).toMatch(UUID_V4);
    expect(created.body).toEqual({
      data: { id, name: 'Smoke', description: 'Quick checks', agent_id: ids.orderAgent, created_at: T0, updated_at: T0, test_cases: [] },
    });
    expect((await api.get(suite(id))).body).toEqual(created.body);
    expect((await api.get(agentSuites(ids.orderAgent))).body.data.map((s: any) => s.id)).toEqual([id, trackingSuite.id]);

    const first = await api.post(casesOf(id), { test_case: { name: 'Greets', script: 'Say: "Hi"', rubric: 'Agent asks for the order number' } });
    clock.advance(1000);
    const second = await api.post(casesOf(id), { test_case: { name: 'Tracks', description: 'Tracking', script: 'Say: "Track GLX-5521"', rubric: 'Agent shares the status' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const got = await api.get(suite(id));
    expect(got.body.data.test_cases).toEqual([first.body.data, second.body.data]);
    // Adding a case is not an edit of the suite.
    expect(got.body.data.updated_at).toBe(T0);
    expect((await api.get(agentSuites(ids.orderAgent))).body.data[0].test_cases).toEqual([first.body.data, second.body.data]);
  });

  it('a suite without a description leaves it out', async () => {
    const res = await api.post('/api/v1/test_suites', { test_suite: { name: 'Bare', agent_id: ids.supportAgent } });
    expect(res.status).toBe(201);
    expect(res.body.data).not.toHaveProperty('description');
  });

  it.each([
    ['an unknown agent', MISSING_ID],
    ['an agent id that is not a UUID', 'agent-123abc'],
    ["another project's agent", ids.otherAgent],
  ])('creating one for %s answers the spec\'s 404 "Agent not found"', async (_case, agentId) => {
    const res = await api.post('/api/v1/test_suites', { test_suite: { name: 'Nope', agent_id: agentId } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
    expect(count('test_suites')).toBe(seed.total('testSuites'));
  });

  it.each([
    ['no wrapper', { name: 'x', agent_id: ids.supportAgent }, 400, missing('test_suite')],
    ['a null wrapper', { test_suite: null }, 400, missing('test_suite')],
    ['a blank name', { test_suite: { name: ' ', agent_id: ids.supportAgent } }, 422, failed("name can't be blank")],
    ['no agent_id', { test_suite: { name: 'x' } }, 422, failed("agent_id can't be blank")],
    ['a numeric agent_id', { test_suite: { name: 'x', agent_id: 5 } }, 422, failed('agent_id must be a string')],
    ['a numeric description', { test_suite: { name: 'x', description: 1, agent_id: ids.supportAgent } }, 422, failed('description must be a string')],
  ])('rejects %s', async (_case, body, status, error) => {
    const res = await api.post('/api/v1/test_suites', body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(count('test_suites')).toBe(seed.total('testSuites'));
  });

  it.each([
    ['an unknown suite', MISSING_ID],
    ['a suite id that is not a UUID', 'suite-1'],
    ["another project's suite", otherSuite.id],
  ])('%s is 404 "Test suite not found" on get and on adding a case', async (_case, id) => {
    for (const res of [await api.get(suite(id)), await api.post(casesOf(id), { test_case: { name: 'x', script: 'y', rubric: 'z' } })]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Test suite not found' });
    }
    expect(count('test_cases')).toBe(seed.total('testCases'));
  });

  it.each([
    ['an unknown agent', MISSING_ID],
    ["another project's agent", ids.otherAgent],
  ])('listing the suites of %s is 404 "Agent not found"', async (_case, id) => {
    const res = await api.get(agentSuites(id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
  });

  it("the other project's key sees its own suites", async () => {
    const res = await api.get(agentSuites(ids.otherAgent), { key: OTHER_KEY });
    expect(res.body.data.map((s: any) => s.id)).toEqual([otherSuite.id]);
  });
});

describe('test cases', () => {
  it('client flow: create, get, update (PATCH and PUT), get', async () => {
    const created = await api.post(casesOf(returnsSuite.id), {
      test_case: { name: 'Refund timing', script: 'Ask: "When do I get my refund?"', rubric: 'Agent says refunds take 5 to 7 business days' },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body).toEqual({
      data: {
        id, name: 'Refund timing', script: 'Ask: "When do I get my refund?"', rubric: 'Agent says refunds take 5 to 7 business days',
        test_suite_id: returnsSuite.id, created_at: T0, updated_at: T0,
      },
    });
    expect((await api.get(testCase(id))).body).toEqual(created.body);

    clock.advance(60_000);
    const patched = await api.patch(testCase(id), { test_case: { description: 'Refund questions', rubric: 'Agent explains the refund timing' } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toEqual({ ...created.body.data, description: 'Refund questions', rubric: 'Agent explains the refund timing', updated_at: at(60_000) });
    clock.advance(60_000);
    const put = await api.put(testCase(id), { test_case: { name: 'Refunds' } });
    expect(put.body.data).toEqual({ ...patched.body.data, name: 'Refunds', updated_at: at(120_000) });
    expect((await api.get(testCase(id))).body).toEqual(put.body);
    expect((await api.get(suite(returnsSuite.id))).body.data.test_cases.map((c: any) => c.id)).toEqual([returnCase.id, id]);
  });

  it.each([
    ['an empty wrapper', {}],
    ['the same values', { name: lookupCase.record.name, script: lookupCase.record.script }],
    ['only unknown fields', { test_suite_id: otherSuite.id, id: MISSING_ID }],
  ])('an update with %s changes nothing, updated_at included', async (_case, fields) => {
    clock.advance(1000);
    const res = await api.patch(testCase(lookupCase.id), { test_case: fields });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(caseView(lookupCase));
  });

  it.each([
    ['no wrapper', { name: 'x' }, 400, missing('test_case')],
    ['a blank name', { test_case: { name: '', script: 's', rubric: 'r' } }, 422, failed("name can't be blank")],
    ['no script and no rubric', { test_case: { name: 'n' } }, 422, failed("script can't be blank, rubric can't be blank")],
    ['a numeric script', { test_case: { name: 'n', script: 1, rubric: 'r' } }, 422, failed('script must be a string')],
  ])('creating with %s is refused', async (_case, body, status, error) => {
    const res = await api.post(casesOf(orderSuite.id), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(count('test_cases')).toBe(seed.total('testCases'));
  });

  it.each([
    ['a blank rubric', { test_case: { rubric: '  ' } }, 422, failed("rubric can't be blank")],
    ['a null name', { test_case: { name: null } }, 422, failed('name must be a string')],
    ['a string wrapper', { test_case: 'x' }, 400, missing('test_case')],
  ])('updating with %s is refused and changes nothing', async (_case, body, status, error) => {
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await api.call(method, testCase(lookupCase.id), { body });
      expect(res.status).toBe(status);
      expect(res.body).toEqual(error);
    }
    expect((await api.get(testCase(lookupCase.id))).body.data).toEqual(caseView(lookupCase));
  });

  it.each([
    ['an unknown case', MISSING_ID],
    ['a case id that is not a UUID', 'case-1'],
    ["another project's case", otherCase.id],
  ])('%s is 404 "Test case not found" on get, update and run', async (_case, id) => {
    const answers = [
      await api.get(testCase(id)),
      await api.patch(testCase(id), { test_case: { name: 'Stolen' } }),
      await api.post(runsOf(id), { agent_test_run: {}, run_now: true }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Test case not found' });
    }
    expect(count('test_runs')).toBe(seed.total('testRuns'));
  });
});

describe('test runs', () => {
  it('run_now: true plays the script through the agent and scores it at once', async () => {
    const res = await api.post(runsOf(lookupCase.id), { agent_test_run: {}, run_now: true });
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    expect(res.body.data).toEqual({
      id,
      thread_id: expect.stringMatching(/^thread_[0-9a-f]{20}$/),
      started_at: T0,
      ended_at: T0,
      score: 10,
      feedback: 'Met 3 of 3 rubric criteria. Every criterion was met.',
      execution_completed: true,
      conversation: { messages: expect.any(Array) },
      full_history: { turns: expect.any(Array), criteria: expect.any(Array) },
      created_at: T0,
      updated_at: T0,
      test_case: caseView(lookupCase),
    });
    expect(res.body.data.conversation.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(res.body.data.conversation.messages.filter((m: any) => m.role === 'user').map((m: any) => m.content))
      .toEqual(['I want to check my order status', 'ACME-10423', 'Thanks, bye!']);
    expect(res.body.data.full_history.turns.filter((t: any) => t.role === 'assistant').map((t: any) => t.node)).toEqual(['order_lookup', 'goodbye', 'goodbye']);
    expect(res.body.data.full_history.criteria).toEqual([
      { criterion: 'Agent looks up the order status', weight: 40, met: true },
      { criterion: 'Agent shares the carrier and the delivery estimate', weight: 40, met: true },
      { criterion: 'Agent thanks the customer and says goodbye', weight: 20, met: true },
    ]);
    expect((await api.get(run(id))).body).toEqual(res.body);
  });

  it('is deterministic: the same case and graph give the same score; another graph, another score', async () => {
    const first = await api.post(runsOf(escalationCase.id), { agent_test_run: {}, run_now: true });
    const second = await api.post(runsOf(escalationCase.id), { agent_test_run: { note: 'ignored' }, run_now: true });
    const strip = (r: any) => ({ score: r.score, feedback: r.feedback, conversation: r.conversation, full_history: r.full_history });
    expect(strip(second.body.data)).toEqual(strip(first.body.data));
    expect(first.body.data.score).toBe(5);
    expect(first.body.data.feedback).toBe('Met 1 of 2 rubric criteria. Missed: "Agent apologises for the late package".');
    // The seeded run of the same case against the same graph has the same score.
    expect((await api.get(run(runsOfCase(escalationCase.id)[0]!.id))).body.data.score).toBe(5);

    const graph = {
      nodes: [{ id: 'sorry', name: 'sorry', type: 'HandoffNode', global: true, global_condition: 'late package manager',
        prompt: 'Apologise for the late package; a member of the team will take over.' }],
    };
    await api.patch(`/api/v1/agents/${ids.supportAgent}`, { agent: { graph } });
    const third = await api.post(runsOf(escalationCase.id), { agent_test_run: {}, run_now: true });
    expect(third.body.data.score).toBe(10);
    // Runs already scored keep their score.
    expect((await api.get(run(first.body.data.id))).body.data.score).toBe(5);
  });

  it('without run_now the run waits, unscored, until the control plane runs it', async () => {
    for (const body of [{ agent_test_run: {} }, { agent_test_run: {}, run_now: false }]) {
      const res = await api.post(runsOf(lookupCase.id), body);
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual({
        id: res.body.data.id, thread_id: expect.stringMatching(/^thread_/), execution_completed: false, created_at: T0, updated_at: T0,
        test_case: caseView(lookupCase),
      });
    }
    const waiting = (await api.post(runsOf(lookupCase.id), { agent_test_run: {} })).body.data;
    clock.advance(5000);
    const ran = await admin.post(runNow(waiting.id), {});
    expect(ran.status).toBe(200);
    expect(ran.body.data).toMatchObject({
      id: waiting.id, thread_id: waiting.thread_id, started_at: at(5000), ended_at: at(5000), score: 10, execution_completed: true, created_at: T0, updated_at: at(5000),
    });
    expect((await api.get(run(waiting.id))).body).toEqual(ran.body);

    const again = await admin.post(runNow(waiting.id), {});
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: 'Validation failed', message: 'This test run has already run' });
  });

  it('the control plane can fail a waiting run instead', async () => {
    const res = await admin.post(runNow(pendingRun.id), { error: 'Agent execution timed out' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ execution_completed: false, error: { message: 'Agent execution timed out' }, started_at: T0, ended_at: T0 });
    expect(res.body.data).not.toHaveProperty('score');
    expect(res.body.data).not.toHaveProperty('feedback');
  });

  it('seeded runs: a scored one, a waiting one, a failed one', async () => {
    const scored = (await api.get(run(scoredRun.id))).body.data;
    expect(scored).toMatchObject({ score: 10, execution_completed: true, started_at: '2026-02-21T10:00:00.000Z', ended_at: '2026-02-21T10:00:42.000Z' });
    const waiting = (await api.get(run(pendingRun.id))).body.data;
    expect(waiting).not.toHaveProperty('started_at');
    expect(waiting).not.toHaveProperty('score');
    const failedOne = (await api.get(run(failedRun.id))).body.data;
    expect(failedOne).toMatchObject({ execution_completed: false, error: { message: 'Agent execution timed out after 120 seconds' } });
    expect(new Set([scored.thread_id, waiting.thread_id, failedOne.thread_id]).size).toBe(3);
    // Running the waiting seeded run gives the seeded scored run's outcome: same case, same graph.
    const ran = (await admin.post(runNow(pendingRun.id), {})).body.data;
    expect({ ...ran, id: 0, thread_id: 0, started_at: 0, ended_at: 0, created_at: 0, updated_at: 0 })
      .toEqual({ ...scored, id: 0, thread_id: 0, started_at: 0, ended_at: 0, created_at: 0, updated_at: 0 });
  });

  it('with no AI credits left a run fails', async () => {
    await admin.patch(`/__admin/projects/${ids.demoProject}/agent_settings`, { credits: 1 });
    expect((await api.post(runsOf(lookupCase.id), { agent_test_run: {}, run_now: true })).body.data.score).toBe(10);
    const res = await api.post(runsOf(lookupCase.id), { agent_test_run: {}, run_now: true });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ execution_completed: false, error: { message: 'Insufficient credits' } });
    const later = await admin.post(runNow(pendingRun.id), {});
    expect(later.body.data.error).toEqual({ message: 'Insufficient credits' });
  });

  it.each([
    ['no body', undefined, 400, missing('agent_test_run')],
    ['an empty object', {}, 400, missing('agent_test_run')],
    ['only run_now', { run_now: true }, 400, missing('agent_test_run')],
    ['a null agent_test_run', { agent_test_run: null, run_now: true }, 400, missing('agent_test_run')],
    ['a string agent_test_run', { agent_test_run: 'run' }, 400, { error: 'Invalid parameters', message: 'agent_test_run must be an object' }],
    ['an array agent_test_run', { agent_test_run: [] }, 400, { error: 'Invalid parameters', message: 'agent_test_run must be an object' }],
    ['a bad agent_test_run and a bad run_now: the 400 first', { agent_test_run: 1, run_now: 'yes' }, 400,
      { error: 'Invalid parameters', message: 'agent_test_run must be an object' }],
    ['run_now as a string', { agent_test_run: {}, run_now: 'true' }, 422, failed('run_now must be a boolean')],
    ['run_now as null', { agent_test_run: {}, run_now: null }, 422, failed('run_now must be a boolean')],
    ['a body that is an array', [], 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
  ])('rejects %s', async (_case, body, status, error) => {
    const res = await api.post(runsOf(lookupCase.id), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(count('test_runs')).toBe(seed.total('testRuns'));
  });

  it.each([
    ['an unknown run', MISSING_ID],
    ['a run id that is not a UUID', 'run-1'],
    ["another project's run", otherRun.id],
  ])('%s is 404 "Test run not found"', async (_case, id) => {
    const res = await api.get(run(id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Test run not found' });
  });

  it('the control plane answers 404 for an unknown run, and finds a run by the project that holds it', async () => {
    const res = await admin.post(runNow(MISSING_ID), {});
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Test run not found' });
    const wrong = await admin.post(runNow(otherRun.id), { project_id: ids.demoProject });
    expect(wrong.status).toBe(404);
    const mine = await admin.post(runNow(otherRun.id), {}, { key: OTHER_KEY });
    expect(mine.status).toBe(422);
    expect(mine.body).toEqual({ error: 'Validation failed', message: 'This test run has already run' });
  });
});
