import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, paged, PathId, Timestamp, Uuid } from '../../lib/schemas.js';

export const ConversationAssignment = z
  .object({
    id: Uuid,
    user_id: Uuid.meta({ description: 'The project user the conversation is assigned to.' }),
    active: z.boolean().meta({ description: 'A conversation has at most one active assignment.' }),
    notes: z.string().nullable(),
    created_at: Timestamp,
    created_by_user_id: Uuid.nullable().meta({ description: 'The user who made the assignment; null when it was made through the API.' }),
  })
  .meta({ id: 'ConversationAssignment' });
export type ConversationAssignment = z.infer<typeof ConversationAssignment>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
const ConversationId = PathId.meta({ description: 'ID of the WhatsApp conversation', example: 'ca100000-0000-4000-8000-000000000001' });
export const AssignmentsParams = z.object({ whatsapp_conversation_id: ConversationId });
export const AssignmentParams = z.object({
  whatsapp_conversation_id: ConversationId,
  id: PathId.meta({ description: 'ID of the conversation assignment', example: 'a5100000-0000-4000-8000-000000000001' }),
});

/** Notes are free text, at most this long. */
export const MAX_NOTES = 2000;
const Notes = z.string().max(MAX_NOTES);

export const AssignmentCreateBody = wrapped('conversation_assignment', z.object({
  // Any string: an ID that is not a project user's is 404 "User not found", as the spec documents.
  user_id: PathId.meta({ description: 'ID of the user to assign the conversation to' }),
  notes: Notes.optional().meta({ description: `Optional notes for the assignment (at most ${MAX_NOTES} characters)` }),
}));
export type AssignmentInput = z.output<typeof AssignmentCreateBody>['conversation_assignment'];

export const AssignmentUpdateBody = wrapped('conversation_assignment', z.object({
  user_id: PathId.optional().meta({ description: 'ID of the new user to assign the conversation to' }),
  notes: Notes.optional().meta({ description: 'Updated notes for the assignment' }),
  active: z.boolean().optional().meta({ description: 'Set to false to deactivate the assignment' }),
}));
export type AssignmentPatch = z.output<typeof AssignmentUpdateBody>['conversation_assignment'];

export const AssignmentResponse = data(ConversationAssignment);
export const AssignmentListResponse = paged(ConversationAssignment);
