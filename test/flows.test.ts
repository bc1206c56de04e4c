// Flows and flow executions: flows from the fixtures with execution_count and last_executed_at
// true to their executions; starting an execution (202, found by tracking_id), the spec's own 422
// bodies; the status filter's numeric codes; resume only from waiting; and the control plane that
// moves an execution through its lifecycle.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { AdminError, startKapsoMock } from '../src/index.js';
import type { AnyEvent, RecordRef } from '../src/lib/events.js';
import { client, DEMO_KEY, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { demo, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const flowUrl = (id: string) => `/api/v1/flows/${encodeURIComponent(id)}`;
const executionsUrl = (flowId: string, query = '') => `${flowUrl(flowId)}/executions${query}`;
const executionUrl = (id: string) => `/api/v1/flow_executions/${encodeURIComponent(id)}`;
const statusUrl = (id: string) => `/__admin/flow_executions/${encodeURIComponent(id)}/status`;

type Rec = Record<string, any>;
const flowRecord = (name: string) => seed.find('flows', name);
const orderFlow = flowRecord('Order Confirmation');
const surveyFlow = flowRecord('Delivery Feedback Survey');
const cartFlow = flowRecord('Abandoned Cart Recovery');
const legacyFlow = flowRecord('Legacy Welcome Sequence');
const otherFlow = flowRecord('Appointment Confirmation');
const executionsOf = (flowId: string) => seed.records.filter((r) => r.kind === 'flowExecutions' && r.parentId === flowId);
const executionWith = (flowId: string, status: string) => {
  const found = executionsOf(flowId).filter((r) => r.record.status === status);
  expect(found.length).toBeGreaterThan(0);
  return found[0]!;
};
const waiting = executionWith(orderFlow.id, 'waiting');
const running = executionWith(orderFlow.id, 'running');
const ended = executionWith(orderFlow.id, 'ended');
const failed = executionWith(orderFlow.id, 'failed');
const stepsOf = (flow: typeof orderFlow) => flow.record.steps as { id: string; name: string; step_type: string }[];

let app: Awaited<ReturnType<typeof makeFrozenApp>>['app'];
let api: Client;
let admin: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;
let events: string[];

beforeEach(async () => {
  ({ app, api, clock, db } = await makeFrozenApp(T0));
  admin = client(app, null);
  events = [];
  app.events.onLive((e: AnyEvent) => {
    if (e.name.startsWith('record.') && (e.data as RecordRef).type === 'flow_execution') events.push(`${e.name} ${(e.data as RecordRef).id}`);
  });
});

const executionCount = () => db.prepare('SELECT count(*) FROM flow_executions').pluck().get() as number;
const listedIds = (res: { body: any }) => res.body.data.map((x: { id: string }) => x.id as string);

describe('flows', () => {
  it('lists every flow of the project newest first, each as the spec shapes it', async () => {
    const res = await api.get('/api/v1/flows');
    expect(res.status).toBe(200);
    const byNewest = seed.records.filter((r) => r.kind === 'flows' && r.projectId === demo.id)
      .sort((a, b) => String(b.record.created_at).localeCompare(String(a.record.created_at)));
    expect(listedIds(res)).toEqual(byNewest.map((f) => f.id));
    expect(Object.keys(res.body).sort()).toEqual(['data']);
    const survey = res.body.data.find((f: Rec) => f.id === surveyFlow.id);
    expect(survey).toEqual({
      id: surveyFlow.id, name: 'Delivery Feedback Survey', description: surveyFlow.record.description, status: 'draft',
      project_id: demo.id, created_at: surveyFlow.record.created_at, updated_at: surveyFlow.record.updated_at,
      created_by: surveyFlow.record.created_by, last_executed_at: null, execution_count: 0,
    });
    const legacy = res.body.data.find((f: Rec) => f.id === legacyFlow.id);
    expect(legacy).toMatchObject({ description: null, created_by: null, status: 'archived', execution_count: 1 });
  });

  it.each([
    ['active', [orderFlow.id, cartFlow.id]],
    ['draft', [surveyFlow.id]],
    ['archived', [legacyFlow.id]],
    ['deleted', []],
    ['', null],
  ])('q[status_eq]=%s filters (blank: ignored)', async (status, expected) => {
    const res = await api.get(`/api/v1/flows?q%5Bstatus_eq%5D=${status}`);
    expect(res.status).toBe(200);
    const all = seed.ids('flows', demo.id);
    expect(new Set(listedIds(res))).toEqual(new Set(expected ?? all));
  });

  it('gets a flow; execution_count and last_executed_at are read from its executions', async () => {
    const res = await api.get(flowUrl(orderFlow.id));
    expect(res.status).toBe(200);
    const seeded = executionsOf(orderFlow.id);
    const newest = seeded.map((e) => String(e.record.started_at ?? e.record.created_at ?? T0)).sort().at(-1);
    expect(res.body.data).toMatchObject({ id: orderFlow.id, execution_count: seeded.length, last_executed_at: newest });
  });

  it.each([
    ['an unknown ID', MISSING_ID],
    ['an ID that is not a UUID', 'flow-123abc'],
    ["another project's flow", otherFlow.id],
  ])('answers 404 for %s on every flow route', async (_case, id) => {
    const before = executionCount();
    for (const res of [
      await api.get(flowUrl(id)),
      await api.get(executionsUrl(id)),
      await api.post(executionsUrl(id), { phone_number: '+14155550100' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Flow not found' });
    }
    expect(executionCount()).toBe(before);
  });
});

describe('client flow: start an execution, find it by tracking_id, resume it, end it', () => {
  it('202, then the execution is in the flow\'s list and the flow\'s counters follow', async () => {
    const before = (await api.get(flowUrl(orderFlow.id))).body.data;
    clock.advance(5000);
    const started = await api.post(executionsUrl(orderFlow.id), {
      phone_number: '+14155550190', variables: { order_id: 'ORD-20001' }, context: { source: 'mobile_app' }, initial_data: { cart: [1, 2] },
    });
    expect(started.status).toBe(202);
    const tracking = started.body.tracking_id as string;
    expect(tracking).toMatch(UUID_V4);
    expect(started.body).toEqual({ flow_id: orderFlow.id, tracking_id: tracking, message: 'Flow execution queued' });

    const list = await api.get(executionsUrl(orderFlow.id));
    const found = list.body.data.filter((e: Rec) => e.tracking_id === tracking);
    expect(found).toHaveLength(1);
    const execution = found[0];
    expect(list.body.data[0]).toEqual(execution);
    const flowAfter = { ...before, execution_count: before.execution_count + 1, last_executed_at: at(5000) };
    expect(execution).toEqual({
      id: expect.stringMatching(UUID_V4), flow_id: orderFlow.id, status: 'running', started_at: at(5000), ended_at: null,
      last_event_at: at(5000), tracking_id: tracking, current_step: stepsOf(orderFlow)[0],
      execution_context: { trigger: 'api', phone_number: '+14155550190', context: { source: 'mobile_app' }, initial_data: { cart: [1, 2] } },
      variables: { order_id: 'ORD-20001' },
      flow: flowAfter,
    });
    expect((await api.get(executionUrl(execution.id))).body).toEqual({ data: execution });
    expect((await api.get(flowUrl(orderFlow.id))).body.data).toEqual(flowAfter);
    // The flow's own updated_at does not move: nothing stored on it changed.
    expect(flowAfter.updated_at).toBe(orderFlow.record.updated_at);

    // The engine waits for the customer's reply, then the client resumes it.
    clock.advance(1000);
    const waited = await admin.post(statusUrl(execution.id), { status: 'waiting', current_step_id: stepsOf(orderFlow)[1]!.id });
    expect(waited.status).toBe(200);
    expect(waited.body.data).toMatchObject({ status: 'waiting', current_step: stepsOf(orderFlow)[1], last_event_at: at(6000), ended_at: null });

    clock.advance(1000);
    const resumed = await api.post(`${executionUrl(execution.id)}/resume`, { input: 'Tomorrow 9-12' });
    expect(resumed.status).toBe(200);
    expect(resumed.body.data).toEqual({
      ...waited.body.data, status: 'running', last_event_at: at(7000),
      execution_context: { ...execution.execution_context, last_resume: { input: 'Tomorrow 9-12', resumed_at: at(7000) } },
    });

    clock.advance(1000);
    const done = await admin.post(statusUrl(execution.id), { status: 'ended', current_step_id: stepsOf(orderFlow)[2]!.id, variables: { delivery_slot: 'Tomorrow 9-12' } });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      status: 'ended', ended_at: at(8000), last_event_at: at(8000), current_step: stepsOf(orderFlow)[2],
      variables: { order_id: 'ORD-20001', delivery_slot: 'Tomorrow 9-12' },
    });
    expect((await api.get(executionUrl(execution.id))).body).toEqual(done.body);
    expect(events).toEqual([
      `record.created ${execution.id}`, `record.updated ${execution.id}`, `record.updated ${execution.id}`, `record.updated ${execution.id}`,
    ]);
  });

  it('a flow without steps starts with no current step; variables, context and initial_data default to empty', async () => {
    db.prepare("UPDATE flows SET steps = '[]' WHERE id = ?").run(orderFlow.id);
    const started = await api.post(executionsUrl(orderFlow.id), { phone_number: '+447700900777' });
    expect(started.status).toBe(202);
    const execution = (await api.get(executionsUrl(orderFlow.id))).body.data.find((e: Rec) => e.tracking_id === started.body.tracking_id);
    expect(execution).toMatchObject({
      current_step: null, variables: {}, execution_context: { trigger: 'api', phone_number: '+447700900777', context: {}, initial_data: {} },
    });
  });
});

describe('createFlowExecution refusals', () => {
  it.each([
    ['a draft flow', () => surveyFlow.id, { error: 'Flow is not active', details: 'Flow must be in active status and have an active API trigger' }],
    ['an archived flow', () => legacyFlow.id, { error: 'Flow is not active', details: 'Flow must be in active status and have an active API trigger' }],
    ['an active flow without an API trigger', () => cartFlow.id, { error: 'Flow has no active API trigger', details: 'Flow must be in active status and have an active API trigger' }],
  ])('%s answers the spec\'s 422 {error, details} and starts nothing', async (_case, flowId, expected) => {
    const before = executionCount();
    const res = await api.post(executionsUrl(flowId()), { phone_number: '+14155550100' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(expected);
    expect(executionCount()).toBe(before);
    expect(events).toEqual([]);
  });

  it.each([
    ['no phone_number', {}, "phone_number can't be blank"],
    ['a phone_number without +', { phone_number: '14155550100' }, 'phone_number must be in E.164 format (+15551234567)'],
    ['a phone_number with spaces', { phone_number: '+1 415 555 0100' }, 'phone_number must be in E.164 format (+15551234567)'],
    ['a phone_number of 16 digits', { phone_number: '+1234567890123456' }, 'phone_number must be in E.164 format (+15551234567)'],
    ['a numeric phone_number', { phone_number: 14155550100 }, 'phone_number must be a string'],
    ['variables that are not an object', { phone_number: '+14155550100', variables: [1] }, 'variables must be an object'],
    ['context that is not an object', { phone_number: '+14155550100', context: 'mobile' }, 'context must be an object'],
  ])('%s answers 422 Validation failed', async (_case, body, message) => {
    const before = executionCount();
    const res = await api.post(executionsUrl(orderFlow.id), body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect(executionCount()).toBe(before);
  });

  it('a body that is not JSON is 400', async () => {
    const res = await api.post(executionsUrl(orderFlow.id), '{"phone_number":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'Body is not valid JSON' });
  });
});

describe('listFlowExecutions', () => {
  const seededIds = () => executionsOf(orderFlow.id).map((e) => e.id);

  it('lists every execution newest first by started_at, with the flow embedded', async () => {
    const res = await api.get(executionsUrl(orderFlow.id));
    expect(res.status).toBe(200);
    const startedAt = res.body.data.map((e: Rec) => e.started_at as string);
    expect([...startedAt].sort().reverse()).toEqual(startedAt);
    expect(new Set(listedIds(res))).toEqual(new Set(seededIds()));
    for (const e of res.body.data) expect(e.flow.id).toBe(orderFlow.id);
  });

  it.each([
    ['0', 'running'], ['1', 'waiting'], ['2', 'ended'], ['3', 'failed'],
    ['running', 'running'], ['waiting', 'waiting'], ['ended', 'ended'], ['failed', 'failed'],
  ])('q[status_eq]=%s lists the %s ones', async (code, status) => {
    const res = await api.get(executionsUrl(orderFlow.id, `?q%5Bstatus_eq%5D=${code}`));
    expect(res.status).toBe(200);
    expect(listedIds(res)).toEqual(executionsOf(orderFlow.id).filter((e) => e.record.status === status).map((e) => e.id));
  });

  it.each(['4', '-1', 'RUNNING', 'active'])('q[status_eq]=%s matches nothing', async (code) => {
    const res = await api.get(executionsUrl(orderFlow.id, `?q%5Bstatus_eq%5D=${code}`));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  it('q[started_at_gteq] and q[started_at_lteq] bound started_at (a bare date covers the day)', async () => {
    expect(listedIds(await api.get(executionsUrl(orderFlow.id, '?q%5Bstarted_at_lteq%5D=2026-03-10')))).toEqual([failed.id]);
    expect(listedIds(await api.get(executionsUrl(orderFlow.id, '?q%5Bstarted_at_gteq%5D=2026-03-11T15:00:00Z&q%5Bstarted_at_lteq%5D=2026-03-31')))).toEqual([ended.id]);
    expect(new Set(listedIds(await api.get(executionsUrl(orderFlow.id, `?q%5Bstarted_at_gteq%5D=${T0}`))))).toEqual(new Set([waiting.id, running.id]));
    expect(listedIds(await api.get(executionsUrl(orderFlow.id, '?q%5Bstarted_at_gteq%5D=not-a-date'))).length).toBe(seededIds().length);
  });

  it('a flow without executions lists none', async () => {
    const res = await api.get(executionsUrl(surveyFlow.id));
    expect(res.body).toEqual({ data: [] });
  });
});

describe('getFlowExecution', () => {
  it('shows a seeded ended execution exactly', async () => {
    const res = await api.get(executionUrl(ended.id));
    expect(res.status).toBe(200);
    const step = stepsOf(orderFlow).find((s) => s.id === ended.record.current_step_id);
    expect(res.body.data).toMatchObject({
      id: ended.id, flow_id: orderFlow.id, status: 'ended', started_at: ended.record.started_at, ended_at: ended.record.ended_at,
      last_event_at: ended.record.ended_at, tracking_id: ended.record.tracking_id, current_step: step,
      execution_context: ended.record.execution_context, variables: ended.record.variables,
    });
  });

  it('an execution not started through the API has no tracking_id', async () => {
    const inbound = executionsOf(cartFlow.id)[0]!;
    expect((await api.get(executionUrl(inbound.id))).body.data.tracking_id).toBeNull();
  });

  it.each([
    ['an unknown ID', MISSING_ID],
    ['an ID that is not a UUID', 'exec-456def'],
    ["another project's execution", executionsOf(otherFlow.id)[0]!.id],
  ])('answers 404 for %s (GET and resume)', async (_case, id) => {
    for (const res of [await api.get(executionUrl(id)), await api.post(`${executionUrl(id)}/resume`, { input: 'yes' })]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Flow execution not found' });
    }
  });
});

describe('resumeFlowExecution', () => {
  it.each([
    ['no body at all', undefined, {}],
    ['an empty object', {}, {}],
    ['a JSON null', null, {}],
    ['a message object', { message: { button_id: 'confirm_button' } }, { message: { button_id: 'confirm_button' } }],
    ['input and message', { input: 'yes', message: { button_id: 'confirm_button' } }, { input: 'yes', message: { button_id: 'confirm_button' } }],
  ])('resumes a waiting execution with %s', async (_case, body, recorded) => {
    clock.advance(1000);
    const res = body === undefined ? await api.post(`${executionUrl(waiting.id)}/resume`) : await api.post(`${executionUrl(waiting.id)}/resume`, body);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'running', last_event_at: at(1000), ended_at: null });
    expect(res.body.data.execution_context.last_resume).toEqual({ ...recorded, resumed_at: at(1000) });
  });

  it.each([
    ['running', () => running.id],
    ['ended', () => ended.id],
    ['failed', () => failed.id],
  ])('a %s execution answers the spec\'s 422 and does not change', async (_status, id) => {
    const before = (await api.get(executionUrl(id()))).body;
    const res = await api.post(`${executionUrl(id())}/resume`, { input: 'yes' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Execution cannot be resumed', message: 'The execution is not in a waiting state' });
    expect((await api.get(executionUrl(id()))).body).toEqual(before);
  });

  it('resuming twice: the second answers 422', async () => {
    expect((await api.post(`${executionUrl(waiting.id)}/resume`, { input: 'yes' })).status).toBe(200);
    expect((await api.post(`${executionUrl(waiting.id)}/resume`, { input: 'yes' })).status).toBe(422);
  });

  it.each([
    ['input that is not a string', { input: 5 }, 422, { error: 'Validation failed', message: 'input must be a string' }],
    ['message that is not an object', { message: 'yes' }, 422, { error: 'Validation failed', message: 'message must be an object' }],
    ['a body that is not an object', '"yes"', 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
  ])('%s is refused and the execution keeps waiting', async (_case, body, status, expected) => {
    const res = await api.post(`${executionUrl(waiting.id)}/resume`, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expected);
    expect((await api.get(executionUrl(waiting.id))).body.data.status).toBe('waiting');
  });
});

describe('POST /__admin/flow_executions/{id}/status', () => {
  it('running -> waiting -> running -> failed; failed is final', async () => {
    clock.advance(1000);
    expect((await admin.post(statusUrl(running.id), { status: 'waiting' })).body.data).toMatchObject({ status: 'waiting', ended_at: null, last_event_at: at(1000) });
    clock.advance(1000);
    expect((await admin.post(statusUrl(running.id), { status: 'running' })).body.data).toMatchObject({ status: 'running', ended_at: null });
    clock.advance(1000);
    expect((await admin.post(statusUrl(running.id), { status: 'failed' })).body.data).toMatchObject({ status: 'failed', ended_at: at(3000), last_event_at: at(3000) });
    const res = await admin.post(statusUrl(running.id), { status: 'running' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'The flow execution has already failed: it cannot move any more' });
    expect((await api.get(executionUrl(running.id))).body.data.status).toBe('failed');
  });

  it('an ended execution cannot move', async () => {
    const res = await admin.post(statusUrl(ended.id), { status: 'waiting' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'The flow execution has already ended: it cannot move any more' });
  });

  it('the same status with nothing else changed writes nothing', async () => {
    const before = (await api.get(executionUrl(waiting.id))).body.data;
    clock.advance(60_000);
    const res = await admin.post(statusUrl(waiting.id), { status: 'waiting', current_step_id: waiting.record.current_step_id, variables: {} });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(before);
    expect(events).toEqual([]);
  });

  it('a step that is not one of the flow\'s is refused', async () => {
    const res = await admin.post(statusUrl(waiting.id), { status: 'running', current_step_id: stepsOf(cartFlow)[0]!.id });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: "current_step_id is not a step of the execution's flow" });
    expect((await api.get(executionUrl(waiting.id))).body.data.status).toBe('waiting');
  });

  it.each([
    ['no status', {}, 'status must be one of: running, waiting, ended, failed'],
    ['an unknown status', { status: 'paused' }, 'status must be one of: running, waiting, ended, failed'],
    ['variables that are not an object', { status: 'running', variables: 'x' }, 'variables must be an object'],
  ])('%s is 422', async (_case, body, message) => {
    const res = await admin.post(statusUrl(waiting.id), body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it('an unknown execution is 404', async () => {
    const res = await admin.post(statusUrl(MISSING_ID), { status: 'ended' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Flow execution not found' });
  });

  it('takes the project from the only project holding the ID, or from project_id, or from X-API-Key', async () => {
    const otherExecution = executionWith(otherFlow.id, 'waiting');
    expect((await admin.post(statusUrl(otherExecution.id), { status: 'ended' })).status).toBe(200);
    expect((await api.get(executionUrl(otherExecution.id), { key: OTHER_KEY })).body.data.status).toBe('ended');

    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const ambiguous = await admin.post(statusUrl(waiting.id), { status: 'running' });
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body.message).toBe(`2 projects hold flow execution ${waiting.id}: give project_id (one of ${[demo.id, sandbox.id].sort().join(', ')}) or their X-API-Key`);

    expect((await admin.post(statusUrl(waiting.id), { status: 'running', project_id: sandbox.id })).status).toBe(200);
    expect((await api.get(executionUrl(waiting.id), { key: sandbox.api_key })).body.data.status).toBe('running');
    expect((await api.get(executionUrl(waiting.id))).body.data.status).toBe('waiting');

    expect((await admin.post(`${statusUrl(waiting.id)}?project_id=${demo.id}`, { status: 'ended' })).status).toBe(200);
    expect((await api.get(executionUrl(waiting.id))).body.data.status).toBe('ended');

    expect((await admin.post(statusUrl(running.id), { status: 'waiting' }, { headers: { 'x-api-key': DEMO_KEY } })).status).toBe(200);
    expect((await api.get(executionUrl(running.id))).body.data.status).toBe('waiting');
    expect((await api.get(executionUrl(running.id), { key: sandbox.api_key })).body.data.status).toBe('running');
    // Another project's key does not reach the Demo Project's execution.
    expect((await admin.post(statusUrl(running.id), { status: 'ended' }, { headers: { 'x-api-key': OTHER_KEY } })).status).toBe(404);
  });
});

describe('the admin client (startKapsoMock)', () => {
  it('setFlowExecutionStatus() and activateSandboxSession() over a real socket', async () => {
    const mock = await startKapsoMock();
    try {
      const moved = await mock.admin.setFlowExecutionStatus(waiting.id, { status: 'ended', variables: { outcome: 'done' } });
      expect(moved).toMatchObject({ id: waiting.id, status: 'ended', variables: { outcome: 'done' } });
      expect(moved.ended_at).not.toBeNull();
      const err = await mock.admin.setFlowExecutionStatus(waiting.id, { status: 'running' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdminError);
      expect((err as AdminError).status).toBe(422);

      const pending = seed.records.find((r) => r.kind === 'sandboxSessions' && r.projectId === demo.id && r.record.status === 'pending_activation')!;
      const activated = await mock.admin.activateSandboxSession(pending.id, demo.id);
      expect(activated).toMatchObject({ id: pending.id, status: 'active' });
    } finally {
      await mock.close();
    }
  });
});
