// The request journal, live: every /api/v1 request (method, path, status, time, duration), newest
// first, filtered here; one opened shows its query, headers (keys redacted by the mock), bodies,
// and "Copy as curl". The list is read once (GET /__admin/requests) and then grows from the event
// stream's request.recorded; an entry's bodies are read when it is opened (GET /__admin/requests/{id}).
import { admin } from './api.js';
import { copyText, h, icon, preciseTime, pretty, replace } from './dom.js';

/** Entries kept on the page. */
const KEEP = 500;

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** The request as a curl command; `key` stands in for the redacted X-API-Key. */
export function curlOf(entry, origin, key) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(entry.query ?? {})) {
    for (const v of [value].flat()) search.append(name, String(v));
  }
  const query = search.toString();
  const lines = [`curl -X ${entry.method} ${shellQuote(`${origin}${entry.path}${query ? `?${query}` : ''}`)}`];
  const headers = entry.headers ?? {};
  if (headers['x-api-key'] !== undefined) lines.push(`-H ${key ? shellQuote(`X-API-Key: ${key}`) : '"X-API-Key: $KAPSO_API_KEY"'}`);
  for (const name of Object.keys(headers).filter((n) => n.startsWith('x-kapso-'))) lines.push(`-H ${shellQuote(`${name}: ${headers[name]}`)}`);
  if (entry.body !== null && entry.body !== undefined) {
    lines.push(`-H ${shellQuote(`Content-Type: ${headers['content-type'] ?? 'application/json'}`)}`);
    lines.push(`--data-raw ${shellQuote(typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body))}`);
  }
  return lines.join(' \\\n  ');
}

const statusClass = (s) => (s === 0 ? 'dropped' : `s${String(s)[0]}xx`);

