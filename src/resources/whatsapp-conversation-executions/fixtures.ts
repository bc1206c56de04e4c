import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { ConversationExecutionRepository } from './repository.js';

/**
 * `agent_executions[].whatsapp_conversations[]`: the conversation an execution runs in (at most
 * one), under the association's own ID. Its state follows the execution: created when it started,
 * active until it ends or fails, handoff_reason the execution's reason while it is in handoff.
 */
export const conversationExecutionFixtures = fixturePart({
  key: 'whatsapp_conversations',
  parent: 'agentExecutions',
  schema: z.object({
    conversation_id: FixtureId,
    handoff_reason: z.string().min(1).max(1000).nullable().optional()
      .meta({ description: 'Default: the execution\'s reason when it is in handoff, else null (give it for an execution that ended after a handoff).' }),
  }),
  siblings: { check: (links) => links.length <= 1, message: 'an agent execution runs in at most one conversation' },
  insert: (repo: ConversationExecutionRepository, l, { projectId, parent }) => {
    const execution = repo.execution(projectId, parent.id)!;
    repo.insert(projectId, {
      id: l.id, conversation_id: l.conversation_id, agent_execution_id: parent.id, active: execution.status !== 'ended',
      handoff_reason: l.handoff_reason !== undefined ? l.handoff_reason : execution.status === 'handoff' ? execution.reason : null,
      created_at: execution.started_at, updated_at: execution.ended_at ?? execution.started_at,
    });
  },
});
