import { z } from 'zod';
import { Timestamp } from '../../lib/schemas.js';
import { JournalFilterFields, TimeInput } from '../schemas.js';

export const JournalQuery = z.object({
  ...JournalFilterFields,
  limit: z.coerce.number().int().min(1).optional().meta({ description: 'At most this many entries (newest first).' }),
});

export const JournalCountQuery = z.object(JournalFilterFields);

export const WaitBody = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.number().int().optional(),
  project_id: z.string().optional(),
  since: TimeInput.optional(),
  count: z.number().int().min(1).max(10_000).default(1).meta({ description: 'How many matching requests to wait for (those already recorded count).' }),
  timeout_ms: z.number().int().min(0).max(60_000).default(5000),
});

export const JournalEntry = z.object({
  id: z.number().int(),
  time: Timestamp,
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.unknown()),
  headers: z.record(z.string(), z.unknown()).meta({ description: 'X-API-Key and Authorization are redacted.' }),
  body: z.unknown().meta({ description: 'The parsed request body (null without one).' }),
  status: z.number().int(),
  response_body: z.unknown().meta({ description: 'The response body as parsed JSON (null for 204 or a dropped connection).' }),
  duration_ms: z.number(),
  project_id: z.string().nullable(),
});

export const JournalEntryParams = z.object({ id: z.string().meta({ description: 'The entry\'s id (a number).', example: '1' }) });
export const JournalEntryResponse = z.object({ data: JournalEntry });

export const JournalListResponse = z.object({
  data: z.array(JournalEntry),
  meta: z.object({ count: z.number().int(), capacity: z.number().int() }),
});

export const JournalCountResponse = z.object({ data: z.object({ count: z.number().int() }) });

export const WaitResponse = z.object({
  data: z.array(JournalEntry),
  meta: z.object({ count: z.number().int(), timed_out: z.boolean() }),
});
