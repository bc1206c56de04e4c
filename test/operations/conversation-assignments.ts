import type { FamilyTable } from '../helpers/operations.js';
import { seed } from '../helpers/seed.js';

const tom = seed.find('projectUsers', 'Tom Okafor').id;

export const conversationAssignmentOperations: FamilyTable = {
  kinds: {
    conversationAssignments: {
      table: 'conversation_assignments', notFound: 'Conversation assignment not found', parent: { kind: 'whatsappConversations', column: 'conversation_id' },
    },
    // Users have no route of their own (the spec has none): assignments name them in their bodies.
    projectUsers: { table: 'project_users', notFound: 'User not found' },
  },
  params: { whatsapp_conversation_id: 'whatsappConversations', user_id: 'projectUsers' },
  operations: {
    // The Demo Project's first conversation has no active assignment (only a closed one), so the Demo key may assign it.
    createConversationAssignment: { probe: { conversation_assignment: { user_id: tom, notes: 'Written by the tenancy probe.' } }, noReadBack: true },
    // No GET of one assignment in the spec: nothing to read an update back from.
    updateConversationAssignment: { params: { id: 'conversationAssignments' }, probe: { conversation_assignment: { notes: 'Hijacked' } }, noReadBack: true },
  },
};
