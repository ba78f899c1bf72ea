import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { afterEach, beforeEach } from 'vitest';
import { backgroundSettled } from '../worker/services/deps';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    }
  }
}

// Storage is shared between tests in this pool version (vitest-pool-workers 0.23): start every test
// from an empty, migrated database and an empty KV.
beforeEach(async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

afterEach(async () => {
  // An SMS sent with waitUntil may still be writing; let it finish before the wipe.
  await backgroundSettled();
  await reset();
});
