import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { AgentWhatsappConfigRepository } from './repository.js';

/** `agents[].whatsapp_configs[]`: an agent's links to configs of the same project. */
export const linkFixtures = fixturePart({
  key: 'whatsapp_configs',
  parent: 'agents',
  schema: z.object({ whatsapp_config_id: FixtureId, is_primary: z.boolean().default(false) }),
  siblings: {
    check: (links) => links.filter((l) => l.is_primary).length <= 1,
    message: 'an agent has at most one primary WhatsApp config link',
  },
  insert: (repo: AgentWhatsappConfigRepository, l, { projectId, parent }) =>
    repo.insert({
      project_id: projectId, id: l.id, agent_id: parent.id, whatsapp_config_id: l.whatsapp_config_id, is_primary: l.is_primary,
      created_at: l.created_at, updated_at: l.updated_at,
    }),
});
