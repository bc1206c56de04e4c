import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { AgentTestChatRepository } from './repository.js';
import { TEST_CHAT_STATUSES } from './schemas.js';

/**
 * `projects[].agent_test_chats[]`: test chats with an agent (or one of its snapshots). Only the
 * user's `messages` are given: the agent's replies are the simulated agent's, so a fixture chat
 * reads exactly as the same messages sent through the API would. A `processing` chat's last reply
 * is held until the control plane releases it; an `error` chat has no last reply and an `error`.
 */
export const testChatFixtures = fixturePart({
  key: 'agent_test_chats',
  schema: z.object({
    agent_id: FixtureId,
    agent_snapshot_id: FixtureId.optional(),
    messages: z.array(z.string().min(1)).min(1),
    status: z.enum(TEST_CHAT_STATUSES).default('completed'),
    error: z.string().min(1).optional(),
  }),
  insert: (repo: AgentTestChatRepository, c, { projectId }) => repo.insert(projectId, c),
});
