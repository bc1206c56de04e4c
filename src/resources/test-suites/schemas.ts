import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, list, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';
import { TestCase } from '../test-cases/schemas.js';

export const TestSuite = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string().optional().meta({ description: 'Left out when the suite has none.' }),
    agent_id: Uuid,
    created_at: Timestamp,
    updated_at: Timestamp,
    test_cases: z.array(TestCase).meta({ description: 'Every case of the suite, in the order they were created.' }),
  })
  .meta({ id: 'TestSuite' });
export type TestSuite = z.infer<typeof TestSuite>;

export const AgentSuitesParams = z.object({ agent_id: PathId.meta({ example: 'a1000000-0000-4000-8000-000000000001' }) });
export const TestSuiteParams = z.object({ test_suite_id: PathId.meta({ example: '7a100000-0000-4000-8000-000000000001' }) });

export const TestSuiteCreateBody = wrapped('test_suite', z.object({
  name: RequiredText,
  description: z.string().optional(),
  // Any string: an ID that is not a UUID is an agent that does not exist (the spec's 404).
  agent_id: PathId,
}));
export type TestSuiteInput = z.infer<typeof TestSuiteCreateBody>['test_suite'];

export const TestSuiteResponse = data(TestSuite);
export const TestSuiteListResponse = list(TestSuite);
