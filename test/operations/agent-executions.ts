import type { FamilyTable } from '../helpers/operations.js';

export const agentExecutionOperations: FamilyTable = {
  kinds: {
    // Executions name their agent (fixtures: agent_executions[].agent_id); associations their conversation.
    agentExecutions: { table: 'agent_executions', notFound: 'Execution not found', parent: { kind: 'agents', column: 'agent_id' } },
    conversationExecutions: {
      table: 'whatsapp_conversation_agent_executions', notFound: 'Conversation or association not found',
      parent: { kind: 'whatsappConversations', column: 'conversation_id' },
    },
  },
  operations: {
    // A number no fixture uses: the agent's primary config opens a conversation for it, with the message as its first inbound message.
    startAgentExecution: {
      probe: { message: 'Hi! Where is my order ACME-10424?', phone_number: '+1 555 019 0042' },
      touches: ['whatsapp_conversations', 'whatsapp_contacts', 'whatsapp_messages', 'whatsapp_conversation_agent_executions'],
    },
    // {execution_id} names a flow execution elsewhere (flows' table): here it is an agent's.
    getAgentExecution: { params: { execution_id: 'agentExecutions' } },
    // The Demo Project's first seeded execution is paused, so the Demo key may resume it.
    resumeAgentExecution: { params: { execution_id: 'agentExecutions' }, probe: { message: { type: 'user_input', content: { text: 'It is ACME-10988.' } } }, errorSentences: { 400: ['Execution cannot be resumed'] } },
    getWhatsappConversationAgentExecution: { params: { id: 'conversationExecutions' }, notFound: 'Conversation or association not found' },
  },
};
