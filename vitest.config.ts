import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/** Development defaults for tests only; production secrets come from `wrangler secret`. */
export const testBindings = {
  ENVIRONMENT: 'development',
  PUBLIC_ORIGIN: 'https://nyckel.test',
  SMS_PROVIDER: 'outbox',
  INTERNAL_NETWORKS: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8,2001:db8:aaaa::/48',
  SESSION_SECRET: 'test-only-session-secret-0123456789abcdef',
  PASSWORD_PEPPER: 'test-only-pepper-0123456789abcdef0123456789',
  ELKS_USERNAME: 'test-elks-user',
  ELKS_PASSWORD: 'test-elks-password',
  MAIL_PROVIDER: 'outbox',
  DATA_KEY: 'dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbiE=',
  MAILGUN_API_KEY: 'test-mailgun-key',
  INDEX_KEY: 'test-only-index-key-0123456789abcdef0123456789',
  WEBHOOK_SECRET: 'test-only-webhook-secret-0123456789abcdef',
  // Turnstile off, whatever a local .dev.vars says; its tests switch it on with their own env.
  TURNSTILE_SITE_KEY: '',
  TURNSTILE_SECRET: '',
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'worker/db/migrations'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: { ...testBindings, TEST_MIGRATIONS: migrations },
        },
      }),
    ],
    test: {
      include: [
        'test/unit/**/*.test.ts',
        'test/integration/**/*.test.ts',
        'test/security/**/*.test.ts',
      ],
      setupFiles: ['./test/setup.ts'],
      reporters: ['default', './test/summary-reporter.ts'],
    },
  };
});
