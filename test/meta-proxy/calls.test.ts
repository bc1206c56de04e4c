// WhatsApp Calling through the official SDK: business-initiated calls need the user's permission,
// calling on and a registered number, and stay within WhatsApp's limits; inbound calls ring until
// pre-accepted, accepted or rejected; terminate ends a call; the calls list pages and filters.
import { describe, expect, it } from 'vitest';
import { DEMO_KEY, expectSdkError, graphError, http, proxy, sdkFailure, useMock, V } from './helpers.js';

const ctx = useMock();
const OFFER = { sdpType: 'offer', sdp: 'v=0\r\no=- 6314352886888624490 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
const ANSWER = { sdpType: 'answer', sdp: 'v=0\r\no=- 7669997803033704573 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
/** Users the fixtures gave permission to call Acme Support (7 days and 48 hours). */
const PERMITTED = '15550102030';
const PERMITTED_48H = '15550104455';

type Call = Record<string, unknown> & { callId: string; status: string };
const callOf = async (callId: string, phoneNumberId = proxy.acmePhone) => (await ctx.sdk.calls.get({ phoneNumberId, callId })) as unknown as Call;

describe('business-initiated calls', () => {
  it('connect places a call the user allowed; terminate ends it', async () => {
    const { sdk } = ctx;
    const placed = await sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: `+1 (555) 010-2030`, session: OFFER, bizOpaqueCallbackData: 'ticket-991' });
    expect(placed).toEqual({ messagingProduct: 'whatsapp', calls: [{ id: expect.stringMatching(/^wacid\.[\w-]+$/) }] });
    const callId = placed.calls![0]!.id;
    expect(await callOf(callId)).toMatchObject({
      callId, direction: 'outbound', status: 'initiated', userWaId: PERMITTED, durationSeconds: null, endedAt: null, sessionStartedAt: null,
      startedAt: expect.any(String), phoneNumberId: proxy.acmePhone, whatsappConfigId: proxy.acmeSupport.id, projectId: proxy.demoProject,
      configDisplayName: 'Acme Support', configDisplayPhoneNumber: '+1 555-010-2001', whatsappContact: null, whatsappConversation: null,
    });
    expect(await sdk.calls.terminate({ phoneNumberId: proxy.acmePhone, callId })).toEqual({ messagingProduct: 'whatsapp', success: true });
    expect(await callOf(callId)).toMatchObject({ status: 'completed', endedAt: expect.any(String), durationSeconds: null });
    expectSdkError(await sdkFailure(sdk.calls.terminate({ phoneNumberId: proxy.acmePhone, callId })), {
      httpStatus: 400, code: 100, category: 'parameter',
      message: `(#100) Cannot terminate call ${callId}: it is outbound and completed; only a call going on can be`,
    });
  });

  it.each([
    ['a user who gave no permission', proxy.acmePhone, '15550100000', 138006, 'parameter', '(#138006) No approved call permission from the recipient'],
    ['calling switched off on the number', proxy.salesPhone, PERMITTED, 138000, 'parameter', '(#138000) Calling is not enabled for this phone number (settings: calling.status ENABLED)'],
    ['a number that is not registered', proxy.initechPhone, PERMITTED, 133010, 'phoneRegistration', '(#133010) Account not registered: register the phone number before calling'],
  ])('refuses to call %s', async (_case, phoneNumberId, to, code, category, message) => {
    expectSdkError(await sdkFailure(ctx.sdk.calls.connect({ phoneNumberId, to, session: OFFER })), { httpStatus: 400, code, category, message });
  });

  it('one call with a user at a time', async () => {
    await ctx.sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: PERMITTED });
    expect((await sdkFailure(ctx.sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: PERMITTED }))).message)
      .toBe('(#138003) Duplicate call: a call with this user is already in progress');
  });

  it('at most 5 calls to a user in 24 hours; the limit lifts as the oldest leaves the window', async () => {
    const { sdk, mock } = ctx;
    await mock.admin.setClock({ now: '2026-12-02T09:00:00.000Z' });
    // The fixtures' permission counts from load time: renew it on the frozen clock.
    await mock.admin.reset();
    for (let i = 0; i < 5; i++) {
      const placed = await sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: PERMITTED });
      await sdk.calls.terminate({ phoneNumberId: proxy.acmePhone, callId: placed.calls![0]!.id });
      await mock.admin.setClock({ advance_ms: 60_000 });
    }
    expectSdkError(await sdkFailure(sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: PERMITTED })), {
      httpStatus: 400, code: 138012, category: 'parameter', message: '(#138012) Business initiated calls limit reached: at most 5 calls to this user in 24 hours',
    });
    const state = await sdk.calls.permissions.get({ phoneNumberId: proxy.acmePhone, userWaId: PERMITTED });
    expect(state.actions?.find((a) => a.actionName === 'start_call')).toEqual({
      actionName: 'start_call', canPerformAction: false,
      limits: [{ timePeriod: 'PT24H', maxAllowed: 5, currentUsage: 5, limitExpirationTime: Date.parse('2026-12-03T09:00:00.000Z') / 1000 }],
    });
    await mock.admin.setClock({ advance_ms: 24 * 3600_000 - 5 * 60_000 });
    await expect(sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: PERMITTED })).resolves.toMatchObject({ calls: [expect.anything()] });
  });
});

