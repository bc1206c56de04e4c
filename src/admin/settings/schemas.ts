import { z } from 'zod';

const fields = {
  rate_limit: z.number().int().min(0).meta({ description: 'Requests per minute per API key; 0: no limit.' }),
  auto_provision: z.boolean().meta({ description: 'An unknown API key gets its own empty project on first use.' }),
  journal_size: z.number().int().min(0).max(1_000_000).meta({ description: 'Entries the request journal keeps.' }),
  messaging_window: z.boolean().meta({ description: 'The 24-hour window: non-template messages to a number that has not written in 24 hours (mock clock) are refused.' }),
  auto_approve_templates: z.boolean().meta({ description: 'Templates created or edited through the Meta proxy are approved at once (off: they wait in review).' }),
  auto_message_status: z.boolean().meta({ description: 'Outbound messages move sent -> delivered -> read by themselves, on the mock\'s clock.' }),
  delivered_after_ms: z.number().int().min(0).max(86_400_000).meta({ description: 'With auto_message_status: mock-clock ms from sent to delivered.' }),
  read_after_ms: z.number().int().min(0).max(86_400_000).meta({ description: 'With auto_message_status: mock-clock ms from delivered to read.' }),
};

export const SettingsBody = z.object(fields).partial();
export const SettingsResponse = z.object({ data: z.object(fields) });
