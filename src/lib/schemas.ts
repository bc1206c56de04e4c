// Zod building blocks shared by every resource's schemas.ts.
import { z } from 'zod';

/** A UUID in a response. Formats are documented here and checked by the tests' OpenAPI helper. */
export const Uuid = z.string().meta({ format: 'uuid' });

/** RFC 3339 UTC timestamp in a response: 2026-11-23T10:15:00.000Z. */
export const Timestamp = z.string().meta({ format: 'date-time' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An ID in a path or a body reference. Any string is accepted: an ID that is not a UUID is
 * simply not found (404), as in Rails, rather than a validation error. A UUID in capitals
 * finds the same record, as a Postgres uuid column does.
 */
export const PathId = z
  .string()
  .transform((s) => (UUID.test(s) ? s.toLowerCase() : s))
  .meta({ format: 'uuid' });

/** A required text field in a request body: present, a string, and not blank. */
export const RequiredText = z.string().refine((s) => s.trim() !== '', { message: "can't be blank" });

/** An optional http(s) URL in a request body. */
export const WebUrl = z.string().refine(
  (s) => {
    try {
      const url = new URL(s);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'is not a valid http(s) URL' },
);

/** Kapso's error envelope. */
export const ErrorBody = z
  .object({
    error: z.string(),
    message: z.string().optional(),
  })
  .meta({ id: 'Error' });

/** 204 No Content. */
export const NoContent = z.null().meta({ description: 'No content' });

// Query values never fail validation: a bad page falls back to its default and a bad
// filter is ignored, as Kaminari and Ransack do.

/** A positive integer written in plain digits, however large; anything else falls back. */
const queryInt = (fallback: number, description: string) =>
  z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) && Number(v) >= 1 ? Number(v) : fallback))
    .meta({ type: 'integer', minimum: 1, default: fallback, description });

/** A filter value, stripped of surrounding whitespace; blank or repeated values are ignored (Ransack's defaults). */
export const queryText = (description: string) =>
  z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined))
    .meta({ type: 'string', description });

export const PageQuery = z.object({
  page: queryInt(1, 'Page number, from 1; anything else falls back to 1.'),
  per_page: queryInt(20, 'Records per page; values above 100 are clamped to 100.'),
});

export const PaginationMeta = z
  .object({
    page: z.number().int(),
    per_page: z.number().int(),
    total_pages: z.number().int(),
    total_count: z.number().int(),
  })
  .meta({ id: 'PaginationMeta' });

export const data = <T extends z.ZodType>(item: T) => z.object({ data: item });
export const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
export const paged = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), meta: PaginationMeta });

/** A free-form JSON object (metadata), stored as JSON text. */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;
