import type { FamilyTable } from '../helpers/operations.js';

export const whatsappTemplateOperations: FamilyTable = {
  kinds: { whatsappTemplates: { table: 'whatsapp_templates', notFound: 'Template not found' } },
  params: { template_id: 'whatsappTemplates' },
  operations: {
    // The Demo Project's first template is order_confirmation: two positional parameters.
    sendWhatsappTemplate: { probe: { template: { phone_number: '+1 555 019 0002', template_parameters: ['Ada', 'ACME-10001'] } } },
  },
};