describe('call permissions', () => {
  it('a seeded permission is temporary until it expires on the mock\'s clock', async () => {
    const { sdk, mock } = ctx;
    await mock.admin.setClock({ now: '2026-12-02T09:00:00.000Z' });
    await mock.admin.reset();
    const state = await sdk.calls.permissions.get({ phoneNumberId: proxy.acmePhone, userWaId: PERMITTED_48H });
    expect(state).toEqual({
      messagingProduct: 'whatsapp',
      permission: { status: 'temporary', expirationTime: Date.parse('2026-12-04T09:00:00.000Z') / 1000 },
      actions: [
        { actionName: 'send_call_permission_request', canPerformAction: true, limits: [{ timePeriod: 'PT24H', maxAllowed: 1, currentUsage: 0 }, { timePeriod: 'P7D', maxAllowed: 2, currentUsage: 0 }] },
        { actionName: 'start_call', canPerformAction: true, limits: [{ timePeriod: 'PT24H', maxAllowed: 5, currentUsage: 0 }] },
      ],
    });
    await mock.admin.setClock({ advance_ms: 48 * 3600_000 });
    const expired = await sdk.calls.permissions.get({ phoneNumberId: proxy.acmePhone, userWaId: PERMITTED_48H });
    expect(expired.permission).toEqual({ status: 'no_permission' });
    expect(expired.actions?.[1]).toMatchObject({ actionName: 'start_call', canPerformAction: false });
    expect((await sdkFailure(sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: PERMITTED_48H }))).code).toBe(138006);
  });

  it('a permission is the number\'s: another number of the project has none', async () => {
    const state = await ctx.sdk.calls.permissions.get({ phoneNumberId: proxy.globexPhone, userWaId: PERMITTED });
    expect(state.permission).toEqual({ status: 'no_permission' });
  });

  it('needs user_wa_id, a phone number', async () => {
    for (const query of ['', '?user_wa_id=abc']) {
      const res = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}/call_permissions${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
  });
});

