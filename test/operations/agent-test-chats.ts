import type { FamilyTable } from '../helpers/operations.js';

export const agentTestChatOperations: FamilyTable = {
  kinds: { agentTestChats: { table: 'agent_test_chats', notFound: 'Test chat not found' } },
  params: { agent_test_chat_id: 'agentTestChats' },
  operations: {
    createAgentTestChat: { probe: { message: 'Where is my order ACME-10423?' }, readBack: '/api/v1/test_chats/{id}' },
    createAgentSnapshotTestChat: { probe: { message: 'Do you offer free returns?' }, readBack: '/api/v1/test_chats/{id}' },
    getAgentTestChat: { params: { id: 'agentTestChats' } },
    resumeAgentTestChat: {
      params: { id: 'agentTestChats' },
      probe: { message: { type: 'payload', content: { message_from_manager: 'Please send a reminder message to the user' } } },
      readBack: '/api/v1/test_chats/{id}',
    },
  },
};
