import { createHash } from 'node:crypto';
import { z } from 'zod';
import { before, FixtureAgo, FixtureId, FixtureTime } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { AgentExecutionRepository } from './repository.js';

/** A UUID v4 derived from the execution's ID: the same thread on every load. */
function threadIdOf(id: string): string {
  const h = createHash('sha256').update(`thread:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * `projects[].agent_executions[]`: an agent's executions, naming their agent (so they sit in a file
 * of their own), with the conversation they run in nested (`whatsapp_conversations`, at most one).
 * `status` may be `failed` (reads ended on /api/v1). The start is `started_at`, or `ago` (20m, 3h, 2d
 * before the fixtures load), or created_at; ended and failed ones need `duration` (seconds) or
 * `ended_at`. `reason` goes with handoff and failed. `thread_id` defaults to one derived from the ID.
 */
export const agentExecutionFixtures = fixturePart({
  key: 'agent_executions',
  schema: z
    .object({
      agent_id: FixtureId,
      status: z.enum(['started', 'running', 'paused', 'handoff', 'ended', 'failed']),
      thread_id: FixtureId.optional(),
      started_at: FixtureTime.optional(),
      ago: FixtureAgo.optional(),
      duration: z.number().int().min(0).optional(),
      ended_at: FixtureTime.optional(),
      reason: z.string().min(1).max(1000).optional(),
    })
    .superRefine((e, ctx) => {
      const final = e.status === 'ended' || e.status === 'failed';
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (final && e.duration === undefined && e.ended_at === undefined) issue('duration', `or ended_at is required for a ${e.status} execution`);
      if (!final && (e.duration !== undefined || e.ended_at !== undefined)) issue('duration', `a ${e.status} execution has not ended: no duration or ended_at`);
      if (e.duration !== undefined && e.ended_at !== undefined) issue('duration', 'give duration or ended_at, not both');
      if (e.started_at !== undefined && e.ago !== undefined) issue('ago', 'give started_at or ago, not both');
      if (e.reason !== undefined && e.status !== 'handoff' && e.status !== 'failed' && e.status !== 'ended') {
        issue('reason', 'goes with a handoff or a failure');
      }
    }),
  insert: (repo: AgentExecutionRepository, e, { projectId, now }) => {
    const started_at = e.ago !== undefined ? before(now, e.ago) : (e.started_at ?? e.created_at);
    const ended_at = e.ended_at ?? (e.duration === undefined ? null : new Date(Date.parse(started_at) + e.duration * 1000).toISOString());
    if (ended_at !== null && ended_at < started_at) throw new Error('ended_at is before the execution started');
    repo.insert(projectId, {
      id: e.id, agent_id: e.agent_id, thread_id: e.thread_id ?? threadIdOf(e.id), status: e.status === 'failed' ? 'ended' : e.status,
      failed: e.status === 'failed', reason: e.reason ?? null, started_at, ended_at,
      created_at: e.ago !== undefined ? started_at : e.created_at, updated_at: ended_at ?? (e.ago !== undefined ? started_at : e.updated_at),
    });
  },
});
