// Kapso's Meta proxy (https://api.kapso.ai/meta/whatsapp/v24.0): Meta's WhatsApp Cloud API shape
// over the same data as /api/v1 (docs/meta-proxy.md). Registered at /meta/whatsapp:
//   /meta/whatsapp/{version}/...        every Graph route, for any vNN.N version (the SDK's graphVersion)
//   /meta/whatsapp/media_download       signed media links (no version, no API key)
//   /meta/whatsapp/flow_asset_download  signed flow.json links
// The door's hooks are /api/v1's (journal, auth, rate limit, faults, cache) with the key also
// accepted as `Authorization: Bearer`; every error under /meta/whatsapp is a Graph error (errors.ts).
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { routeNotFound } from '../../errors.js';
import { doorHooks } from '../../plugins/door.js';
import { BODY_LIMIT } from '../../plugins/json-body.js';
import { readForm } from './form.js';
import { createLinkSigner } from './links.js';
import { proxyNotFound } from './not-emulated.js';
import { blockUserRoutes } from './routes/block-users.js';
import { businessProfileRoutes } from './routes/business-profile.js';
import { callRoutes } from './routes/calls.js';
import { flowAssetDownloadRoute, flowRoutes } from './routes/flows.js';
import { mediaDownloadRoute, mediaUploadRoutes } from './routes/media.js';
import { messageRoutes } from './routes/messages.js';
import { contactRoutes, conversationRoutes } from './routes/conversations.js';
import { templateRoutes } from './routes/templates.js';
import { objectRoutes } from './routes/objects.js';
import { phoneNumberRoutes } from './routes/phone-numbers.js';
import { usernameRoutes } from './routes/usernames.js';

/** Graph API versions as the SDK writes them: v24.0. */
const VERSION = /^v\d{1,3}\.\d{1,3}$/;

export const metaProxyPlugin: FastifyPluginAsync = async (proxy) => {
  proxy.decorate('links', createLinkSigner());
  // The document says how each route authenticates: the key in either header, or a signed link.
  proxy.addHook('onRoute', (route) => {
    if (route.schema && !route.schema.hide) {
      route.schema = { ...route.schema, security: route.config?.auth === false ? [] : [{ ApiKeyAuth: [] }, { BearerAuth: [] }] };
    }
  });
  // Uploads only (media, flow.json); the per-route limits are in the routes' config.
  await proxy.register(multipart, { limits: { fileSize: BODY_LIMIT, files: 1, fields: 20, parts: 21 } });

  // A first segment that is not a version is no route of the proxy (before the key is checked).
  proxy.addHook('onRequest', (request, _reply, done) => {
    const version = (request.params as { version?: string } | undefined)?.version;
    if (version !== undefined && !VERSION.test(version)) return done(routeNotFound(request.method, request.url.split('?', 1)[0]!));
    done();
  });
  await doorHooks(proxy, { bearer: true });
  proxy.addHook('preValidation', async (request) => {
    if (request.isMultipart()) request.body = await readForm(request);
  });
  // Unknown routes under /meta/whatsapp, through this scope so the journal records them.
  proxy.setNotFoundHandler(proxyNotFound);

  await proxy.register(mediaDownloadRoute);
  await proxy.register(flowAssetDownloadRoute);
  await proxy.register(async (graph) => {
    await graph.register(objectRoutes);
    await graph.register(phoneNumberRoutes);
    await graph.register(businessProfileRoutes);
    await graph.register(mediaUploadRoutes);
    await graph.register(flowRoutes);
    await graph.register(blockUserRoutes);
    await graph.register(callRoutes);
    await graph.register(usernameRoutes);
    await graph.register(messageRoutes);
    await graph.register(conversationRoutes);
    await graph.register(contactRoutes);
    await graph.register(templateRoutes);
  }, { prefix: '/:version' });
};
