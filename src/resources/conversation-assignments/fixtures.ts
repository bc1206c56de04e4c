import { z } from 'zod';
import { before, FixtureAgo, FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { ConversationAssignmentRepository } from './repository.js';
import { MAX_NOTES } from './schemas.js';

/**
 * `projects[].conversation_assignments[]`: who handles a conversation, naming the conversation and
 * the user (so they sit in a file of their own). `ago` (20m, 3h, 2d) places one relative to the
 * moment the fixtures load instead of created_at. At most one active assignment per conversation.
 */
export const conversationAssignmentFixtures = fixturePart({
  key: 'conversation_assignments',
  schema: z.object({
    conversation_id: FixtureId,
    user_id: FixtureId,
    active: z.boolean().default(true),
    notes: z.string().max(MAX_NOTES).nullable().default(null),
    created_by_user_id: FixtureId.nullable().default(null),
    ago: FixtureAgo.optional(),
  }),
  siblings: {
    check: (assignments) => {
      const active = assignments.filter((a) => a.active).map((a) => a.conversation_id);
      return new Set(active).size === active.length;
    },
    message: 'a conversation has at most one active assignment',
  },
  insert: (repo: ConversationAssignmentRepository, a, { projectId, now }) => {
    const created_at = a.ago === undefined ? a.created_at : before(now, a.ago);
    repo.insert(projectId, {
      id: a.id, conversation_id: a.conversation_id, user_id: a.user_id, active: a.active, notes: a.notes,
      created_by_user_id: a.created_by_user_id, created_at, updated_at: a.ago === undefined ? a.updated_at : created_at,
    });
  },
});
