// Runs before every test file (vitest's setupFiles): the per-test and per-file cleanups of the app
// helpers, registered for each file even when files share their modules (isolate: false).
import { afterAll, afterEach } from 'vitest';
import { closeOpenApps, closePooledApps } from './helpers/app.js';

afterEach(closeOpenApps);
afterAll(closePooledApps);
