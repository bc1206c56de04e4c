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
  webhook_retry_delays_ms: z.array(z.number().int().min(0).max(86_400_000)).max(10)
    .meta({ description: 'Mock-clock ms after each failed webhook attempt before the next (Kapso: [10000, 40000, 90000]); [] for no retries.' }),
  webhook_timeout_ms: z.number().int().min(1).max(600_000).meta({ description: 'Real ms a receiver has to answer a webhook delivery (Kapso: 10000).' }),
  webhook_history: z.number().int().min(0).max(1_000_000).meta({ description: 'Finished webhook deliveries kept (oldest dropped first); pending ones are never dropped.' }),
  webhook_hosts: z.array(z.string().regex(/^[\w.:[\]-]+$/, 'must be a host name or IP address')).max(100)
    .meta({ description: 'Hosts webhook deliveries may go to; [] for any.' }),
  webhook_delay_ms: z.number().int().min(0).max(86_400_000).meta({ description: 'Fault: mock-clock ms every new webhook delivery waits before its first attempt (0: none).' }),
  webhook_duplicate_rate: z.number().min(0).max(1).meta({ description: 'Fault: the chance that a delivered webhook is sent a second time, with the same body and X-Idempotency-Key (1: every one).' }),
};

export const SettingsBody = z.object(fields).partial();
export const SettingsResponse = z.object({ data: z.object(fields) });
