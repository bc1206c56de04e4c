import { z } from 'zod';
import { Timestamp, Uuid } from '../../lib/schemas.js';

const Latency = z.union([
  z.number().int().min(0).max(60_000),
  z.object({ min: z.number().int().min(0).max(60_000), max: z.number().int().min(0).max(60_000) }),
]).meta({ description: 'Milliseconds to wait before answering: a number, or {min, max} for a uniform random delay.' });

const fields = {
  method: z.string().optional().meta({ description: 'Only this method (any when absent).' }),
  path: z.string().startsWith('/').meta({ description: 'Path or pattern: * or {name} matches one segment, ** the rest (/api/v1/customers/*).' }),
  project_id: z.string().optional().meta({ description: 'Only requests of this project.' }),
  status: z.number().int().min(400).max(599).optional().meta({ description: 'Answer this status instead.' }),
  body: z.unknown().optional().meta({ description: "The body to answer with (default: Kapso's envelope for the status)." }),
  headers: z.record(z.string(), z.string()).optional().meta({ description: 'Extra response headers.' }),
  latency_ms: Latency.optional(),
  drop: z.boolean().optional().meta({ description: 'Close the connection without answering.' }),
  times: z.number().int().min(1).optional().meta({ description: 'Fire this many times, then stop (always when absent).' }),
  probability: z.number().min(0).max(1).optional().meta({ description: 'Chance of firing for each matching request (default 1).' }),
};

export const FaultBody = z.object(fields);

export const FaultRule = z.object({
  ...fields,
  path: z.string(),
  id: Uuid,
  remaining: z.number().int().nullable().meta({ description: 'Times left to fire (null: unlimited).' }),
  hits: z.number().int(),
  created_at: Timestamp,
});

export const FaultResponse = z.object({ data: FaultRule });
export const FaultListResponse = z.object({ data: z.array(FaultRule) });
export const FaultParams = z.object({ id: z.string() });
