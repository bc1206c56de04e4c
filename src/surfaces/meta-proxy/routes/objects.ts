// The one-segment Graph routes: GET, POST and DELETE /{id} answer by the kind of object the ID
// names (lib/ids.ts: media IDs start 71, Flow IDs 72; anything else is looked up as a phone
// number). One route per shape, as Graph has it; Kapso's spec lists them per kind:
//   GET /{id}     getPhoneNumber, getMediaUrl, getFlow
//   POST /{id}    updatePhoneNumber (two-step PIN), updateFlowMetadata
//   DELETE /{id}  deleteMedia
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphInvalidParameter, unknownGraphObject } from '../../../errors.js';
import { graphKindOf } from '../../../lib/ids.js';
import { notCached } from '../../../plugins/response-cache.js';
import { Pin } from '../../../resources/phone-numbers/schemas.js';
import { graphRoutes, lookups } from '../context.js';
import type { LinkSigner } from '../links.js';
import { FieldsQuery, GraphObject, ObjectParams, Success } from '../schemas.js';
import { FlowMetadata, FlowQuery, flowHelpers } from './flows.js';
import { mediaView } from './media.js';
import { selectPhoneNumber } from './phone-numbers.js';

export const objectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { media, phoneNumbers, whatsappFlows } = app.repos;
  const find = lookups(app);
  const flows = flowHelpers(app);
  const links = app.getDecorator<LinkSigner>('links');
  const r = graphRoutes(app, ['Phone Numbers', 'Media', 'Flows']);

  /** The media item an ID names, owned by the phone number given (Kapso's proxy needs it to find media). */
  const ownedMedia = (request: Parameters<typeof find.phone>[0], mediaId: string, phoneNumberId: string) => {
    const config = find.phone(request, phoneNumberId);
    const item = media.get(request.projectId, mediaId);
    if (!item || item.whatsapp_config_id !== config.id) throw unknownGraphObject(request.method, mediaId);
    return item;
  };

  r.get('/:id', {
    operationId: 'getGraphObject', summary: 'Get a phone number, a media item or a WhatsApp Flow',
    description: 'Kapso\'s getPhoneNumber, getMediaUrl and getFlow: one route, answered by the kind of object the ID names. '
      + 'A media ID needs phone_number_id (the number it was uploaded to); a Flow takes phone_number_id or business_account_id '
      + 'optionally; `fields` selects a phone number\'s or a Flow\'s fields.',
    params: ObjectParams,
    query: z.object({ ...FlowQuery, fields: FieldsQuery }),
    response: GraphObject,
  }, async (request) => {
    const { id } = request.params;
    const q = request.query;
    switch (graphKindOf(id)) {
      // A media link is signed for minutes from now, a Flow's preview expires: a phone number is
      // the only answer the response cache keeps.
      case 'media': {
        notCached(request);
        if (q.phone_number_id === undefined) throw graphInvalidParameter('The parameter phone_number_id is required to get a media item');
        return mediaView(request, links, app.clock.now(), ownedMedia(request, id, q.phone_number_id));
      }
      case 'flow':
        notCached(request);
        return flows.view(request, flows.flow(request, id, q), q.fields);
      default: {
        const config = find.phone(request, id);
        return selectPhoneNumber(config, phoneNumbers.get(request.projectId, config), q.fields);
      }
    }
  });

  r.post('/:id', {
    operationId: 'updateGraphObject', summary: 'Update a phone number (two-step PIN) or a Flow\'s metadata',
    description: 'Kapso\'s updatePhoneNumber and updateFlowMetadata: one route, by the kind of object the ID names. A phone number '
      + 'takes `pin`; a DRAFT Flow takes name, categories, endpoint_uri, application_id (at least one).',
    params: ObjectParams,
    query: z.object(FlowQuery),
    body: z.object({ pin: Pin.optional().meta({ description: 'Phone number: the six-digit two-step verification PIN.' }), ...FlowMetadata }),
    response: Success,
  }, async (request) => {
    const { id } = request.params;
    const { pin, ...metadata } = request.body;
    switch (graphKindOf(id)) {
      case 'media':
        throw unknownGraphObject(request.method, id);
      case 'flow': {
        const flow = flows.flow(request, id, request.query);
        if (Object.values(metadata).every((v) => v === undefined)) throw graphInvalidParameter('Give at least one of name, categories, endpoint_uri, application_id');
        whatsappFlows.updateMetadata(request.projectId, flow.flow_id, metadata);
        return { success: true };
      }
      default: {
        const config = find.phone(request, id);
        if (pin === undefined) throw graphInvalidParameter('The parameter pin is required');
        phoneNumbers.setPin(request.projectId, config, pin);
        return { success: true };
      }
    }
  });

  r.route('DELETE', '/:id', {
    operationId: 'deleteMedia', summary: 'Delete media',
    description: 'Only media can be deleted through /{id}. With phone_number_id, the media must be that number\'s.',
    params: ObjectParams,
    query: z.object({ phone_number_id: z.string().optional().meta({ description: 'Optional: the media must belong to this number.' }) }),
    response: Success,
  }, async (request) => {
    const { id } = request.params;
    const item = graphKindOf(id) === 'media' ? media.get(request.projectId, id) : undefined;
    if (!item) throw unknownGraphObject(request.method, id);
    if (request.query.phone_number_id !== undefined) ownedMedia(request, id, request.query.phone_number_id);
    media.delete(request.projectId, id);
    return { success: true };
  });
};