describe('inbound calls', () => {
  it('a ringing call is pre-accepted (still ringing), accepted, and ends with its duration', async () => {
    const { sdk, mock } = ctx;
    const callId = proxy.calls.acmeRinging;
    await mock.admin.setClock({ now: '2026-12-02T10:00:00.000Z' });
    expect(await sdk.calls.preAccept({ phoneNumberId: proxy.acmePhone, callId, session: ANSWER })).toEqual({ messagingProduct: 'whatsapp', success: true });
    expect((await callOf(callId)).status).toBe('ringing');
    await sdk.calls.accept({ phoneNumberId: proxy.acmePhone, callId, session: ANSWER, bizOpaqueCallbackData: 'agent-7' });
    expect(await callOf(callId)).toMatchObject({ status: 'answered', sessionStartedAt: '2026-12-02T10:00:00.000Z' });
    await mock.admin.setClock({ advance_ms: 95_000 });
    await sdk.calls.terminate({ phoneNumberId: proxy.acmePhone, callId });
    expect(await callOf(callId)).toMatchObject({ status: 'completed', endedAt: '2026-12-02T10:01:35.000Z', durationSeconds: 95 });
  });

  it('a rejected call ends unanswered and cannot be accepted after', async () => {
    const callId = proxy.calls.acmeRinging;
    await ctx.sdk.calls.reject({ phoneNumberId: proxy.acmePhone, callId });
    expect(await callOf(callId)).toMatchObject({ status: 'failed', durationSeconds: null, endedAt: expect.any(String) });
    expect((await sdkFailure(ctx.sdk.calls.accept({ phoneNumberId: proxy.acmePhone, callId, session: ANSWER }))).message)
      .toBe(`(#100) Cannot accept call ${callId}: it is inbound and failed; only a ringing inbound call can be`);
  });

  it.each([
    ['accept without a session', { action: 'accept', call_id: 'CALL' }, '(#100) session is required for accept'],
    ['accept with an offer', { action: 'accept', call_id: 'CALL', session: { sdp_type: 'offer', sdp: 'v=0' } }, '(#100) session.sdp_type must be "answer" for accept'],
    ['connect with an answer', { action: 'connect', to: PERMITTED, session: { sdp_type: 'answer', sdp: 'v=0' } }, '(#100) session.sdp_type must be "offer" for connect'],
    ['connect without to', { action: 'connect' }, '(#100) to is required for connect (the mock has no business-scoped user IDs for `recipient`)'],
    ['reject without call_id', { action: 'reject' }, '(#100) call_id is required for reject'],
    ['a call_id that is no call of the number', { action: 'terminate', call_id: 'wacid.nope' }, "(#100) Invalid parameter: no call with call_id 'wacid.nope' on this phone number"],
    ['an action WhatsApp has not', { action: 'hold', call_id: 'CALL' }, '(#100) action must be one of: connect, pre_accept, accept, reject, terminate'],
    ['callback data over 512 characters', { action: 'connect', to: PERMITTED, biz_opaque_callback_data: 'x'.repeat(513) }, '(#100) biz_opaque_callback_data must be at most 512'],
  ])('refuses %s', async (_case, body, message) => {
    const payload = { messaging_product: 'whatsapp', ...body, ...('call_id' in body && body.call_id === 'CALL' && { call_id: proxy.calls.acmeRinging }) };
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/calls`, { body: payload });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });

  it('a call of another number of the project is not found on this one', async () => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.salesPhone}/calls`, { body: { messaging_product: 'whatsapp', action: 'reject', call_id: proxy.calls.acmeRinging } });
    expect(res.body.error.message).toBe(`(#100) Invalid parameter: no call with call_id '${proxy.calls.acmeRinging}' on this phone number`);
  });
});