export function requestsView(ctx) {
  let entries = [];
  /** request.recorded entries received while a load() reads the list. */
  let arrived = [];
  let loading = false;
  let selected;
  let paused = false;
  let waiting = 0;
  let generation = 0;

  const method = h('select', { id: 'req-method', onchange: () => draw() },
    ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => h('option', { value: m }, m || 'Any method')));
  const path = h('input', { id: 'req-path', type: 'search', placeholder: '/api/v1/…', autocomplete: 'off', oninput: () => draw() });
  const status = h('select', { id: 'req-status', onchange: () => draw() },
    [['', 'Any status'], ['2', '2xx'], ['4', '4xx'], ['5', '5xx'], ['0', 'Dropped']].map(([v, t]) => h('option', { value: v }, t)));
  const scope = h('select', { id: 'req-project', onchange: () => draw() },
    h('option', { value: 'project' }, 'This project'), h('option', { value: 'all' }, 'Every project'));
  const pause = h('button', {
    type: 'button', 'aria-pressed': 'false',
    onclick: () => {
      paused = !paused;
      pause.setAttribute('aria-pressed', String(paused));
      pause.textContent = paused ? 'Resume' : 'Pause';
      if (!paused && waiting > 0) load();
      waiting = 0;
      pending.textContent = '';
    },
  }, 'Pause');
  const pending = h('span', { class: 'muted', role: 'status' });
  const rows = h('tbody');
  const detail = h('section', { class: 'request-detail', 'aria-label': 'Request details', hidden: true });
  const note = h('p', { class: 'muted center', role: 'status' });

  const element = h('div', { class: 'requests' },
    h('div', { class: 'toolbar' },
      h('h2', null, 'Requests'),
      h('label', { for: 'req-method' }, 'Method'), method,
      h('label', { for: 'req-path' }, 'Path contains'), path,
      h('label', { for: 'req-status' }, 'Status'), status,
      h('label', { for: 'req-project' }, 'Project'), scope,
      pause, pending,
      h('button', { type: 'button', class: 'danger', onclick: () => ctx.run(() => admin.clearRequests(), 'Journal cleared').then(() => load()) }, 'Clear journal')),
    h('div', { class: 'request-split' },
      h('div', { class: 'table-wrap' },
        h('table', { class: 'request-table' },
          h('caption', { class: 'sr-only' }, 'Recorded /api/v1 requests, newest first'),
          h('thead', null, h('tr', null, ['Time', 'Method', 'Path', 'Status', 'ms', 'Project'].map((t) => h('th', { scope: 'col' }, t)))),
          rows),
        note),
      detail));

  const projectName = (id) => ctx.projects.find((p) => p.id === id)?.name ?? (id ? id.slice(0, 8) : '—');

  const visible = () => entries.filter((e) => {
    if (method.value && e.method !== method.value) return false;
    if (path.value && !e.path.includes(path.value.trim())) return false;
    if (status.value && String(e.status)[0] !== status.value) return false;
    if (scope.value === 'project' && e.project_id !== ctx.projectId) return false;
    return true;
  });

  function draw() {
    const shown = visible();
    rows.replaceChildren(...shown.map((e) => h('tr', { class: e.id === selected?.id ? 'selected' : undefined, dataset: { id: String(e.id) } },
      h('td', null, h('time', { datetime: e.time }, preciseTime(e.time))),
      h('td', null, h('span', { class: ['method', e.method.toLowerCase()] }, e.method)),
      h('td', { class: 'path' }, h('button', { type: 'button', class: 'link', 'aria-label': `${e.method} ${e.path}, ${e.status}: details`, onclick: () => open(e.id) }, e.path)),
      h('td', null, h('span', { class: ['status', statusClass(e.status)] }, e.status === 0 ? 'dropped' : String(e.status))),
      h('td', { class: 'num' }, e.duration_ms.toFixed(1)),
      h('td', null, projectName(e.project_id)))));
    note.textContent = shown.length === 0 ? (entries.length === 0 ? 'No request recorded yet: call /api/v1 and it shows here.' : 'No request matches the filters.') : '';
  }

  async function open(id) {
    const answer = await ctx.run(() => admin.requestEntry(id));
    if (!answer) return;
    const e = answer.data;
    selected = e;
    const key = e.project_id ? (await admin.project(e.project_id).catch(() => undefined))?.data.api_key ?? ctx.sandboxKey(e.project_id) : undefined;
    const curl = curlOf(e, location.origin, key);
    const block = (title, value) => h('div', { class: 'block' }, h('h4', null, title), h('pre', null, h('code', null, value)));
    detail.hidden = false;
    replace(detail, 
      h('div', { class: 'detail-head' },
        h('h3', { id: 'request-title', tabindex: '-1' }, `${e.method} ${e.path}`),
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Close the details', onclick: () => { detail.hidden = true; selected = undefined; draw(); } }, icon('close'))),
      h('p', null, h('span', { class: ['status', statusClass(e.status)] }, e.status === 0 ? 'dropped' : String(e.status)),
        ` · ${new Date(e.time).toLocaleString()} · ${e.duration_ms.toFixed(1)} ms · ${projectName(e.project_id)}`),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'primary', onclick: () => copyText(curl).then((ok) => ctx.toast(ok ? 'Copied as curl' : 'Copy failed: select the command below', ok ? 'info' : 'error')) }, 'Copy as curl')),
      block('curl', curl),
      Object.keys(e.query).length ? block('Query', pretty(e.query)) : null,
      block('Request headers', pretty(e.headers)),
      e.body !== null ? block('Request body', pretty(e.body)) : null,
      block('Response body', e.response_body === null ? '(none)' : pretty(e.response_body)));
    draw();
    detail.querySelector('#request-title')?.focus({ preventScroll: true });
  }

  async function load() {
    const mine = ++generation;
    arrived = [];
    loading = true;
    const answer = await ctx.run(() => admin.requests({ limit: KEEP }));
    if (mine !== generation) return;
    loading = false;
    if (!answer) return;
    // What arrived live while the list was read may be newer than the list: kept.
    const listed = new Set(answer.data.map((e) => e.id));
    entries = [...arrived.filter((e) => !listed.has(e.id)), ...answer.data].sort((a, b) => b.id - a.id).slice(0, KEEP);
    arrived = [];
    draw();
  }

  return {
    element,
    show: () => load(),
    refresh: () => load(),
    onStreamOpen: () => load(),
    onEvent(name, data) {
      if (name === 'control.changed' && data.operation_id === 'adminClearRequests') {
        load();
        return;
      }
      if (name !== 'request.recorded') return;
      if (paused) {
        waiting += 1;
        pending.textContent = `${waiting} new`;
        return;
      }
      if (loading) arrived.push(data);
      entries = [data, ...entries.filter((e) => e.id !== data.id)].slice(0, KEEP);
      draw();
    },
    unmount() {
      generation++;
    },
  };
}
