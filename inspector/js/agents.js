// The Agents panel: a conversation's agent executions and their control-plane transitions (pause,
// hand off with a reason, end, fail). Shown only when the server's admin index has the routes:
//   GET  /__admin/projects/{project_id}/conversations/{conversation_id}/agent_executions
//        (paged; items are executions, or Kapso's conversation associations {active, handoff_reason, agent_execution})
//   POST /__admin/executions/{id}/status   {"project_id", "status": "paused"|"handoff"|"ended"|"failed", "reason"?}
import { fill, request } from './api.js';
import { h } from './dom.js';

/** The routes the panel needs, from the admin index; undefined when the server has no executions. */
export function agentOperations(operations) {
  const list = operations.find((o) => o.method === 'GET' && /\/conversations\/\{[^}]+\}\/(agent_)?executions$/.test(o.path));
  if (!list) return undefined;
  const move = operations.find((o) => o.method === 'POST' && /^\/__admin\/(agent_)?executions\/\{[^}]+\}\/status$/.test(o.path));
  return { list: list.path, move: move?.path };
}

const param = (path) => /\{(\w+)\}[^{]*$/.exec(path)?.[1] ?? 'id';

/** The panel for one conversation; `refresh()` redraws it from the mock. */
export function agentsPanel(ctx, conversationId) {
  const ops = ctx.agents;
  const body = h('div', { class: 'executions' });
  const element = h('section', { class: 'panel agents', 'aria-labelledby': 'agents-title', hidden: !ops },
    h('h3', { id: 'agents-title' }, 'Agents'), body);
  let generation = 0;

  const move = async (execution, status, reason) => {
    const path = fill(ops.move, { [param(ops.move)]: execution.id });
    if (await ctx.run(() => request('POST', path, { project_id: ctx.projectId, status, ...(reason ? { reason } : {}) }), `Execution: ${status}`)) panel.refresh();
  };

  /** Hand off and fail take a reason: a small form under the execution. */
  const withReason = (execution, status, card) => () => {
    card.querySelector('form')?.remove();
    const input = h('input', { id: `reason-${execution.id}`, type: 'text', required: true, value: status === 'handoff' ? 'The customer asked for a person' : 'The agent stopped answering' });
    const form = h('form', {
      class: 'inline-form',
      onsubmit: (event) => {
        event.preventDefault();
        move(execution, status, input.value.trim());
      },
    }, h('label', { for: input.id }, status === 'handoff' ? 'Hand-off reason' : 'Failure reason'), input,
    h('button', { type: 'submit', class: status === 'failed' ? 'small danger' : 'small' }, status === 'handoff' ? 'Hand off' : 'Fail'));
    card.append(form);
    input.focus();
  };

  const item = (raw) => {
    const e = raw.agent_execution ?? raw;
    const reason = raw.handoff_reason ?? e.handoff_reason ?? e.reason ?? e.error;
    const live = ['started', 'running', 'paused', 'handoff'].includes(e.status);
    const card = h('article', { class: 'execution' },
      h('div', null, h('strong', null, e.agent_name ?? e.agent_id ?? 'Agent'), ' ', h('span', { class: ['badge', e.status] }, e.failed ? 'failed' : e.status)),
      h('small', null, `Started ${e.started_at ? new Date(e.started_at).toLocaleString() : '?'}${e.ended_at ? ` · ended ${new Date(e.ended_at).toLocaleString()}` : ''}`),
      reason ? h('p', { class: 'muted' }, reason) : null);
    if (ops.move && live) {
      card.append(h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'small', disabled: e.status === 'paused', onclick: () => move(e, 'paused') }, 'Pause'),
        h('button', { type: 'button', class: 'small', disabled: e.status === 'handoff', onclick: withReason(e, 'handoff', card) }, 'Hand off…'),
        h('button', { type: 'button', class: 'small', onclick: () => move(e, 'ended') }, 'End'),
        h('button', { type: 'button', class: 'small danger', onclick: withReason(e, 'failed', card) }, 'Fail…')));
    }
    return card;
  };

  const panel = {
    element,
    async refresh() {
      if (!ops) return;
      const mine = ++generation;
      const path = fill(ops.list, { project_id: ctx.projectId, conversation_id: conversationId });
      const answer = await ctx.run(() => request('GET', `${path}?per_page=20`));
      if (mine !== generation || !answer) return;
      const items = answer.data ?? [];
      body.replaceChildren(...(items.length ? items.map(item) : [h('p', { class: 'muted' }, 'No agent execution on this conversation.')]));
    },
  };
  return panel;
}
