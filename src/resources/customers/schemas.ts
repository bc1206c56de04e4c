import { z } from 'zod';
import { data, paged, PageQuery, PathId, queryText, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

export const Customer = z
  .object({
    id: Uuid,
    name: z.string(),
    external_customer_id: z.string(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
export const CustomerParams = z.object({ customer_id: PathId.meta({ example: 'c1000000-0000-4000-8000-000000000001' }) });

export const CustomerListQuery = PageQuery.extend({
  'q[name_cont]': queryText('Name contains this text (case-insensitive).'),
  'q[external_customer_id_eq]': queryText('External customer ID equals this value.'),
  'q[created_at_gteq]': queryText('Created at or after this time (RFC 3339 or YYYY-MM-DD).').meta({ format: 'date-time' }),
  'q[created_at_lteq]': queryText('Created at or before this time (RFC 3339 or YYYY-MM-DD).').meta({ format: 'date-time' }),
});

export const CustomerCreateBody = z.object({
  customer: z.object({
    name: RequiredText,
    external_customer_id: RequiredText,
  }),
});
export type CustomerInput = z.infer<typeof CustomerCreateBody>['customer'];

export const CustomerUpdateBody = z.object({
  customer: z.object({
    name: RequiredText.optional(),
    external_customer_id: RequiredText.optional(),
  }),
});
export type CustomerPatch = z.infer<typeof CustomerUpdateBody>['customer'];

export const CustomerResponse = data(Customer);
export const CustomerListResponse = paged(Customer);
