// A small typed client for /__admin, for test suites. Works against any kapso-mock: one
// started with startKapsoMock(), the CLI, or the Docker image.
import type { z } from 'zod';
import type { SandboxSessionResponse } from '../resources/sandbox-sessions/schemas.js';
import type { AdminCall as AdminCallSchema } from './calls/schemas.js';
import type { ClockResponse } from './clock/schemas.js';
import type { AdminExecutionResponse, ExecutionStatusBody } from './executions/schemas.js';
import type { FaultBody, FaultRule as FaultRuleSchema } from './faults/schemas.js';
import type { FlowExecutionAdminResponse, FlowExecutionStatusBody } from './flows/schemas.js';
import type { JournalCountQuery, JournalEntry } from './journal/schemas.js';
import type { AdminConversationResponse, AdminMessageResponse, InboundBody, InboundResponse, MessageStatusBody } from './inbox/schemas.js';
import type { SandboxResponse } from './projects/schemas.js';
import type { SettingsResponse } from './settings/schemas.js';
import type { UserCreateBody, UserResponse } from './users/schemas.js';
import type { AgentWebhookCreateBody, AgentWebhookResponse, AgentWebhookUpdateBody, DeliveryQuery, WebhookDelivery as WebhookDeliverySchema } from './webhooks/schemas.js';

// The wire shapes, straight from the routes' schemas.
/** A journal filter: method, path (exact, or a prefix ending in `*`), status, project_id, since, until. */
export type RequestFilter = { [K in keyof z.output<typeof JournalCountQuery>]?: Exclude<z.output<typeof JournalCountQuery>[K], undefined> };
export type RecordedRequest = z.infer<typeof JournalEntry>;
export type SandboxProject = z.infer<typeof SandboxResponse>['data'];
export type ClockState = z.infer<typeof ClockResponse>['data'];
export type Settings = z.infer<typeof SettingsResponse>['data'];
export type FaultRule = z.infer<typeof FaultRuleSchema>;
export type FaultInput = z.input<typeof FaultBody>;
export type FlowExecution = z.infer<typeof FlowExecutionAdminResponse>['data'];
export type FlowExecutionMove = z.input<typeof FlowExecutionStatusBody>;
export type SandboxSession = z.infer<typeof SandboxSessionResponse>['data'];
/** An inbound message to simulate: phone_number, content or the type's fields, whatsapp_config_id, contact_name, project_id. */
export type InboundInput = z.input<typeof InboundBody>;
export type InboundResult = z.infer<typeof InboundResponse>['data'];
export type AdminMessage = z.infer<typeof AdminMessageResponse>['data'];
export type AdminConversation = z.infer<typeof AdminConversationResponse>['data'];
export type MessageStatusInput = z.input<typeof MessageStatusBody>;
export type AdminCall = z.infer<typeof AdminCallSchema>;
export type AdminExecution = z.infer<typeof AdminExecutionResponse>['data'];
/** An agent execution's move: status (running, paused, handoff, ended, failed), reason (handoff, failed), project_id. */
export type ExecutionStatusInput = z.input<typeof ExecutionStatusBody>;
export type ProjectUser = z.infer<typeof UserResponse>['data'];
export type ProjectUserInput = z.input<typeof UserCreateBody>;
/** A webhook delivery filter: project_id, webhook_id, event, status (pending, delivered, failed), conversation_id. */
export type WebhookDeliveryFilter = Omit<z.input<typeof DeliveryQuery>, 'limit'>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
export type AgentWebhookInput = z.input<typeof AgentWebhookCreateBody>;
export type AgentWebhookPatch = z.input<typeof AgentWebhookUpdateBody>;
export type AgentWebhook = z.infer<typeof AgentWebhookResponse>['data'];

export class AdminError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`kapso-mock admin call failed with ${status}: ${JSON.stringify(body)}`);
    this.name = 'AdminError';
  }
}

export type AdminClient = ReturnType<typeof createAdminClient>;