describe('the calls list', () => {
  type Page = { data: Call[]; paging: { cursors: { before?: string; after?: string } } };
  const list = async (q: Record<string, unknown> = {}) => (await ctx.sdk.calls.list({ phoneNumberId: proxy.acmePhone, ...q })) as unknown as Page;

  it('newest first, paged by cursor both ways', async () => {
    const all = (await list()).data.map((c) => c.callId);
    expect(all).toHaveLength(4);
    const first = await list({ limit: 3 });
    expect(first.data.map((c) => c.callId)).toEqual(all.slice(0, 3));
    expect(first.paging.cursors.before).toBeUndefined();
    const second = await list({ limit: 3, after: first.paging.cursors.after });
    expect(second.data.map((c) => c.callId)).toEqual(all.slice(3));
    expect(second.paging.cursors.after).toBeUndefined();
    const back = await list({ limit: 3, before: second.paging.cursors.before });
    expect(back.data.map((c) => c.callId)).toEqual(all.slice(0, 3));
  });

  it.each([
    ['direction', { direction: 'outbound' }, (c: Call) => c.direction === 'outbound', 2],
    ['status', { status: 'completed' }, (c: Call) => c.status === 'completed', 2],
    ['since', { since: '2026-11-25T00:00:00Z' }, (c: Call) => String(c.startedAt) >= '2026-11-25', 2],
    ['until (a date covers its day)', { until: '2026-11-24' }, (c: Call) => String(c.startedAt) <= '2026-11-24T23:59:59.999Z', 2],
  ])('filters by %s', async (_case, q, keep, n) => {
    const res = await list(q);
    expect(res.data).toHaveLength(n);
    expect(res.data.every(keep)).toBe(true);
  });

  it('fields picks fields, keeping the call\'s and its number\'s IDs', async () => {
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}/calls?fields=status,duration_seconds&limit=1`);
    expect(Object.keys(res.body.data[0]).sort()).toEqual(['duration_seconds', 'id', 'phone_number_id', 'project_id', 'status', 'whatsapp_config_id']);
  });

  it.each([
    ['direction=sideways', '(#100) direction must be one of: inbound, outbound'],
    ['status=busy', '(#100) status must be one of: initiated, ringing, answered, completed, failed'],
    ['since=yesterday', '(#100) since must be an ISO 8601 time'],
    ['fields=id,recording', '(#100) Tried accessing nonexisting field (recording) on node type (WhatsappCall)'],
  ])('refuses %s', async (query, message) => {
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}/calls?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });
});

describe('the user\'s side, from the control plane', () => {
  it('a user calls; the business accepts through the SDK; with callback permission on, it may call back', async () => {
    const { mock, sdk } = ctx;
    const caller = '+1 555-010-3344';
    expect((await sdk.calls.permissions.get({ phoneNumberId: proxy.acmePhone, userWaId: caller })).permission).toEqual({ status: 'no_permission' });
    const ringing = await mock.admin.ringCall({ phone_number_id: proxy.acmePhone, from: caller });
    expect(ringing).toMatchObject({ project_id: proxy.demoProject, phone_number_id: proxy.acmePhone, direction: 'inbound', status: 'ringing', user_wa_id: '15550103344' });
    await sdk.calls.accept({ phoneNumberId: proxy.acmePhone, callId: ringing.call_id, session: ANSWER });
    expect((await callOf(ringing.call_id)).status).toBe('answered');
    expect((await sdk.calls.permissions.get({ phoneNumberId: proxy.acmePhone, userWaId: caller })).permission.status).toBe('temporary');
    // Globex has callback permission off: a caller does not let it call back.
    const globexCall = await mock.admin.ringCall({ phone_number_id: proxy.globexPhone, from: caller });
    expect(globexCall.status).toBe('ringing');
    expect((await sdk.calls.permissions.get({ phoneNumberId: proxy.globexPhone, userWaId: caller })).permission.status).toBe('no_permission');
  });

  it('a business-initiated call rings, is answered and hung up by the user', async () => {
    const { mock, sdk } = ctx;
    await mock.admin.setClock({ now: '2026-12-03T15:00:00.000Z' });
    await mock.admin.grantCallPermission({ phone_number_id: proxy.acmePhone, user_wa_id: '15550108080', expires_in_hours: 24 });
    const callId = (await sdk.calls.connect({ phoneNumberId: proxy.acmePhone, to: '15550108080', session: OFFER })).calls![0]!.id;
    expect((await mock.admin.setCallStatus(callId, 'ringing')).status).toBe('ringing');
    expect(await mock.admin.setCallStatus(callId, 'answered')).toMatchObject({ status: 'answered', session_started_at: '2026-12-03T15:00:00.000Z' });
    await mock.admin.setClock({ advance_ms: 42_000 });
    expect(await mock.admin.setCallStatus(callId, 'completed')).toMatchObject({ status: 'completed', duration_seconds: 42 });
    const again = await fetch(`${mock.origin}/__admin/calls/${callId}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'answered' }) });
    expect(again.status).toBe(422);
    expect(await again.json()).toEqual({ error: `Cannot move to answered call ${callId}: it is outbound and completed; from completed it can go to nothing` });
  });

  it('finds the project by phone number; several projects need project_id or a key', async () => {
    const { mock } = ctx;
    const sandbox = await mock.admin.createProject({ seed: true });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${mock.origin}/__admin/calls`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const ambiguous = await post({ phone_number_id: proxy.acmePhone, from: '15550100001' });
    expect(ambiguous.status).toBe(422);
    expect(await ambiguous.json()).toEqual({ error: 'Validation failed', message: `Phone number ${proxy.acmePhone} is in 2 projects: give project_id or an X-API-Key` });
    const byKey = await post({ phone_number_id: proxy.acmePhone, from: '15550100001' }, { 'x-api-key': sandbox.api_key });
    expect(((await byKey.json()) as { data: { project_id: string } }).data.project_id).toBe(sandbox.id);
    const byId = await post({ phone_number_id: proxy.acmePhone, from: '15550100002', project_id: proxy.demoProject });
    expect(((await byId.json()) as { data: { project_id: string } }).data.project_id).toBe(proxy.demoProject);
    const wrong = await post({ phone_number_id: proxy.umbrellaPhone, from: '15550100003', project_id: proxy.demoProject });
    expect([wrong.status, await wrong.json()]).toEqual([404, { error: 'WhatsApp configuration not found' }]);
    const off = await post({ phone_number_id: proxy.salesPhone, from: '15550100004' }, { 'x-api-key': DEMO_KEY });
    expect([off.status, await off.json()]).toEqual([422, { error: 'Calling is not enabled for this phone number (settings: calling.status ENABLED)' }]);
  });
});
