// Message templates on a business account (WABA), in Meta's shape: list (cursor), get, create or
// edit (hsm_id), delete by name or hsm_id. The same rows as /api/v1's whatsapp_templates: a
// template made here can be sent through either door once approved. A created or edited template
// waits in review (PENDING) until the control plane decides (POST /__admin/templates/{id}/review),
// or is approved at once with the auto_approve_templates setting.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphError, graphInvalidParameter, unknownGraphObject } from '../../../errors.js';
import { META_STATUS, type TemplateRecord } from '../../../resources/whatsapp-templates/repository.js';
import { placeholders } from '../../../resources/whatsapp-templates/rules.js';
import { CATEGORIES, MetaComponent } from '../../../resources/whatsapp-templates/schemas.js';
import { graphRoutes, lookups } from '../context.js';
import { pick, requestedFields } from '../fields.js';
import { BusinessAccountParams, CursorQuery, FieldsQuery, Paging, pagingOf } from '../schemas.js';

export const GraphTemplate = z
  .object({
    id: z.string().meta({ description: 'Meta\'s template ID (the hsm_id).' }),
    name: z.string().optional(),
    language: z.string().optional(),
    status: z.enum(['APPROVED', 'PENDING', 'REJECTED']).optional().meta({ description: 'PENDING while in review; a disabled template reads REJECTED.' }),
    category: z.enum(CATEGORIES).optional(),
    previous_category: z.string().optional(),
    parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
    components: z.array(MetaComponent).optional(),
    rejected_reason: z.string().optional().meta({ description: 'Why review rejected it (rejected templates only).' }),
  })
  .meta({ id: 'GraphMessageTemplate' });

const FIELDS = ['id', 'name', 'language', 'status', 'category', 'previous_category', 'parameter_format', 'components', 'rejected_reason'] as const;
const DEFAULTS = FIELDS.filter((f) => f !== 'previous_category');

const STATUS_FILTER: Record<string, string> = { APPROVED: 'approved', PENDING: 'draft,submitted', REJECTED: 'rejected,disabled' };

function templateView(t: TemplateRecord): z.input<typeof GraphTemplate> {
  const reason = t.metadata.rejected_reason;
  return {
    id: t.meta_template_id,
    name: t.name,
    language: t.language_code,
    status: META_STATUS[t.status],
    category: t.category,
    parameter_format: t.parameter_format,
    components: t.components,
    ...(META_STATUS[t.status] === 'REJECTED' && { rejected_reason: typeof reason === 'string' ? reason : t.status === 'disabled' ? 'DISABLED' : 'NONE' }),
  };
}

/** A component as Meta's create takes it (type in any case). */
const ComponentInput = z.looseObject({
  type: z.string().meta({ description: 'HEADER, BODY, FOOTER or BUTTONS.' }),
  format: z.string().optional(),
  text: z.string().max(1024).optional(),
  example: z.record(z.string(), z.unknown()).optional(),
  buttons: z.array(z.looseObject({ type: z.string(), text: z.string().max(25), url: z.string().optional(), phone_number: z.string().optional(), example: z.array(z.string()).optional() })).max(10).optional(),
});

/** Meta's components from a create or edit, checked the way review would refuse them at once. */
function components(input: z.infer<typeof ComponentInput>[], format: 'POSITIONAL' | 'NAMED'): MetaComponent[] {
  const out = input.map((c, n) => {
    const parsed = MetaComponent.safeParse({ ...c, type: c.type.toUpperCase(), ...(c.format !== undefined && { format: c.format.toUpperCase() }),
      ...(c.buttons && { buttons: c.buttons.map((b) => ({ ...b, type: b.type.toUpperCase() })) }) });
    if (!parsed.success) throw graphInvalidParameter(`components[${n}] is not a HEADER, BODY, FOOTER or BUTTONS component of Meta's shape`);
    return parsed.data;
  });
  const body = out.find((c) => c.type === 'BODY');
  if (!body?.text?.trim()) throw graphInvalidParameter('components needs a BODY with text');
  const names = placeholders(body.text);
  if (format === 'POSITIONAL' && names.some((name, i) => name !== String(i + 1))) {
    throw graphInvalidParameter('BODY placeholders must be {{1}}, {{2}}, ... in order for POSITIONAL parameter_format');
  }
  if (format === 'NAMED' && names.some((name) => /^\d+$/.test(name))) throw graphInvalidParameter('BODY placeholders must be names ({{first_name}}) for NAMED parameter_format');
  return out;
}

