import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

export const TestCase = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string().optional().meta({ description: 'Left out when the case has none.' }),
    script: z.string().meta({ description: "What the simulated user says: the script's quoted phrases, else each of its lines." }),
    rubric: z.string().meta({ description: 'What a run scores the replies against: one criterion per line, "(25%)" weights.' }),
    test_suite_id: Uuid,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'TestCase' });
export type TestCase = z.infer<typeof TestCase>;

export const TestCasesParams = z.object({ test_suite_id: PathId.meta({ example: '7a100000-0000-4000-8000-000000000001' }) });
export const TestCaseParams = z.object({ test_case_id: PathId.meta({ example: '7b100000-0000-4000-8000-000000000001' }) });

export const TestCaseCreateBody = wrapped('test_case', z.object({
  name: RequiredText,
  description: z.string().optional(),
  script: RequiredText,
  rubric: RequiredText,
}));
export type TestCaseInput = z.infer<typeof TestCaseCreateBody>['test_case'];

export const TestCaseUpdateBody = wrapped('test_case', z.object({
  name: RequiredText.optional(),
  description: z.string().optional(),
  script: RequiredText.optional(),
  rubric: RequiredText.optional(),
}));
export type TestCasePatch = z.infer<typeof TestCaseUpdateBody>['test_case'];

export const TestCaseResponse = data(TestCase);
