import { z } from 'zod';
import { GRAPH_ID_PREFIX } from '../../lib/ids.js';
import { fixtureGraphId } from '../media/schemas.js';
import type { FlowValidationError } from './flow-json.js';

export const FLOW_STATUSES = ['DRAFT', 'PUBLISHED', 'DEPRECATED', 'BLOCKED', 'THROTTLED'] as const;
export type FlowStatus = (typeof FLOW_STATUSES)[number];

export const FLOW_CATEGORIES = [
  'SIGN_UP', 'SIGN_IN', 'APPOINTMENT_BOOKING', 'LEAD_GENERATION', 'CONTACT_US', 'CUSTOMER_SUPPORT', 'SURVEY', 'OTHER',
] as const;

/** A WhatsApp Flow as stored (not /api/v1's agent Flows). */
export interface FlowRecord {
  id: string;
  flow_id: string;
  business_account_id: string;
  name: string;
  status: FlowStatus;
  categories: string[];
  endpoint_uri: string | null;
  application_id: string | null;
  flow_json: string | null;
  validation_errors: FlowValidationError[];
  preview_token: string;
  created_at: string;
  updated_at: string;
}

/** `projects[].whatsapp_flows[]`: a WhatsApp Flow of a business account, its Flow JSON as text. */
export const FlowFixture = z.object({
  flow_id: fixtureGraphId(GRAPH_ID_PREFIX.flow),
  business_account_id: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(FLOW_STATUSES).default('DRAFT'),
  categories: z.array(z.enum(FLOW_CATEGORIES)).min(1),
  endpoint_uri: z.url().optional(),
  application_id: z.string().min(1).optional(),
  flow_json: z.string().optional(),
});
