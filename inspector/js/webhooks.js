// Webhooks: the outbound deliveries the mock made to the app's webhook URLs, with their attempts,
// status, payload and headers; redeliver one; send a test event. Shown only when the server's admin
// index has the deliveries route:
//   GET  /__admin/webhook_deliveries[?project_id=]        {data: [delivery]}
//   POST /__admin/webhook_deliveries/{id}/redeliver        (any admin POST ending in /redeliver)
//   POST /__admin/...test...                               a test event (any admin POST under /__admin/webhook… with "test" in its path)
import { fill, request } from './api.js';
import { debounce, h, pretty, replace } from './dom.js';

/** The routes the view needs, from the admin index; undefined when the server has no deliveries. */
export function webhookOperations(operations) {
  const list = operations.find((o) => o.method === 'GET' && o.path === '/__admin/webhook_deliveries');
  if (!list) return undefined;
  const redeliver = operations.find((o) => o.method === 'POST' && /^\/__admin\/webhook_deliveries\/\{[^}]+\}\/redeliver$/.test(o.path));
  const test = operations.find((o) => o.method === 'POST' && /^\/__admin\/webhook/.test(o.path) && /test/.test(o.path));
  return { list: list.path, redeliver: redeliver?.path, test: test?.path };
}

const param = (path) => /\{(\w+)\}[^{]*$/.exec(path)?.[1] ?? 'id';

export function webhooksView(ctx) {
  const ops = ctx.webhooks;
  let generation = 0;
  let openId;
  const list = h('ul', { class: 'rows deliveries', 'aria-label': 'Webhook deliveries' });
  const detail = h('section', { class: 'request-detail', 'aria-label': 'Delivery details', hidden: true });
  const testButton = ops?.test
    ? h('button', { type: 'button', class: 'primary', onclick: () => ctx.run(() => request('POST', ops.test, { project_id: ctx.projectId }), 'Test event sent').then(() => load()) }, 'Send a test event')
    : null;
  const element = h('div', { class: 'webhooks' },
    h('div', { class: 'toolbar' }, h('h2', null, 'Webhook deliveries'), testButton),
    h('div', { class: 'request-split' }, h('div', null, list), detail));

  const field = (d, ...names) => names.map((n) => d[n]).find((v) => v !== undefined && v !== null);

  function showDetail(d) {
    openId = d.id;
    const attempts = d.attempts ?? [];
    const block = (title, value) => h('div', { class: 'block' }, h('h4', null, title), h('pre', null, h('code', null, pretty(value))));
    detail.hidden = false;
    replace(detail, 
      h('h3', null, `${field(d, 'event', 'event_type', 'name') ?? 'Delivery'} → ${field(d, 'url', 'destination_url') ?? ''}`),
      h('p', null, `${field(d, 'status') ?? ''} · ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}`),
      ops.redeliver ? h('div', { class: 'button-row' }, h('button', {
        type: 'button', class: 'primary',
        onclick: () => ctx.run(() => request('POST', fill(ops.redeliver, { [param(ops.redeliver)]: d.id }), { project_id: ctx.projectId }), 'Redelivered').then(() => load()),
      }, 'Redeliver')) : null,
      attempts.length ? h('ol', { class: 'attempts' }, attempts.map((a) => h('li', null,
        `${a.status_code ?? a.status ?? a.response_status ?? 'no answer'} · ${a.duration_ms !== undefined ? `${a.duration_ms} ms · ` : ''}${a.at ?? a.created_at ?? ''}${a.error ? ` · ${a.error}` : ''}`))) : null,
      block('Request headers', field(d, 'headers', 'request_headers') ?? {}),
      block('Payload', field(d, 'payload', 'body', 'request_body') ?? null));
  }

  async function load() {
    if (!ops) return;
    const mine = ++generation;
    const answer = await ctx.run(() => request('GET', `${ops.list}?project_id=${encodeURIComponent(ctx.projectId ?? '')}`));
    if (!answer || mine !== generation) return;
    const deliveries = answer.data ?? [];
    list.replaceChildren(...(deliveries.length === 0 ? [h('li', { class: 'muted' }, 'No deliveries yet.')] : deliveries.map((d) => h('li', null,
      h('button', { type: 'button', class: 'link', onclick: () => showDetail(d) }, `${field(d, 'event', 'event_type', 'name') ?? 'delivery'}`),
      h('span', { class: ['badge', String(field(d, 'status') ?? '')] }, String(field(d, 'status') ?? '')),
      h('small', null, `${(d.attempts ?? []).length} attempts · ${field(d, 'created_at') ? new Date(d.created_at).toLocaleString() : ''}`)))));
    const current = deliveries.find((d) => d.id === openId);
    if (current) showDetail(current);
  }

  const refresh = debounce(() => load(), 100);

  return {
    element,
    show: () => load(),
    refresh: () => load(),
    onEvent(name, data) {
      // A delivery follows a change of the project (a message, a conversation...), or the control plane's redelivery and test event.
      if (name === 'control.changed' ? /[Ww]ebhook/.test(data.operation_id) : data?.project_id === ctx.projectId && name !== 'request.recorded') refresh();
    },
    unmount() {
      generation++;
    },
  };
}
