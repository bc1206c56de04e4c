// The control plane: reset, snapshots (save, restore, delete), the clock (freeze, advance, back to
// real time), fault and latency rules (list, add, remove), runtime settings, and sandbox projects.
// Each part reads the mock again after every change, whoever made it (control.changed).
import { admin } from './api.js';
import { debounce, h } from './dom.js';

const SETTINGS = [
  { name: 'rate_limit', label: 'Rate limit (requests per minute per key, 0: none)', type: 'number' },
  { name: 'auto_provision', label: 'Auto-provision a project for an unknown key', type: 'boolean' },
  { name: 'journal_size', label: 'Journal size (requests kept)', type: 'number' },
  { name: 'messaging_window', label: '24-hour messaging window', type: 'boolean' },
  { name: 'auto_message_status', label: 'Automatic message statuses (sent → delivered → read)', type: 'boolean' },
  { name: 'delivered_after_ms', label: 'Delivered after (ms)', type: 'number' },
  { name: 'read_after_ms', label: 'Read after (ms)', type: 'number' },
];

const ADVANCES = [['+1 minute', 60_000], ['+1 hour', 3_600_000], ['+1 day', 86_400_000]];

export function controlsView(ctx) {
  let generation = 0;
  const section = (id, title, ...content) => h('section', { class: 'card control', 'aria-labelledby': id }, h('h2', { id }, title), ...content);

  // ---- reset ---------------------------------------------------------------------------------
  const reset = section('reset-title', 'Reset',
    h('p', { class: 'muted' }, 'Back to the fixtures. Everything: every project, sandboxes removed. This project: its records only.'),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'danger', onclick: () => ctx.run(() => admin.reset(), 'Everything is back to the fixtures') }, 'Reset everything'),
      h('button', { type: 'button', onclick: () => ctx.run(() => admin.reset(ctx.projectId), 'The project is back to where it started') }, 'Reset this project')));

  // ---- snapshots -----------------------------------------------------------------------------
  const snapshotName = h('input', { id: 'snapshot-name', type: 'text', required: true, pattern: '[A-Za-z0-9._\\-]{1,100}', placeholder: 'before-checkout', autocomplete: 'off' });
  const snapshotList = h('ul', { class: 'rows', 'aria-label': 'Saved snapshots' });
  const snapshots = section('snapshots-title', 'Snapshots',
    h('form', {
      class: 'inline-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const name = snapshotName.value.trim();
        if (await ctx.run(() => admin.snapshot(name), `Snapshot ${name} saved`)) snapshotName.value = '';
        loadSnapshots();
      },
    }, h('label', { for: 'snapshot-name' }, 'Name'), snapshotName, h('button', { type: 'submit', class: 'primary' }, 'Save snapshot')),
    snapshotList);

  async function loadSnapshots() {
    const mine = generation;
    const answer = await ctx.run(() => admin.snapshots());
    if (!answer || mine !== generation) return;
    snapshotList.replaceChildren(...(answer.data.length === 0 ? [h('li', { class: 'muted' }, 'No snapshots.')] : answer.data.map((s) => h('li', null,
      h('span', null, h('strong', null, s.name), h('small', null, ` saved ${new Date(s.created_at).toLocaleString()}`)),
      h('span', { class: 'button-row' },
        h('button', { type: 'button', 'aria-label': `Restore ${s.name}`, onclick: () => ctx.run(() => admin.restore(s.name), `Snapshot ${s.name} restored`) }, 'Restore'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${s.name}`, onclick: () => ctx.run(() => admin.deleteSnapshot(s.name), `Snapshot ${s.name} deleted`).then(() => loadSnapshots()) }, 'Delete'))))));
  }

  // ---- the clock -----------------------------------------------------------------------------
  const clockLine = h('p', { class: 'clock-line', role: 'status' });
  const clockAt = h('input', { id: 'clock-at', type: 'datetime-local', step: 1 });
  const setClock = (body, done) => ctx.run(() => admin.setClock(body), done);
  const clock = section('clock-title', 'Clock',
    clockLine,
    h('div', { class: 'button-row' },
      h('button', { type: 'button', onclick: () => setClock({ freeze: true }, 'Clock frozen') }, 'Freeze'),
      ADVANCES.map(([label, ms]) => h('button', { type: 'button', onclick: () => setClock({ advance_ms: ms }, `Clock moved ${label}`) }, label)),
      h('button', { type: 'button', onclick: () => ctx.run(() => admin.realClock(), 'Back to real time') }, 'Real time')),
    h('form', {
      class: 'inline-form',
      onsubmit: (event) => {
        event.preventDefault();
        if (clockAt.value) setClock({ now: new Date(clockAt.value).toISOString() }, 'Clock set');
      },
    }, h('label', { for: 'clock-at' }, 'Freeze at'), clockAt, h('button', { type: 'submit' }, 'Set')));

  function drawClock() {
    const c = ctx.clock;
    clockLine.textContent = c.mode === 'frozen'
      ? `Frozen at ${new Date(c.now).toLocaleString()}`
      : `Real time${c.offset_ms ? ` (offset ${Math.round(c.offset_ms / 1000)} s)` : ''}: ${new Date(ctx.now()).toLocaleString()}`;
  }

  // ---- faults --------------------------------------------------------------------------------
  const fault = {
    method: h('select', { id: 'fault-method' }, ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => h('option', { value: m }, m || 'Any'))),
    path: h('input', { id: 'fault-path', type: 'text', required: true, value: '/api/v1/**', autocomplete: 'off' }),
    status: h('input', { id: 'fault-status', type: 'number', min: 400, max: 599, placeholder: '503' }),
    latency: h('input', { id: 'fault-latency', type: 'number', min: 0, max: 60000, placeholder: '0' }),
    drop: h('input', { id: 'fault-drop', type: 'checkbox' }),
    times: h('input', { id: 'fault-times', type: 'number', min: 1, placeholder: 'always' }),
  };
  const faultList = h('ul', { class: 'rows', 'aria-label': 'Fault rules' });
  const faults = section('faults-title', 'Faults and latency',
    h('p', { class: 'muted' }, 'Rules that make /api/v1 requests fail, slow down or drop. The first matching rule decides.'),
    h('form', {
      class: 'grid-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const body = { path: fault.path.value.trim() };
        if (fault.method.value) body.method = fault.method.value;
        if (fault.status.value) body.status = Number(fault.status.value);
        if (fault.latency.value) body.latency_ms = Number(fault.latency.value);
        if (fault.drop.checked) body.drop = true;
        if (fault.times.value) body.times = Number(fault.times.value);
        await ctx.run(() => admin.addFault(body), 'Fault rule added');
        loadFaults();
      },
    },
    h('label', { for: 'fault-method' }, 'Method'), fault.method,
    h('label', { for: 'fault-path' }, 'Path (* one segment, ** the rest)'), fault.path,
    h('label', { for: 'fault-status' }, 'Status'), fault.status,
    h('label', { for: 'fault-latency' }, 'Latency (ms)'), fault.latency,
    h('label', { for: 'fault-times' }, 'Times'), fault.times,
    h('label', { class: 'check' }, fault.drop, 'Drop the connection'),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'primary' }, 'Add rule'),
      h('button', { type: 'button', class: 'danger', onclick: () => ctx.run(() => admin.clearFaults(), 'Every fault rule removed').then(() => loadFaults()) }, 'Remove all'))),
    faultList);

  const describeFault = (f) => [
    f.method ?? 'ANY', f.path,
    f.status !== undefined ? `→ ${f.status}` : null,
    f.latency_ms !== undefined ? `+${typeof f.latency_ms === 'number' ? f.latency_ms : `${f.latency_ms.min}–${f.latency_ms.max}`} ms` : null,
    f.drop ? 'drop' : null,
    f.times !== undefined ? `${f.remaining ?? f.times} of ${f.times} left` : null,
    `${f.hits} hits`,
  ].filter(Boolean).join(' ');

  async function loadFaults() {
    const mine = generation;
    const answer = await ctx.run(() => admin.faults());
    if (!answer || mine !== generation) return;
    faultList.replaceChildren(...(answer.data.length === 0 ? [h('li', { class: 'muted' }, 'No fault rules.')] : answer.data.map((f) => h('li', null,
      h('code', null, describeFault(f)),
      h('button', { type: 'button', class: 'danger', 'aria-label': `Remove the rule ${describeFault(f)}`, onclick: () => ctx.run(() => admin.deleteFault(f.id), 'Fault rule removed').then(() => loadFaults()) }, 'Remove')))));
  }

  // ---- settings ------------------------------------------------------------------------------
  const inputs = Object.fromEntries(SETTINGS.map((s) => [s.name, s.type === 'boolean'
    ? h('input', { id: `setting-${s.name}`, type: 'checkbox' })
    : h('input', { id: `setting-${s.name}`, type: 'number', min: 0 })]));
  const settings = section('settings-title', 'Settings',
    h('form', {
      class: 'grid-form settings-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const body = Object.fromEntries(SETTINGS.map((s) => [s.name, s.type === 'boolean' ? inputs[s.name].checked : Number(inputs[s.name].value)]));
        await ctx.run(() => admin.updateSettings(body), 'Settings saved');
        loadSettings();
      },
    },
    SETTINGS.map((s) => (s.type === 'boolean'
      ? h('label', { class: 'check wide' }, inputs[s.name], s.label)
      : [h('label', { for: `setting-${s.name}` }, s.label), inputs[s.name]])),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'primary' }, 'Save settings'))));

  async function loadSettings() {
    const mine = generation;
    const answer = await ctx.run(() => admin.settings());
    if (!answer || mine !== generation) return;
    for (const s of SETTINGS) {
      if (s.type === 'boolean') inputs[s.name].checked = answer.data[s.name];
      else inputs[s.name].value = String(answer.data[s.name]);
    }
  }

  // ---- projects ------------------------------------------------------------------------------
  const sandboxName = h('input', { id: 'sandbox-name', type: 'text', placeholder: 'My sandbox', autocomplete: 'off' });
  const sandboxSeed = h('input', { id: 'sandbox-seed', type: 'checkbox', checked: true });
  const projectList = h('ul', { class: 'rows', 'aria-label': 'Projects' });
  const created = h('div', { role: 'status' });
  const projects = section('projects-title', 'Projects',
    h('p', { class: 'muted' }, 'Sandbox projects have their own API key, shown once when made (the mock keeps only its hash; this tab remembers it).'),
    h('form', {
      class: 'inline-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const answer = await ctx.run(() => admin.createProject({ ...(sandboxName.value.trim() ? { name: sandboxName.value.trim() } : {}), seed: sandboxSeed.checked }));
        if (!answer) return;
        const p = answer.data;
        ctx.rememberSandboxKey(p.id, p.api_key);
        created.replaceChildren(h('p', { class: 'notice' }, `${p.name} made. Its key, shown this once: `, h('code', null, p.api_key)));
        await ctx.loadProjects();
        drawProjects();
      },
    },
    h('label', { for: 'sandbox-name' }, 'Name'), sandboxName,
    h('label', { class: 'check' }, sandboxSeed, 'Copy the Demo Project'),
    h('button', { type: 'submit', class: 'primary' }, 'Make a sandbox')),
    created, projectList);

  function drawProjects() {
    projectList.replaceChildren(...ctx.projects.map((p) => h('li', null,
      h('span', null, h('strong', null, p.name), h('small', null, ` ${p.origin} · `), h('code', null, p.id)),
      p.origin === 'fixtures' ? null : h('button', {
        type: 'button', class: 'danger', 'aria-label': `Delete ${p.name}`,
        onclick: () => ctx.run(() => admin.deleteProject(p.id), `${p.name} deleted`).then(() => ctx.loadProjects()).then(() => drawProjects()),
      }, 'Delete'))));
  }

  const refreshFaults = debounce(() => loadFaults(), 100);
  const element = h('div', { class: 'controls' }, reset, snapshots, clock, faults, settings, projects);
  const ticker = setInterval(drawClock, 1000);

  const loadAll = async () => {
    generation++;
    drawClock();
    drawProjects();
    await Promise.all([loadSnapshots(), loadFaults(), loadSettings()]);
  };

  return {
    element,
    show: () => loadAll(),
    refresh: () => loadAll(),
    onEvent(name, data) {
      // A request may have hit a fault rule: its count moves.
      if (name === 'request.recorded' && faultList.querySelector('code')) return refreshFaults();
      if (name !== 'control.changed') return;
      const op = data.operation_id;
      if (op === 'adminSetClock' || op === 'adminResetClock') drawClock();
      else if (/Snapshot/.test(op)) loadSnapshots();
      else if (/Fault/.test(op)) loadFaults();
      else if (op === 'adminUpdateSettings') loadSettings();
      else if (/Project/.test(op)) drawProjects();
    },
    unmount() {
      generation++;
      clearInterval(ticker);
    },
  };
}
