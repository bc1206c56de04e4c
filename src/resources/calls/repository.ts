import { randomBytes } from 'node:crypto';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { waDigits } from '../blocked-users/schemas.js';
import type { ConfigRecord } from '../whatsapp-configs/repository.js';
import { PERMISSION_HOURS } from '../call-permissions/schemas.js';
import { ACTIVE_STATUSES, type CallRecord, type CallStatus } from './schemas.js';

const COLUMNS = `id, whatsapp_config_id, call_id, direction, status, user_wa_id, pre_accepted, biz_opaque_callback_data,
  started_at, session_started_at, ended_at, duration_seconds, created_at, updated_at`;
const TYPE = 'call';

/** GET /{phone_number_id}/calls: a number's calls, newest first, by cursor, with Kapso's filters. */
export const CallList = defineList<CallRecord>({
  name: 'calls',
  table: 'calls',
  columns: COLUMNS,
  scope: ['project_id', 'whatsapp_config_id'],
  filters: { direction: 'eq', status: 'eq', call_id: 'eq', started_at: ['gteq', 'lteq'] },
  pagination: 'cursor',
});

/** WhatsApp call IDs: `wacid.` and letters, digits, - and _ (never / or +, so they travel in URLs as they are). */
export const newCallId = (): string => `wacid.${randomBytes(24).toString('base64url')}`;

