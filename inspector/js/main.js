// The inspector's shell: the admin token form when the server asks for one, the project picker
// and its key, the views (inbox, requests, webhooks, controls) behind a hash route, the live
// stream, and the status messages. Views redraw from the mock's answers only: after any event
// that concerns them, and from scratch after a reset or a restore (state.replaced).
import { admin, onUnauthorized } from './api.js';
import { copyText, h } from './dom.js';
import { connectLive } from './live.js';
import { inboxView } from './inbox.js';
import { requestsView } from './requests.js';
import { controlsView } from './controls.js';
import { webhooksView } from './webhooks.js';

const main = document.getElementById('main');
const projectSelect = /** @type {HTMLSelectElement} */ (document.getElementById('project'));
const keyBox = document.getElementById('key');
const liveBox = document.getElementById('live');
const nav = document.getElementById('views');
const toasts = document.getElementById('toasts');

const VIEWS = { inbox: inboxView, requests: requestsView, webhooks: webhooksView, controls: controlsView };
const SANDBOX_KEYS = 'kapso-mock-inspector:sandbox-keys';

const ctx = {
  /** Every project (GET /__admin/projects). */
  projects: [],
  projectId: undefined,
  /** The current project with its key (GET /__admin/projects/{id}). */
  project: undefined,
  /** The current project's WhatsApp configs. */
  configs: [],
  /** The mock's clock: its state and when it was read (to tell the time between reads). */
  clock: { mode: 'real', now: new Date().toISOString(), readAt: Date.now() },

  /** The mock's time now (ms), from the last clock read. */
  now() {
    const at = Date.parse(ctx.clock.now);
    return ctx.clock.mode === 'frozen' ? at : at + (Date.now() - ctx.clock.readAt);
  },

  /** A status line for the person (errors stay longer). */
  toast(text, kind = 'info') {
    const item = h('div', { class: ['toast', kind], role: kind === 'error' ? 'alert' : 'status' }, text);
    toasts.append(item);
    setTimeout(() => item.remove(), kind === 'error' ? 8000 : 3500);
  },

  /** Runs an action, telling the person when it fails; resolves with its result or undefined. */
  async run(fn, done) {
    try {
      const result = await fn();
      if (done) ctx.toast(done);
      return result;
    } catch (err) {
      ctx.toast(err.message ?? String(err), 'error');
      return undefined;
    }
  },

  route: { view: 'inbox', projectId: undefined, rest: [] },

  /** Goes to a view (and a conversation, in the inbox) of the current project. */
  go(view, ...rest) {
    const hash = `#/${view}/${ctx.projectId ?? ''}${rest.filter(Boolean).map((r) => `/${encodeURIComponent(r)}`).join('')}`;
    if (location.hash !== hash) location.hash = hash;
    else routeChanged();
  },

  /** The key of a sandbox this browser made (shown only when it was made, kept for this tab). */
  sandboxKey(projectId) {
    return JSON.parse(sessionStorage.getItem(SANDBOX_KEYS) ?? '{}')[projectId];
  },
  rememberSandboxKey(projectId, key) {
    const keys = JSON.parse(sessionStorage.getItem(SANDBOX_KEYS) ?? '{}');
    keys[projectId] = key;
    sessionStorage.setItem(SANDBOX_KEYS, JSON.stringify(keys));
  },

  /** The key to show and use for the current project, if known. */
  currentKey() {
    return ctx.project?.api_key ?? ctx.sandboxKey(ctx.projectId);
  },

  async loadClock() {
    const { data } = await admin.clock();
    ctx.clock = { ...data, readAt: Date.now() };
  },

  async loadProjects() {
    const { data } = await admin.projects();
    // Fixture projects first, in the order of the fixtures; then sandboxes, newest first.
    ctx.projects = [...data.filter((p) => p.origin === 'fixtures').reverse(), ...data.filter((p) => p.origin !== 'fixtures')];
    renderProjects();
  },

  async loadProject() {
    if (ctx.projectId === undefined) {
      ctx.project = undefined;
      ctx.configs = [];
    } else {
      const id = ctx.projectId;
      const [{ data: project }, { data: configs }] = await Promise.all([admin.project(id), admin.configs(id)]);
      if (id !== ctx.projectId) return;
      ctx.project = project;
      ctx.configs = configs;
    }
    renderKey();
  },
};

let view;
let viewName;

function renderProjects() {
  const options = ctx.projects.map((p) => h('option', { value: p.id, selected: p.id === ctx.projectId },
    `${p.name}${p.origin === 'sandbox' ? ' (sandbox)' : p.origin === 'auto' ? ' (auto)' : ''}`));
  projectSelect.replaceChildren(...options);
  if (ctx.projects.length === 0) projectSelect.append(h('option', { value: '' }, 'No projects'));
}