/** `origin` is the server's base URL without /api/v1, e.g. http://127.0.0.1:4400. */
export function createAdminClient(origin: string, token?: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${origin}/__admin${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await res.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new AdminError(res.status, parsed);
    return parsed as T;
  };
  const query = (filter: object) => {
    const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)] as [string, string]));
    return params.size ? `?${params}` : '';
  };

  return {
    /** Restores the fixtures (every project, or one). */
    reset: (projectId?: string) => call<unknown>('POST', `/reset${query({ project_id: projectId })}`),
    snapshot: (name: string) => call<unknown>('POST', '/snapshots', { name }),
    restore: (name: string) => call<unknown>('POST', `/snapshots/${encodeURIComponent(name)}/restore`),
    deleteSnapshot: (name: string) => call<void>('DELETE', `/snapshots/${encodeURIComponent(name)}`),
    /** Loads a fixtures document (the fixtures/ format) on top of (merge) or instead of (replace) the state. */
    loadFixtures: (doc: { projects: unknown[] }, mode: 'merge' | 'replace' = 'merge') => call<unknown>('POST', `/fixtures?mode=${mode}`, doc),

    /** A new project with its own key; `seed: true` copies the Demo Project's records (same IDs). */
    createProject: async (opts: { name?: string; api_key?: string; seed?: boolean | string } = {}) =>
      (await call<{ data: SandboxProject }>('POST', '/projects', opts)).data,
    deleteProject: (id: string) => call<void>('DELETE', `/projects/${encodeURIComponent(id)}`),

    /** Recorded requests (/api/v1 and the Meta proxy), newest first. */
    requests: async (filter: RequestFilter & { limit?: number } = {}) =>
      (await call<{ data: RecordedRequest[] }>('GET', `/requests${query(filter)}`)).data,
    countRequests: async (filter: RequestFilter = {}) => (await call<{ data: { count: number } }>('GET', `/requests/count${query(filter)}`)).data.count,
    /** Resolves with the matching requests once `count` are recorded; rejects after `timeout_ms`. */
    waitForRequests: async (filter: RequestFilter & { count?: number; timeout_ms?: number } = {}) => {
      const res = await call<{ data: RecordedRequest[]; meta: { count: number; timed_out: boolean } }>('POST', '/requests/wait', filter);
      if (res.meta.timed_out) {
        throw new Error(`kapso-mock: saw ${res.meta.count} of ${filter.count ?? 1} matching requests within ${filter.timeout_ms ?? 5000} ms`);
      }
      return res.data;
    },
    clearRequests: () => call<void>('DELETE', '/requests'),

    addFault: async (rule: FaultInput) => (await call<{ data: FaultRule }>('POST', '/faults', rule)).data,
    faults: async () => (await call<{ data: FaultRule[] }>('GET', '/faults')).data,
    removeFault: (id: string) => call<void>('DELETE', `/faults/${encodeURIComponent(id)}`),
    clearFaults: () => call<void>('DELETE', '/faults'),

    /** Freeze at `now`, freeze where time is, and/or move forward by `advance_ms`. */
    setClock: async (opts: { now?: string; freeze?: boolean; advance_ms?: number }) => (await call<{ data: ClockState }>('POST', '/clock', opts)).data,
    resetClock: async () => (await call<{ data: ClockState }>('DELETE', '/clock')).data,

    /** A WhatsApp user calls a business number (the Meta proxy's calls): it rings. */
    ringCall: async (ring: { phone_number_id: string; from: string; project_id?: string }) =>
      (await call<{ data: AdminCall }>('POST', '/calls', ring)).data,
    /** The user's side of a call: ringing, answered, completed or failed. */
    setCallStatus: async (callId: string, status: 'ringing' | 'answered' | 'completed' | 'failed', projectId?: string) =>
      (await call<{ data: AdminCall }>('POST', `/calls/${encodeURIComponent(callId)}/status`, { status, ...(projectId && { project_id: projectId }) })).data,
    /** A user lets a business number call them (7 days unless `expires_in_hours` is shorter). */
    grantCallPermission: async (grant: { phone_number_id: string; user_wa_id: string; expires_in_hours?: number; project_id?: string }) =>
      (await call<{ data: unknown }>('POST', '/call_permissions', grant)).data,

    settings: async (patch?: Partial<Settings>) =>
      (await call<{ data: Settings }>(patch ? 'PATCH' : 'GET', '/settings', patch)).data,

    /** Moves a flow execution (running, waiting, ended, failed), optionally to another step and with more variables. */
    setFlowExecutionStatus: async (id: string, move: FlowExecutionMove) =>
      (await call<{ data: FlowExecution }>('POST', `/flow_executions/${encodeURIComponent(id)}/status`, move)).data,
    /** Activates a WhatsApp sandbox session, as if its phone sent the activation code. */
    activateSandboxSession: async (id: string, projectId?: string) =>
      (await call<{ data: SandboxSession }>('POST', `/sandbox_sessions/${encodeURIComponent(id)}/activate`, projectId === undefined ? {} : { project_id: projectId })).data,
    /** A WhatsApp user writes to a config: the stored message, its conversation, and whether that conversation is new. */
    simulateInbound: async (message: InboundInput) => (await call<{ data: InboundResult }>('POST', '/simulate/inbound-message', message)).data,
    /** Moves an outbound message to delivered, read or failed (with Meta's error). */
    setMessageStatus: async (id: string, status: MessageStatusInput) =>
      (await call<{ data: AdminMessage }>('POST', `/messages/${encodeURIComponent(id)}/status`, status)).data,
    /** Webhook deliveries, newest first: URL, event, headers sent, payload, every attempt. */
    webhookDeliveries: async (filter: WebhookDeliveryFilter & { limit?: number } = {}) =>
      (await call<{ data: WebhookDelivery[] }>('GET', `/webhook_deliveries${query(filter)}`)).data,
    /** Resolves with the matching deliveries once `count` match (status: 'delivered' waits for the receiver's 2xx); rejects after `timeout_ms`. */
    waitForWebhookDeliveries: async (filter: WebhookDeliveryFilter & { count?: number; timeout_ms?: number } = {}) => {
      const res = await call<{ data: WebhookDelivery[]; meta: { count: number; timed_out: boolean } }>('POST', '/webhook_deliveries/wait', filter);
      if (res.meta.timed_out) {
        throw new Error(`kapso-mock: saw ${res.meta.count} of ${filter.count ?? 1} matching webhook deliveries within ${filter.timeout_ms ?? 5000} ms`);
      }
      return res.data;
    },
    /** Sends a delivery's bytes again (same signature and X-Idempotency-Key) as a new delivery. */
    redeliverWebhook: async (deliveryId: string, projectId?: string) =>
      (await call<{ data: WebhookDelivery }>('POST', `/webhook_deliveries/${encodeURIComponent(deliveryId)}/redeliver`, projectId === undefined ? {} : { project_id: projectId })).data,
    /** Sends a sample of an event (default whatsapp.message.received) to a WhatsApp or agent webhook. */
    testWebhook: async (webhookId: string, eventType?: string, projectId?: string) =>
      (await call<{ data: WebhookDelivery }>('POST', `/webhooks/${encodeURIComponent(webhookId)}/test`, {
        ...(eventType !== undefined && { event_type: eventType }), ...(projectId !== undefined && { project_id: projectId }),
      })).data,
    /** An agent's outbound webhooks (Kapso sets them in its dashboard). */
    agentWebhooks: async (agentId: string) => (await call<{ data: AgentWebhook[] }>('GET', `/agents/${encodeURIComponent(agentId)}/webhooks`)).data,
    addAgentWebhook: async (agentId: string, webhook: AgentWebhookInput) =>
      (await call<{ data: AgentWebhook }>('POST', `/agents/${encodeURIComponent(agentId)}/webhooks`, webhook)).data,
    updateAgentWebhook: async (id: string, patch: AgentWebhookPatch) =>
      (await call<{ data: AgentWebhook }>('PATCH', `/agent_webhooks/${encodeURIComponent(id)}`, patch)).data,
    removeAgentWebhook: (id: string) => call<void>('DELETE', `/agent_webhooks/${encodeURIComponent(id)}`),
    /** Ends a conversation (`projectId` when several projects hold its ID). */
    endConversation: async (id: string, projectId?: string) =>
      (await call<{ data: AdminConversation }>('POST', `/conversations/${encodeURIComponent(id)}/end`, projectId === undefined ? {} : { project_id: projectId })).data,
    /** Moves an agent execution: running, paused, handoff (with its reason), ended, or failed (with its reason). */
    setExecutionStatus: async (id: string, move: ExecutionStatusInput) =>
      (await call<{ data: AdminExecution }>('POST', `/executions/${encodeURIComponent(id)}/status`, move)).data,
    /** A project's users (conversation assignments name them by ID). */
    users: async (projectId: string) => (await call<{ data: ProjectUser[] }>('GET', `/projects/${encodeURIComponent(projectId)}/users`)).data,
    /** Adds a user to a project. */
    createUser: async (projectId: string, user: ProjectUserInput) =>
      (await call<{ data: ProjectUser }>('POST', `/projects/${encodeURIComponent(projectId)}/users`, user)).data,
  };
}
