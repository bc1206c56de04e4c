import { z } from 'zod';

const fields = {
  rate_limit: z.number().int().min(0).meta({ description: 'Requests per minute per API key; 0: no limit.' }),
  auto_provision: z.boolean().meta({ description: 'An unknown API key gets its own empty project on first use.' }),
  journal_size: z.number().int().min(0).max(1_000_000).meta({ description: 'Entries the request journal keeps.' }),
};

export const SettingsBody = z.object(fields).partial();
export const SettingsResponse = z.object({ data: z.object(fields) });
