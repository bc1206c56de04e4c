// Webhooks: the deliveries the mock made to the app's webhook URLs (GET /__admin/webhook_deliveries
// for the project, filtered by status and event), each with its attempts (the receiver's status or
// the error, how long it took, the start of its answer), headers and payload; redeliver one
// (POST /__admin/webhook_deliveries/{id}/redeliver); send a sample event to one of the project's
// WhatsApp webhooks (GET /__admin/projects/{project_id}/whatsapp_configs/{id}/whatsapp_webhooks,
// POST /__admin/webhooks/{id}/test). Live: the stream's webhook_delivery.created and
// webhook_delivery.attempted redraw it as deliveries are made and answered.
import { admin } from './api.js';
import { debounce, h, icon, preciseTime, pretty, replace } from './dom.js';

/** Deliveries shown (newest first). */
const SHOWN = 100;
/** What a WhatsApp webhook can subscribe to (and be sent a sample of). */
const WHATSAPP_EVENTS = [
  'whatsapp.message.received', 'whatsapp.message.sent', 'whatsapp.message.delivered', 'whatsapp.message.read', 'whatsapp.message.failed',
  'whatsapp.conversation.created', 'whatsapp.conversation.ended', 'whatsapp.conversation.inactive',
];
const AGENT_EVENTS = ['agent_execution_started', 'agent_execution_ended', 'agent_execution_failed', 'agent_execution_handoff'];

/** The last attempt's answer: the receiver's status, or why there was none. */
const answerOf = (d) => {
  const last = d.attempts[d.attempts.length - 1];
  if (!last) return d.status === 'pending' ? 'not sent yet' : d.error ?? '—';
  return last.status !== null ? `HTTP ${last.status}` : last.error ?? 'no answer';
};
const statusClass = (d) => ({ delivered: 'active', failed: 'failed', pending: 'paused' })[d.status];

