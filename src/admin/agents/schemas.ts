import { z } from 'zod';
import { PathId } from '../../lib/schemas.js';
import { AgentSettings } from '../../resources/agent-settings/schemas.js';
import { AgentTestChat, TEST_CHAT_STATUSES } from '../../resources/agent-test-chats/schemas.js';
import { AgentTestRun } from '../../resources/test-runs/schemas.js';

export const ProjectParams = z.object({ project_id: z.string() });
export const RecordParams = z.object({ id: PathId });

const ProjectChoice = z.string().optional().meta({ description: 'The project of the record (default: the X-API-Key header\'s, else the one project holding the ID).' });

/** One day: longer would hold a chat for good, which `status: processing` already does. */
const MAX_LATENCY_MS = 86_400_000;

export const AgentSettingsBody = z.object({
  credits: z.number().int().min(0).max(1_000_000_000).nullable().optional()
    .meta({ description: 'AI credits left; null: unlimited. Each test-chat reply and each test run spends one.' }),
  test_chat_latency_ms: z.number().int().min(0).max(MAX_LATENCY_MS).optional()
    .meta({ description: 'How long (mock clock) a test chat reply takes to land; the chat reads processing meanwhile.' }),
});

export const TestChatStatusBody = z.object({
  status: z.enum(TEST_CHAT_STATUSES).meta({
    description: 'processing: hold the reply being processed (or mark the chat processing again); completed: land it now; '
      + 'error: drop it and record `error`.',
  }),
  error: z.string().min(1).max(2000).optional().meta({ description: 'With status error (default "The agent failed to respond").' }),
  project_id: ProjectChoice,
});

export const TestRunRunBody = z.object({
  error: z.string().min(1).max(2000).optional().meta({ description: 'Fail the run with this message instead of running it.' }),
  project_id: ProjectChoice,
});

export const AgentSettingsResponse = z.object({ data: AgentSettings });
export const AdminTestChatResponse = z.object({ data: AgentTestChat });
export const AdminTestRunResponse = z.object({ data: AgentTestRun });
