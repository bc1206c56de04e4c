// Zod building blocks shared by the /__admin routes.
import { z } from 'zod';

/** Every admin operation carries this tag: the admin API is its own section of the document. */
export const ADMIN_TAG = 'Admin';

export const adminTags = [ADMIN_TAG];

/** An RFC 3339 timestamp given to the admin API (impossible dates like February 30 included). */
export const TimeInput = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp' });

/** A request filter for the journal, as query parameters or a JSON body. */
export const JournalFilterFields = {
  method: z.string().optional().meta({ description: 'HTTP method, e.g. POST.' }),
  path: z.string().optional().meta({ description: 'Exact path, or a prefix ending in * (/api/v1/customers*).' }),
  status: z.coerce.number().int().optional().meta({ description: 'Response status (0: connection dropped by a fault).' }),
  project_id: z.string().optional().meta({ description: 'Project the request was authenticated as.' }),
  since: TimeInput.optional().meta({ description: 'Recorded at or after this time.' }),
  until: TimeInput.optional().meta({ description: 'Recorded at or before this time.' }),
};
