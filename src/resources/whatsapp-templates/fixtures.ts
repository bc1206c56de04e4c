import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import { JsonObject } from '../../lib/schemas.js';
import { metaTemplateIdFor, type WhatsappTemplateRepository } from './repository.js';
import { bodyText, placeholders } from './rules.js';
import { CATEGORIES, MetaComponent, STATUSES } from './schemas.js';

/**
 * `projects[].whatsapp_templates[]`: templates with Meta's components array (as Meta and the proxy
 * show them). `whatsapp_config_id` names the config the template was made for: the template
 * belongs to its business account and its customer. Placeholders that are not numbers make a
 * NAMED template; `meta_template_id` defaults to digits derived from the ID.
 */
export const whatsappTemplateFixtures = fixturePart({
  key: 'whatsapp_templates',
  schema: z.object({
    whatsapp_config_id: FixtureId,
    meta_template_id: z.string().regex(/^\d{1,20}$/, 'must be digits').optional(),
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be lowercase letters, digits and underscores'),
    language_code: z.string().min(2),
    category: z.enum(CATEGORIES),
    status: z.enum(STATUSES),
    components: z.array(MetaComponent).refine((c) => c.some((x) => x.type === 'BODY'), 'must have a BODY'),
    metadata: JsonObject.default({}),
  }),
  insert: (repo: WhatsappTemplateRepository, t, { projectId }) => {
    const owner = repo.ownerOf(projectId, t.whatsapp_config_id);
    if (!owner) throw new Error(`whatsapp_config_id ${t.whatsapp_config_id} is not a WhatsApp config of the project`);
    const named = placeholders(bodyText(t.components)).some((p) => !/^\d+$/.test(p));
    repo.insert(projectId, {
      id: t.id, meta_template_id: t.meta_template_id ?? metaTemplateIdFor(t.id), ...owner,
      name: t.name, language_code: t.language_code, category: t.category, status: t.status, parameter_format: named ? 'NAMED' : 'POSITIONAL',
      components: t.components, metadata: t.metadata, created_at: t.created_at, updated_at: t.updated_at,
    });
  },
});