function renderKey() {
  const key = ctx.currentKey();
  const p = ctx.project;
  if (!p) {
    keyBox.replaceChildren();
    return;
  }
  if (key) {
    keyBox.replaceChildren(
      h('span', { class: 'label' }, 'X-API-Key'),
      h('code', { 'data-testid': 'api-key' }, key),
      h('button', { type: 'button', class: 'small', onclick: () => copyText(key).then((ok) => ctx.toast(ok ? 'Key copied' : 'Copy failed', ok ? 'info' : 'error')) }, 'Copy'));
  } else {
    keyBox.replaceChildren(h('span', { class: 'muted', title: 'Sandbox and auto-provisioned keys are stored as hashes: the mock shows them only when the project is made.' },
      `${p.origin === 'auto' ? 'Auto-provisioned' : 'Sandbox'} key: shown only when it was made (stored hashed)`));
  }
}

function renderNav() {
  for (const link of nav.querySelectorAll('a')) {
    const name = link.dataset.view;
    link.href = `#/${name}/${ctx.projectId ?? ''}`;
    if (name === viewName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function parseHash() {
  const [view = 'inbox', projectId, ...rest] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { view: VIEWS[view] ? view : 'inbox', projectId: projectId || undefined, rest };
}

async function routeChanged() {
  const route = parseHash();
  ctx.route = route;
  const wanted = route.projectId && ctx.projects.some((p) => p.id === route.projectId) ? route.projectId : ctx.projectId ?? ctx.projects[0]?.id;
  const projectChanged = wanted !== ctx.projectId;
  if (projectChanged) {
    ctx.projectId = wanted;
    renderProjects();
    await ctx.run(() => ctx.loadProject());
  }
  if (route.projectId !== wanted) {
    history.replaceState(null, '', `#/${route.view}/${wanted ?? ''}${route.rest.map((r) => `/${encodeURIComponent(r)}`).join('')}`);
  }
  if (route.view !== viewName || projectChanged) {
    view?.unmount();
    viewName = route.view;
    view = VIEWS[viewName](ctx);
    main.replaceChildren(view.element);
    await view.show(route.rest);
  } else {
    await view.show(route.rest);
  }
  renderNav();
  document.title = `${viewName[0].toUpperCase()}${viewName.slice(1)} · kapso-mock inspector`;
}

/** Everything from the mock again: after a reset, a restore, loaded fixtures, a reconnection. */
async function reloadAll() {
  await ctx.run(async () => {
    await Promise.all([ctx.loadProjects(), ctx.loadClock()]);
    if (!ctx.projects.some((p) => p.id === ctx.projectId)) {
      // The project is gone (a sandbox removed by a full reset): the first one instead.
      ctx.projectId = undefined;
      return routeChanged();
    }
    await ctx.loadProject();
    await view?.refresh({ replaced: true });
  });
}

function onEvent(name, data) {
  if (name === 'state.replaced' || name === 'stream.resync') return reloadAll();
  if (name === 'control.changed') {
    const op = data.operation_id;
    if (op === 'adminSetClock' || op === 'adminResetClock') ctx.run(() => ctx.loadClock()).then(() => view?.onEvent(name, data));
    else if (op === 'adminCreateProject' || op === 'adminDeleteProject') ctx.run(() => ctx.loadProjects()).then(() => view?.onEvent(name, data));
    else view?.onEvent(name, data);
    return;
  }
  view?.onEvent(name, data);
}

function setLive(status) {
  liveBox.dataset.status = status;
  liveBox.textContent = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' }[status];
  liveBox.title = { live: 'Receiving the mock\'s events as they happen', connecting: 'Connecting to the event stream', offline: 'The event stream is not reachable; retrying' }[status];
}

function loginForm(failed) {
  const input = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: !failed }, 'That is not the admin token.');
  const form = h('form', {
    class: 'login card',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await admin.login(input.value);
        location.reload();
      } catch {
        error.hidden = false;
        input.select();
      }
    },
  },
  h('h2', null, 'Admin token'),
  h('p', null, 'This kapso-mock asks for its admin token (KAPSO_MOCK_ADMIN_TOKEN). Enter it once: the browser keeps a session cookie until it closes, never the token itself.'),
  h('label', { for: 'token' }, 'Admin token'), input, error,
  h('button', { type: 'submit', class: 'primary' }, 'Open the inspector'));
  document.body.classList.add('locked');
  main.replaceChildren(form);
  input.focus();
}

async function start() {
  const { data: session } = await admin.session();
  if (session.token_required && !session.authenticated) return loginForm(false);
  onUnauthorized(() => loginForm(false));

  if (session.token_required) {
    document.getElementById('logout').hidden = false;
  }

  await Promise.all([ctx.loadProjects(), ctx.loadClock()]);
  projectSelect.addEventListener('change', () => {
    location.hash = `#/${viewName ?? 'inbox'}/${encodeURIComponent(projectSelect.value)}`;
  });
  window.addEventListener('hashchange', () => routeChanged());
  await routeChanged();

  let opened = false;
  connectLive({
    onEvent,
    onStatus: setLive,
    // A reconnection reloads what may have been missed. The first open may come after the first load
    // (events in between were never sent to this page): the view that lists them reads them again.
    onOpen: () => {
      if (opened) reloadAll();
      else view?.onStreamOpen?.();
      opened = true;
    },
  });
}

document.getElementById('logout').addEventListener('click', async () => {
  await ctx.run(() => admin.logout());
  location.reload();
});

start().catch((err) => {
  main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `The inspector could not start: ${err.message}`));
});