export function webhooksView(ctx) {
  let generation = 0;
  let deliveries = [];
  let openId;
  let openVersion;
  /** The project's WhatsApp webhooks: [{webhook, config}]. */
  let webhooks = [];

  const status = h('select', { id: 'wh-status', onchange: () => load() },
    [['', 'Any status'], ['pending', 'Pending'], ['delivered', 'Delivered'], ['failed', 'Failed']].map(([v, t]) => h('option', { value: v }, t)));
  const event = h('select', { id: 'wh-event', onchange: () => load() },
    h('option', { value: '' }, 'Any event'), [...WHATSAPP_EVENTS, ...AGENT_EVENTS].map((e) => h('option', { value: e }, e)));
  const rows = h('tbody');
  const note = h('p', { class: 'muted center', role: 'status' });
  const detail = h('section', { class: 'request-detail', 'aria-label': 'Delivery details', hidden: true });

  const target = h('select', { id: 'wh-target' });
  const sample = h('select', { id: 'wh-sample' }, WHATSAPP_EVENTS.map((e) => h('option', { value: e }, e)));
  const testForm = h('form', {
    class: 'inline-form test-event',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!target.value) return;
      const sent = await ctx.run(() => admin.testWebhook(target.value, { project_id: ctx.projectId, event_type: sample.value }), 'Test event sent');
      if (sent) await load();
    },
  },
  h('label', { for: 'wh-target' }, 'Webhook'), target,
  h('label', { for: 'wh-sample' }, 'Event'), sample,
  h('button', { type: 'submit', class: 'primary' }, 'Send a test event'));
  const noWebhook = h('p', { class: 'muted', hidden: true },
    'This project has no WhatsApp webhook yet: create one with POST /api/v1/whatsapp_configs/{id}/whatsapp_webhooks, pointing at your app.');

  const element = h('div', { class: 'webhooks' },
    h('div', { class: 'toolbar' },
      h('h2', null, 'Webhook deliveries'),
      h('label', { for: 'wh-status' }, 'Status'), status,
      h('label', { for: 'wh-event' }, 'Event'), event),
    h('section', { class: 'panel', 'aria-label': 'Send a test event' }, testForm, noWebhook),
    h('div', { class: 'request-split' },
      h('div', { class: 'table-wrap' },
        h('table', { class: 'request-table deliveries' },
          h('caption', { class: 'sr-only' }, 'Webhook deliveries, newest first'),
          h('thead', null, h('tr', null, ['Time', 'Event', 'Status', 'Attempts', 'Answer', 'URL'].map((t) => h('th', { scope: 'col' }, t)))),
          rows),
        note),
      detail));

  function drawList() {
    rows.replaceChildren(...deliveries.map((d) => h('tr', { class: d.id === openId ? 'selected' : undefined, dataset: { id: d.id } },
      h('td', null, h('time', { datetime: d.created_at }, preciseTime(d.created_at))),
      h('td', { class: 'path' }, h('button', { type: 'button', class: 'link', 'aria-label': `${d.event} to ${d.url}, ${d.status}: details`, onclick: () => open(d.id) }, d.event)),
      h('td', null, h('span', { class: ['badge', statusClass(d)] }, d.status)),
      h('td', { class: 'num' }, String(d.attempt_count)),
      h('td', null, answerOf(d)),
      h('td', { class: 'path' }, d.url))));
    note.textContent = deliveries.length === 0
      ? (status.value || event.value ? 'No delivery matches the filters.' : 'No delivery yet: a webhook of this project gets one when its events happen.')
      : '';
  }

  function drawDetail(focus) {
    const d = deliveries.find((x) => x.id === openId);
    if (!d) {
      detail.hidden = true;
      openId = undefined;
      return;
    }
    // A live redraw leaves the details alone while the delivery has not changed (focus stays where it is).
    const version = `${d.status}.${d.attempts.length}`;
    if (!focus && version === openVersion && !detail.hidden) return;
    openVersion = version;
    const block = (title, value) => h('div', { class: 'block' }, h('h4', null, title), h('pre', null, h('code', null, pretty(value))));
    const times = [
      d.delivered_at ? `delivered ${new Date(d.delivered_at).toLocaleString()}` : null,
      d.failed_at ? `failed ${new Date(d.failed_at).toLocaleString()}` : null,
      d.next_attempt_at ? `next attempt ${new Date(d.next_attempt_at).toLocaleString()}` : null,
    ].filter(Boolean).join(' · ');
    detail.hidden = false;
    replace(detail,
      h('div', { class: 'detail-head' },
        h('h3', { id: 'delivery-title', tabindex: '-1' }, `${d.event} → ${d.url}`),
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Close the details', onclick: () => { openId = undefined; detail.hidden = true; drawList(); } }, icon('close'))),
      h('p', null, h('span', { class: ['badge', statusClass(d)] }, d.status),
        ` · ${d.attempt_count} attempt${d.attempt_count === 1 ? '' : 's'} · ${d.origin}${d.batch ? ` · batch of ${d.batch.size}` : ''}${times ? ` · ${times}` : ''}`),
      d.error ? h('p', { class: 'form-error' }, d.error) : null,
      h('div', { class: 'button-row' }, h('button', {
        type: 'button', class: 'primary', disabled: d.batch?.open === true,
        title: 'A new delivery of the same bytes, signature and X-Idempotency-Key, sent at once',
        onclick: async () => {
          const again = await ctx.run(() => admin.redeliver(d.id, ctx.projectId), 'Redelivered');
          if (again) await load();
        },
      }, 'Redeliver')),
      d.attempts.length ? h('div', { class: 'block' }, h('h4', null, 'Attempts'), h('ol', { class: 'attempts' }, d.attempts.map((a) => h('li', null,
        `${a.status ?? 'no answer'} · ${Math.round(a.duration_ms)} ms · ${new Date(a.at).toLocaleString()}${a.error ? ` · ${a.error}` : ''}${a.duplicate ? ' · duplicate' : ''}`,
        a.response_body ? h('pre', null, h('code', null, a.response_body)) : null)))) : null,
      block('Request headers', d.headers),
      block('Payload', d.payload));
    if (focus) detail.querySelector('#delivery-title')?.focus({ preventScroll: true });
  }

  function open(id) {
    openId = id;
    openVersion = undefined;
    drawList();
    drawDetail(true);
  }

  async function load() {
    const mine = ++generation;
    const answer = await ctx.run(() => admin.deliveries({ project_id: ctx.projectId, status: status.value, event: event.value, limit: SHOWN }));
    if (!answer || mine !== generation) return;
    deliveries = answer.data;
    drawList();
    drawDetail(false);
  }

  async function loadWebhooks() {
    const projectId = ctx.projectId;
    const pages = await ctx.run(() => Promise.all(ctx.configs.map((config) => admin.configWebhooks(projectId, config.id, { per_page: 100 })
      .then(({ data }) => data.map((webhook) => ({ webhook, config }))))));
    if (!pages || projectId !== ctx.projectId) return;
    webhooks = pages.flat();
    const chosen = target.value;
    target.replaceChildren(...webhooks.map(({ webhook, config }) => h('option', { value: webhook.id, selected: webhook.id === chosen },
      `${config.name}: ${webhook.url}${webhook.active ? '' : ' (inactive)'}`)));
    testForm.hidden = webhooks.length === 0;
    noWebhook.hidden = webhooks.length > 0;
  }

  const refreshSoon = debounce(() => load(), 100);

  return {
    element,
    show: () => Promise.all([load(), loadWebhooks()]),
    refresh: () => Promise.all([load(), loadWebhooks()]),
    onEvent(name, data) {
      if (data?.project_id !== ctx.projectId) return;
      if (name === 'webhook_delivery.created' || name === 'webhook_delivery.attempted') refreshSoon();
      // A webhook made, changed or deleted (its pending deliveries are cancelled with it).
      else if (name.startsWith('record.') && data.data?.type === 'whatsapp_webhook') {
        loadWebhooks();
        refreshSoon();
      }
    },
    unmount() {
      generation++;
    },
  };
}
