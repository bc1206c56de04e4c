import { newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import { waDigits } from '../blocked-users/schemas.js';
import { LIMITS, PERMISSION_HOURS } from './schemas.js';

export interface PermissionLimit {
  time_period: string;
  max_allowed: number;
  current_usage: number;
  limit_expiration_time?: number;
}

export interface PermissionState {
  status: 'no_permission' | 'temporary';
  /** Unix seconds (temporary only). */
  expiration_time?: number;
  actions: { action_name: 'send_call_permission_request' | 'start_call'; can_perform_action: boolean; limits: PermissionLimit[] }[];
}

/** When the business called a user since a moment (RFC 3339, oldest first): the calls family answers it. */
export type CallsSince = (from: string) => string[];

export function createCallPermissionRepository({ db, clock, events }: RepoContext) {
  const permission = db.prepare<[string, string, string], { id: string; expires_at: string }>(
    'SELECT id, expires_at FROM call_permissions WHERE project_id = ? AND whatsapp_config_id = ? AND user_wa_id = ?',
  );
  const upsert = db.prepare<[string, string, string, string, string, string, string]>(
    `INSERT INTO call_permissions (project_id, id, whatsapp_config_id, user_wa_id, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, whatsapp_config_id, user_wa_id) DO UPDATE SET expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
  );
  const requestsSince = db.prepare<[string, string, string, string], string>(
    'SELECT created_at FROM call_permission_requests WHERE project_id = ? AND whatsapp_config_id = ? AND user_wa_id = ? AND created_at > ? ORDER BY created_at',
  ).pluck();
  const insertRequest = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO call_permission_requests (project_id, id, whatsapp_config_id, user_wa_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );

  /** Usage of each limit of an action, from the moments it was taken (oldest first). */
  const limitsOf = (specs: readonly { time_period: string; max_allowed: number; ms: number }[], since: (from: string) => string[]) => {
    const now = clock.now();
    return specs.map((spec): PermissionLimit => {
      const used = since(new Date(now - spec.ms).toISOString());
      const limit: PermissionLimit = { time_period: spec.time_period, max_allowed: spec.max_allowed, current_usage: used.length };
      // A use counts while less than the period old; a reached limit lifts when its oldest use leaves.
      if (used.length >= spec.max_allowed) limit.limit_expiration_time = Math.ceil((Date.parse(used[0]!) + spec.ms) / 1000);
      return limit;
    });
  };

  const grant = (projectId: string, configId: string, userWaId: string, hours: number) => {
    const user = waDigits(userWaId);
    const now = clock.iso();
    const existing = permission.get(projectId, configId, user);
    const id = existing?.id ?? newId();
    upsert.run(projectId, id, configId, user, new Date(clock.now() + hours * 3600_000).toISOString(), now, now);
    events.publish(existing ? 'record.updated' : 'record.created', projectId, { type: 'call_permission', id });
  };

  return {
    /** Writes a permission as given (fixtures). */
    insert(projectId: string, p: { id: string; whatsapp_config_id: string; user_wa_id: string; expires_at: string; created_at: string; updated_at: string }): void {
      upsert.run(projectId, p.id, p.whatsapp_config_id, waDigits(p.user_wa_id), p.expires_at, p.created_at, p.updated_at);
    },

    /**
     * Whether the number may call the user now (a permission that has not expired on the mock's
     * clock), and each action's limits: calls placed (`callsSince`) and permission requests sent.
     */
    state(projectId: string, configId: string, userWaId: string, callsSince: CallsSince): PermissionState {
      const user = waDigits(userWaId);
      const p = permission.get(projectId, configId, user);
      const temporary = p !== undefined && Date.parse(p.expires_at) > clock.now();
      const startLimits = limitsOf(LIMITS.start_call, callsSince);
      const requestLimits = limitsOf(LIMITS.send_call_permission_request, (from) => requestsSince.all(projectId, configId, user, from));
      const under = (limits: PermissionLimit[]) => limits.every((l) => l.current_usage < l.max_allowed);
      return {
        status: temporary ? 'temporary' : 'no_permission',
        ...(temporary && { expiration_time: Math.floor(Date.parse(p.expires_at) / 1000) }),
        actions: [
          { action_name: 'send_call_permission_request', can_perform_action: under(requestLimits), limits: requestLimits },
          { action_name: 'start_call', can_perform_action: temporary && under(startLimits), limits: startLimits },
        ],
      };
    },

    /** Grants (or renews) the permission inside the caller's transaction. */
    grantInTransaction: grant,

    /** The user lets the number call them for `hours` (fixtures, the control plane). */
    grant: db.transaction((projectId: string, configId: string, userWaId: string, hours: number = PERMISSION_HOURS) => grant(projectId, configId, userWaId, hours)),

    /** A call permission request was sent to the user: it counts against the request limits (the messages family calls this). */
    recordRequest: db.transaction((projectId: string, configId: string, userWaId: string): void => {
      const now = clock.iso();
      const id = newId();
      insertRequest.run(projectId, id, configId, waDigits(userWaId), now, now);
      events.publish('record.created', projectId, { type: 'call_permission_request', id });
    }),
  };
}

export type CallPermissionRepository = ReturnType<typeof createCallPermissionRepository>;
