import { z } from 'zod';
import { Timestamp } from '../../lib/schemas.js';
import { TimeInput } from '../schemas.js';

export const ClockBody = z.object({
  now: TimeInput.optional().meta({ description: 'Freeze time at this instant.' }),
  freeze: z.boolean().optional().meta({ description: 'true: freeze time where it is now.' }),
  advance_ms: z.number().int().min(0).optional().meta({ description: 'Move time forward (frozen or not).' }),
});

export const ClockResponse = z.object({
  data: z.object({
    mode: z.enum(['real', 'frozen', 'offset']),
    now: Timestamp,
    offset_ms: z.number().meta({ description: 'How far the mock\'s clock is from real time.' }),
  }),
});