export function createCallRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[CallRecord & { project_id: string }]>(
    `INSERT INTO calls (project_id, ${COLUMNS}) VALUES (@project_id, @id, @whatsapp_config_id, @call_id, @direction, @status, @user_wa_id,
      @pre_accepted, @biz_opaque_callback_data, @started_at, @session_started_at, @ended_at, @duration_seconds, @created_at, @updated_at)`,
  );
  const byCallId = db.prepare<[string, string, string], CallRecord>(`SELECT ${COLUMNS} FROM calls WHERE project_id = ? AND whatsapp_config_id = ? AND call_id = ?`);
  const save = db.prepare<[CallRecord & { project_id: string }]>(
    `UPDATE calls SET status = @status, pre_accepted = @pre_accepted, biz_opaque_callback_data = @biz_opaque_callback_data,
       started_at = @started_at, session_started_at = @session_started_at, ended_at = @ended_at, duration_seconds = @duration_seconds,
       updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const activeWith = db.prepare<[string, string, string], number>(
    `SELECT 1 FROM calls WHERE project_id = ? AND whatsapp_config_id = ? AND user_wa_id = ? AND status IN (${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`,
  ).pluck();
  // Business-initiated calls to a user since a moment, oldest first (the start_call limit).
  const outboundSince = db.prepare<[string, string, string, string], string>(
    `SELECT created_at FROM calls WHERE project_id = ? AND whatsapp_config_id = ? AND user_wa_id = ? AND created_at > ? AND direction = 'outbound' ORDER BY created_at`,
  ).pluck();
  const locate = db.prepare<[string], { project_id: string; whatsapp_config_id: string }>('SELECT project_id, whatsapp_config_id FROM calls WHERE call_id = ? ORDER BY project_id');
  const list = CallList.prepare(db);

  /** The user's permission for this number, with the start_call limit counted from this number's calls. */
  const permissionState = (projectId: string, configId: string, userWaId: string) =>
    repos.callPermissions.state(projectId, configId, userWaId, (from) => outboundSince.all(projectId, configId, waDigits(userWaId), from));

  /** The number's calling state: registered, calling on. */
  const requireCalling = (projectId: string, config: ConfigRecord) => {
    const phone = repos.phoneNumbers.get(projectId, config);
    if (!phone.registered) throw new RecordInvalid('Account not registered: register the phone number before calling', { graphCode: 133010 });
    if (phone.calling.status !== 'ENABLED') {
      throw new RecordInvalid('Calling is not enabled for this phone number (settings: calling.status ENABLED)', { graphCode: 138000 });
    }
    return phone;
  };

  const update = (projectId: string, call: CallRecord, changes: Partial<CallRecord>): CallRecord => {
    const next = { ...call, ...changes, updated_at: clock.iso() };
    save.run({ ...next, project_id: projectId });
    events.publish('record.updated', projectId, { type: TYPE, id: call.id });
    return next;
  };

  /** Ends a call now: its duration runs from the moment it was answered. */
  const end = (projectId: string, call: CallRecord, status: 'completed' | 'failed'): CallRecord => {
    const now = clock.iso();
    const duration = call.session_started_at === null ? null : Math.max(0, Math.round((Date.parse(now) - Date.parse(call.session_started_at)) / 1000));
    return update(projectId, call, { status, ended_at: now, duration_seconds: duration });
  };

  const find = (projectId: string, configId: string, callId: string): CallRecord => {
    const call = byCallId.get(projectId, configId, callId);
    if (!call) throw new RecordInvalid(`Invalid parameter: no call with call_id '${callId}' on this phone number`, { graphCode: 100 });
    return call;
  };
  const refuse = (call: CallRecord, action: string, needs: string): never => {
    throw new RecordInvalid(`Cannot ${action} call ${call.call_id}: it is ${call.direction} and ${call.status}; ${needs}`, { graphCode: 100 });
  };
  const ringingInbound = (call: CallRecord, action: string) => {
    if (call.direction !== 'inbound' || call.status !== 'ringing') refuse(call, action, 'only a ringing inbound call can be');
  };

  return {
    /** Writes a call as given (fixtures). */
    insert(projectId: string, call: CallRecord): void {
      insert.run({ ...call, project_id: projectId });
    },

    get: (projectId: string, configId: string, callId: string): CallRecord | undefined => byCallId.get(projectId, configId, callId),

    /** Where calls with this call ID are, in every project (the control plane finds a call's project). */
    locate: (callId: string) => locate.all(callId),

    list: (projectId: string, configId: string, query: Record<string, unknown>) => list.cursor([projectId, configId], query),

    /** Whether the number may call the user now, and the limits on calling and asking. */
    permission: permissionState,

    /**
     * A business-initiated call: the number must be registered with calling on, the user must have
     * given permission, the start_call limit must not be reached, and no other call with the user
     * may be going on.
     */
    connect: db.transaction((projectId: string, config: ConfigRecord, to: string, callbackData: string | undefined): CallRecord => {
      requireCalling(projectId, config);
      const user = waDigits(to);
      const state = permissionState(projectId, config.id, user);
      if (state.status !== 'temporary') throw new RecordInvalid('No approved call permission from the recipient', { graphCode: 138006 });
      if (!state.actions.find((a) => a.action_name === 'start_call')!.can_perform_action) {
        throw new RecordInvalid('Business initiated calls limit reached: at most 5 calls to this user in 24 hours', { graphCode: 138012 });
      }
      if (activeWith.get(projectId, config.id, user)) throw new RecordInvalid('Duplicate call: a call with this user is already in progress', { graphCode: 138003 });
      const now = clock.iso();
      const call: CallRecord = {
        id: newId(), whatsapp_config_id: config.id, call_id: newCallId(), direction: 'outbound', status: 'initiated', user_wa_id: user,
        pre_accepted: 0, biz_opaque_callback_data: callbackData ?? null, started_at: now, session_started_at: null, ended_at: null,
        duration_seconds: null, created_at: now, updated_at: now,
      };
      insert.run({ ...call, project_id: projectId });
      events.publish('record.created', projectId, { type: TYPE, id: call.id });
      return call;
    }),

    /** A user calls the number (the control plane): it rings; with callback permission on, the user lets the number call back. */
    ring: db.transaction((projectId: string, config: ConfigRecord, from: string): CallRecord => {
      const phone = requireCalling(projectId, config);
      const user = waDigits(from);
      if (activeWith.get(projectId, config.id, user)) throw new RecordInvalid('Duplicate call: a call with this user is already in progress', { graphCode: 138003 });
      const now = clock.iso();
      const call: CallRecord = {
        id: newId(), whatsapp_config_id: config.id, call_id: newCallId(), direction: 'inbound', status: 'ringing', user_wa_id: user,
        pre_accepted: 0, biz_opaque_callback_data: null, started_at: now, session_started_at: null, ended_at: null,
        duration_seconds: null, created_at: now, updated_at: now,
      };
      insert.run({ ...call, project_id: projectId });
      events.publish('record.created', projectId, { type: TYPE, id: call.id });
      if (phone.calling.callback_permission_status === 'ENABLED') repos.callPermissions.grantInTransaction(projectId, config.id, user, PERMISSION_HOURS);
      return call;
    }),

    /** Sets up the media path of a ringing inbound call before accepting it: it keeps ringing. */
    preAccept: db.transaction((projectId: string, configId: string, callId: string): CallRecord => {
      const call = find(projectId, configId, callId);
      ringingInbound(call, 'pre-accept');
      return update(projectId, call, { pre_accepted: 1 });
    }),

    /** Answers a ringing inbound call: the session starts now. */
    accept: db.transaction((projectId: string, configId: string, callId: string, callbackData: string | undefined): CallRecord => {
      const call = find(projectId, configId, callId);
      ringingInbound(call, 'accept');
      return update(projectId, call, {
        status: 'answered', session_started_at: clock.iso(), biz_opaque_callback_data: callbackData ?? call.biz_opaque_callback_data,
      });
    }),

    /** Declines a ringing inbound call: it ends unanswered (failed). */
    reject: db.transaction((projectId: string, configId: string, callId: string): CallRecord => {
      const call = find(projectId, configId, callId);
      ringingInbound(call, 'reject');
      return end(projectId, call, 'failed');
    }),

    /** Hangs up a call that is going on (completed; the duration counts from the answer). */
    terminate: db.transaction((projectId: string, configId: string, callId: string): CallRecord => {
      const call = find(projectId, configId, callId);
      if (!ACTIVE_STATUSES.includes(call.status)) refuse(call, 'terminate', 'only a call going on can be');
      return end(projectId, call, 'completed');
    }),

    /** Moves a call as the user's side would (the control plane): ringing, answered, completed or failed. */
    advance: db.transaction((projectId: string, configId: string, callId: string, status: CallStatus): CallRecord => {
      const call = find(projectId, configId, callId);
      const moves: Record<CallStatus, CallStatus[]> = {
        initiated: ['ringing', 'answered', 'completed', 'failed'], ringing: ['answered', 'completed', 'failed'], answered: ['completed', 'failed'],
        completed: [], failed: [],
      };
      if (!moves[call.status].includes(status)) refuse(call, `move to ${status}`, `from ${call.status} it can go to ${moves[call.status].join(', ') || 'nothing'}`);
      if (status === 'completed' || status === 'failed') return end(projectId, call, status);
      return update(projectId, call, { status, ...(status === 'answered' && { session_started_at: clock.iso() }) });
    }),
  };
}

export type CallRepository = ReturnType<typeof createCallRepository>;
