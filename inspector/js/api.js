// The page's only ways to the mock: the documented admin routes, /api/v1 and the event stream.
// Same-origin requests carry the session cookie (when the server has an admin token).

export class RequestFailed extends Error {
  constructor(status, body, method, path) {
    const detail = body && typeof body === 'object' ? [body.error, body.message].filter(Boolean).join(': ') : '';
    super(`${method} ${path}: ${status}${detail ? ` ${detail}` : ''}`);
    this.status = status;
    this.body = body;
  }
}

let unauthorized = () => {};
/** What to do when the admin API answers 401 (the token form). */
export const onUnauthorized = (fn) => {
  unauthorized = fn;
};

export async function request(method, path, body) {
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = text;
  }
  if (res.status === 401 && path.startsWith('/__admin')) unauthorized();
  if (!res.ok) throw new RequestFailed(res.status, data, method, path);
  return data;
}

const q = (params) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
};

const enc = encodeURIComponent;

/** The admin API, one function per operation the page uses. */
export const admin = {
  session: () => request('GET', '/__inspector/session'),
  login: (token) => request('POST', '/__inspector/session', { token }),
  logout: () => request('DELETE', '/__inspector/session'),

  projects: () => request('GET', '/__admin/projects'),
  project: (id) => request('GET', `/__admin/projects/${enc(id)}`),
  createProject: (body) => request('POST', '/__admin/projects', body),
  deleteProject: (id) => request('DELETE', `/__admin/projects/${enc(id)}`),
  configs: (projectId) => request('GET', `/__admin/projects/${enc(projectId)}/whatsapp_configs${q({ per_page: 100 })}`),
  conversations: (projectId, params) => request('GET', `/__admin/projects/${enc(projectId)}/conversations${q(params)}`),
  messages: (projectId, id, params) => request('GET', `/__admin/projects/${enc(projectId)}/conversations/${enc(id)}/messages${q(params)}`),
  contacts: (projectId, params) => request('GET', `/__admin/projects/${enc(projectId)}/contacts${q(params)}`),
  conversationExecutions: (projectId, id, params) => request('GET', `/__admin/projects/${enc(projectId)}/conversations/${enc(id)}/agent_executions${q(params)}`),
  configWebhooks: (projectId, configId, params) => request('GET', `/__admin/projects/${enc(projectId)}/whatsapp_configs/${enc(configId)}/whatsapp_webhooks${q(params)}`),

  inbound: (body) => request('POST', '/__admin/simulate/inbound-message', body),
  messageStatus: (id, body) => request('POST', `/__admin/messages/${enc(id)}/status`, body),
  endConversation: (id, projectId) => request('POST', `/__admin/conversations/${enc(id)}/end`, { project_id: projectId }),
  moveExecution: (id, body) => request('POST', `/__admin/executions/${enc(id)}/status`, body),

  deliveries: (params) => request('GET', `/__admin/webhook_deliveries${q(params)}`),
  redeliver: (id, projectId) => request('POST', `/__admin/webhook_deliveries/${enc(id)}/redeliver`, { project_id: projectId }),
  testWebhook: (id, body) => request('POST', `/__admin/webhooks/${enc(id)}/test`, body),

  requests: (params) => request('GET', `/__admin/requests${q(params)}`),
  requestEntry: (id) => request('GET', `/__admin/requests/${enc(id)}`),
  clearRequests: () => request('DELETE', '/__admin/requests'),

  reset: (projectId) => request('POST', `/__admin/reset${q({ project_id: projectId })}`),
  snapshots: () => request('GET', '/__admin/snapshots'),
  snapshot: (name) => request('POST', '/__admin/snapshots', { name }),
  restore: (name) => request('POST', `/__admin/snapshots/${enc(name)}/restore`),
  deleteSnapshot: (name) => request('DELETE', `/__admin/snapshots/${enc(name)}`),

  clock: () => request('GET', '/__admin/clock'),
  setClock: (body) => request('POST', '/__admin/clock', body),
  realClock: () => request('DELETE', '/__admin/clock'),

  faults: () => request('GET', '/__admin/faults'),
  addFault: (body) => request('POST', '/__admin/faults', body),
  deleteFault: (id) => request('DELETE', `/__admin/faults/${enc(id)}`),
  clearFaults: () => request('DELETE', '/__admin/faults'),

  settings: () => request('GET', '/__admin/settings'),
  updateSettings: (body) => request('PATCH', '/__admin/settings', body),
};
