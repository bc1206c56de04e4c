import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, paged, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

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

export const CustomerCreateBody = wrapped('customer', z.object({
  name: RequiredText,
  external_customer_id: RequiredText,
}));
export type CustomerInput = z.infer<typeof CustomerCreateBody>['customer'];

export const CustomerUpdateBody = wrapped('customer', z.object({
  name: RequiredText.optional(),
  external_customer_id: RequiredText.optional(),
}));
export type CustomerPatch = z.infer<typeof CustomerUpdateBody>['customer'];

export const CustomerResponse = data(Customer);
export const CustomerListResponse = paged(Customer);
