import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, unprocessable } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { displayPhone } from '../../lib/phone.js';
import { routes } from '../../lib/route.js';
import { queryText } from '../../lib/schemas.js';
import { answerRefusals } from '../whatsapp-messages/refusals.js';
import { TemplateList } from './repository.js';
import {
  SendTemplateBody, SendTemplateError, SendTemplateFailure, SendTemplateResponse, TemplateListResponse, TemplateParams, TemplateResponse,
} from './schemas.js';

/** The list's plain (non-Ransack) filters, as the spec and its later revision document them. */
const TemplateListQuery = TemplateList.query.extend({
  customer_id: queryText('Templates of this customer (the same as q[customer_id_eq]).').meta({ format: 'uuid' }),
  business_account_id: queryText('Templates of this WhatsApp Business Account (the same as q[business_account_id_eq]).'),
  whatsapp_config_id: queryText('Templates this WhatsApp config can send (those of its business account).').meta({ format: 'uuid' }),
  'q[whatsapp_config_id_eq]': queryText('The same as whatsapp_config_id.').meta({ format: 'uuid' }),
});

export const whatsappTemplateRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappTemplates: templates, whatsappConfigs: configs, customers, whatsappMessages: messages } = app.repos;
  const r = routes(app, ['WhatsApp Templates']);

  r.get('/whatsapp_templates', {
    operationId: 'listWhatsappTemplates', summary: 'List WhatsApp templates',
    query: TemplateListQuery, response: TemplateListResponse,
  }, async (request, reply) => paginate(request, reply, templates.list(request.projectId, request.query)));

  r.get('/whatsapp_templates/:template_id', {
    operationId: 'getWhatsappTemplate', summary: 'Get WhatsApp template details',
    params: TemplateParams, response: TemplateResponse,
  }, async (request) => {
    const template = templates.get(request.projectId, request.params.template_id);
    if (!template) throw notFound('Template');
    return { data: template };
  });

  r.post('/whatsapp_templates/:template_id/send_template', {
    operationId: 'sendWhatsappTemplate', summary: 'Send a WhatsApp template message',
    description: 'The template must be approved and get exactly its parameters. It goes from whatsapp_config_id (which must be on the '
      + 'template\'s business account), else from the customer\'s first config on that account, else from the project\'s first; '
      + 'into the number\'s active conversation on that config, or a new one. Templates are not bound by the 24-hour window.',
    params: TemplateParams, body: SendTemplateBody, response: SendTemplateResponse, status: 200,
    errorBodies: {
      // The spec documents this operation's 422 and 500 bodies: the reason alone, and a status/message pair.
      422: { schema: SendTemplateError, from: (error) => ({ error: error.details.join(', ') }) },
      500: { schema: SendTemplateFailure, from: (error) => ({ status: 'error', message: `Failed to send template message: ${error.message}` }) },
    },
  }, async (request) => {
    const { projectId } = request;
    const input = request.body.template;
    const template = templates.record(projectId, request.params.template_id);
    if (!template) throw notFound('Template');
    let configId: string | undefined;
    if (input.whatsapp_config_id !== undefined) {
      const config = configs.get(projectId, input.whatsapp_config_id);
      if (!config) throw unprocessable('WhatsApp configuration not found');
      if (config.business_account_id !== template.business_account_id) throw unprocessable('Template is not available on this WhatsApp configuration');
      configId = config.id;
    } else if (input.customer_id !== undefined) {
      if (!customers.get(projectId, input.customer_id)) throw unprocessable('Customer must exist');
      configId = templates.firstSender(projectId, template, input.customer_id);
      if (!configId) throw unprocessable('No WhatsApp configuration of this customer can send this template');
    } else {
      configId = templates.firstSender(projectId, template);
      if (!configId) throw unprocessable('No WhatsApp configuration of the project can send this template');
    }
    const sent = answerRefusals(
      () => messages.send(projectId, { whatsappConfigId: configId, phone: input.phone_number }, {
        fields: {
          message_type: 'template', template_params: input.template_parameters,
          header_type: input.header_type, header_params: input.header_params, header_filename: input.header_filename,
        },
        template,
      }, { enforceWindow: false, checkBlocked: false }),
      (refusal) => unprocessable(refusal.message),
    );
    return {
      status: 'success',
      message: 'Template message sent successfully',
      template_id: template.id,
      template_name: template.name,
      response: {
        messaging_product: 'whatsapp',
        contacts: [{ input: displayPhone(input.phone_number), wa_id: input.phone_number }],
        messages: [{ id: sent.message.whatsapp_message_id, message_status: 'accepted' }],
      },
    };
  });
};