export const templateRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappTemplates: templates } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Templates']);

  r.get('/:business_account_id/message_templates', {
    operationId: 'listTemplates', summary: 'List message templates',
    description: 'The business account\'s templates (every status), newest first, by cursor. Filters: name, status (APPROVED, PENDING, REJECTED), '
      + 'category, language.',
    params: BusinessAccountParams,
    query: z.object({
      name: z.string().optional(),
      status: z.enum(['APPROVED', 'PENDING', 'REJECTED']).optional(),
      category: z.enum(CATEGORIES).optional(),
      language: z.string().optional(),
      ...CursorQuery,
      fields: FieldsQuery,
    }),
    response: z.object({ data: z.array(GraphTemplate), paging: Paging }),
    errors: [400, 401, 404],
  }, async (request) => {
    find.businessAccount(request, request.params.business_account_id);
    const q = request.query;
    const fields = requestedFields(q.fields, FIELDS, 'WhatsAppBusinessAccount', DEFAULTS);
    const page = templates.byBusinessAccount(request.projectId, request.params.business_account_id, {
      limit: q.limit, after: q.after, before: q.before,
      'q[name_eq]': q.name, 'q[status_in]': q.status && STATUS_FILTER[q.status], 'q[category_eq]': q.category, 'q[language_code_eq]': q.language,
    });
    return { data: page.rows.map((t) => pick(templateView(t), fields, ['id']) as z.input<typeof GraphTemplate>), paging: pagingOf(page) };
  });

  r.get('/:business_account_id/message_templates/:template_id', {
    operationId: 'getTemplate', summary: 'Get a message template',
    description: 'A template of the business account by Meta\'s template ID.',
    params: BusinessAccountParams.extend({ template_id: z.string().meta({ description: 'Meta\'s template ID (hsm_id).' }) }),
    query: z.object({ fields: FieldsQuery }),
    response: GraphTemplate,
    errors: [400, 401, 404],
  }, async (request) => {
    const { business_account_id, template_id } = request.params;
    find.businessAccount(request, business_account_id);
    const template = templates.byMetaId(request.projectId, business_account_id, template_id);
    if (!template) throw unknownGraphObject(request.method, template_id);
    return pick(templateView(template), requestedFields(request.query.fields, FIELDS, 'WhatsAppMessageTemplate', DEFAULTS), ['id']) as z.input<typeof GraphTemplate>;
  });

  r.post('/:business_account_id/message_templates', {
    operationId: 'createOrUpdateTemplate', summary: 'Create or update a message template',
    description: 'Without hsm_id: a new template (name, language, category, components; parameter_format POSITIONAL by default), in review '
      + '(PENDING) unless the auto_approve_templates setting is on; a name already used in that language is refused (2388024). With hsm_id: '
      + 'new components or category, back to review; answers {"success": true}.',
    params: BusinessAccountParams,
    query: z.object({ hsm_id: z.string().optional().meta({ description: 'Meta\'s ID of the template to edit.' }) }),
    body: z.object({
      name: z.string().max(512).optional().meta({ description: 'Lowercase letters, digits and underscores (create).' }),
      language: z.string().max(20).optional().meta({ description: 'Language code, e.g. en_US (create).' }),
      category: z.enum(CATEGORIES).optional(),
      parameter_format: z.enum(['NAMED', 'POSITIONAL']).optional(),
      allow_category_change: z.boolean().optional(),
      components: z.array(ComponentInput).min(1).max(10).optional(),
    }),
    response: z.object({
      id: z.string().optional().meta({ description: 'Create: the new template\'s ID (hsm_id).' }),
      status: z.enum(['PENDING', 'APPROVED', 'REJECTED']).optional(),
      category: z.string().optional(),
      success: z.boolean().optional().meta({ description: 'Update: true.' }),
    }),
    errors: [400, 401, 404],
  }, async (request) => {
    const waba = request.params.business_account_id;
    find.businessAccount(request, waba);
    const { body } = request;
    const approve = app.settings.autoApproveTemplates;
    const hsmId = request.query.hsm_id;
    if (hsmId !== undefined) {
      const current = templates.byMetaId(request.projectId, waba, hsmId);
      if (!current) throw unknownGraphObject(request.method, hsmId);
      templates.edit(request.projectId, current.id, {
        category: body.category, components: body.components && components(body.components, current.parameter_format),
      }, approve);
      return { success: true };
    }
    for (const field of ['name', 'language', 'category', 'components'] as const) {
      if (body[field] === undefined) throw graphInvalidParameter(`${field} can't be blank`);
    }
    if (!/^[a-z0-9_]+$/.test(body.name!)) throw graphInvalidParameter('name must be lowercase letters, digits and underscores');
    const format = body.parameter_format ?? 'POSITIONAL';
    const created = templates.create(request.projectId, waba, {
      name: body.name!, language: body.language!, category: body.category!, parameter_format: format, components: components(body.components!, format),
    }, approve);
    return { id: created.meta_template_id, status: META_STATUS[created.status], category: created.category };
  });

  r.route('DELETE', '/:business_account_id/message_templates', {
    operationId: 'deleteTemplate', summary: 'Delete a message template',
    description: 'By name (every language, or the one `language` names) or by hsm_id. The template is gone from /api/v1 too.',
    params: BusinessAccountParams,
    query: z.object({
      name: z.string().optional(),
      hsm_id: z.string().optional(),
      language: z.string().optional().meta({ description: 'With name: only this language (the SDK sends it).' }),
    }),
    response: z.object({ success: z.boolean() }),
    errors: [400, 401, 404],
  }, async (request) => {
    const waba = request.params.business_account_id;
    find.businessAccount(request, waba);
    const { name, hsm_id, language } = request.query;
    if (hsm_id !== undefined) {
      const template = templates.byMetaId(request.projectId, waba, hsm_id);
      if (!template || (name !== undefined && template.name !== name)) throw unknownGraphObject(request.method, hsm_id);
      templates.deleteOne(request.projectId, template.id);
      return { success: true };
    }
    if (name === undefined || name.trim() === '') throw graphInvalidParameter('Give name or hsm_id');
    if (templates.deleteNamed(request.projectId, waba, name, language) === 0) {
      throw graphError(404, 100, `(#100) Message template "${name}" not found`, { subcode: 2593002 });
    }
    return { success: true };
  });
};
