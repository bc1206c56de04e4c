// Media: files uploaded to a phone number through the Meta proxy (bytes kept in the database).
// No /api/v1 routes: the proxy's routes (surfaces/meta-proxy) use app.repos.media.
import { defineResource } from '../../lib/resource.js';
import { mediaFixtures } from './fixtures.js';
import { createMediaRepository, type MediaRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    media: MediaRepository;
  }
}

export const media = defineResource({ name: 'media', repository: createMediaRepository, fixtures: mediaFixtures });
