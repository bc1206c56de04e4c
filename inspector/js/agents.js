// The Agents panel, beside the chat: the conversation's agent executions and their states
// (GET /__admin/projects/{project_id}/conversations/{conversation_id}/agent_executions, which shows
// a failure and its reason where /api/v1 reads `ended`), and the control plane's moves of an
// execution still in charge (POST /__admin/executions/{id}/status): resume (running), pause, hand
// off with a reason, end, fail with a reason. It redraws from the mock after each move and on the
// live stream's agent_execution.* (they name the conversation) and record.updated of an execution
// it shows (running and paused).
import { admin } from './api.js';
import { h } from './dom.js';

const when = (at) => (at ? new Date(at).toLocaleString() : '?');

/** The panel for one conversation; `refresh()` redraws it from the mock. */
export function agentsPanel(ctx, conversationId) {
  const body = h('div', { class: 'executions' });
  const element = h('section', { class: 'panel agents', 'aria-labelledby': 'agents-title' }, h('h3', { id: 'agents-title' }, 'Agents'), body);
  let generation = 0;
  /** IDs of the executions shown (a record.updated names the execution, not its conversation). */
  let shown = new Set();

  const move = async (execution, status, reason) => {
    const change = { project_id: ctx.projectId, status, ...(reason ? { reason } : {}) };
    if (await ctx.run(() => admin.moveExecution(execution.id, change), `Execution: ${status}`)) panel.refresh();
  };

  /** Hand off and fail take a reason: a small form under the execution. */
  const withReason = (execution, status, card) => () => {
    card.querySelector('form')?.remove();
    const input = h('input', {
      id: `reason-${execution.id}`, type: 'text', required: true, maxlength: 1000,
      value: status === 'handoff' ? 'The customer asked for a person' : 'The agent stopped answering',
    });
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

  /** One of the conversation's executions: Kapso's association {active, handoff_reason, agent_execution}. */
  const item = (link) => {
    const e = link.agent_execution;
    const state = e.failed ? 'failed' : e.status;
    const reason = link.handoff_reason ?? e.reason;
    const card = h('article', { class: 'execution', dataset: { id: e.id } },
      h('div', null, h('strong', null, link.agent_name ?? e.agent_id), ' ', h('span', { class: ['badge', state] }, state),
        link.active ? h('span', { class: 'muted' }, ' · in charge') : null),
      h('small', null, `Started ${when(e.started_at)}${e.ended_at ? ` · ended ${when(e.ended_at)} (${e.duration} s)` : ''}`),
      reason ? h('p', { class: 'muted' }, state === 'failed' ? `Failed: ${reason}` : `Handed off: ${reason}`) : null);
    // Ended and failed executions are final: only one still in charge moves.
    if (link.active) {
      card.append(h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'small', disabled: e.status === 'running', title: 'The agent works again (status running)', onclick: () => move(e, 'running') }, 'Resume'),
        h('button', { type: 'button', class: 'small', disabled: e.status === 'paused', onclick: () => move(e, 'paused') }, 'Pause'),
        h('button', { type: 'button', class: 'small', onclick: withReason(e, 'handoff', card) }, 'Hand off…'),
        h('button', { type: 'button', class: 'small', onclick: () => move(e, 'ended') }, 'End'),
        h('button', { type: 'button', class: 'small danger', onclick: withReason(e, 'failed', card) }, 'Fail…')));
    }
    return card;
  };

  const panel = {
    element,
    /** Whether the panel shows this execution. */
    has: (executionId) => shown.has(executionId),
    async refresh() {
      const mine = ++generation;
      const answer = await ctx.run(() => admin.conversationExecutions(ctx.projectId, conversationId, { per_page: 20 }));
      if (mine !== generation || !answer) return;
      const items = answer.data;
      shown = new Set(items.map((link) => link.agent_execution.id));
      body.replaceChildren(...(items.length ? items.map(item) : [h('p', { class: 'muted' }, 'No agent execution on this conversation.')]));
    },
  };
  return panel;
}
