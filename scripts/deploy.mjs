// `npm run deploy`: refuse a configuration that must not reach production, then build the web
// app, apply the D1 migrations to the remote database and deploy the worker — in that order,
// stopping at the first step that fails, so the code never runs against an older schema.
// `npm run deploy -- --dry-run` makes the same checks and the same build, skips the
// migrations and bundles with `wrangler deploy --dry-run` into a temporary folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const ROOT = path.resolve(import.meta.dirname, '..');
export const WRANGLER_CONFIG = path.join(ROOT, 'wrangler.toml');

const USAGE = `Usage: npm run deploy [-- --dry-run] [--config FILE]

  (no option)    Build the web app, apply D1 migrations to the remote database (DB), deploy.
  --dry-run      Build and bundle only (wrangler deploy --dry-run into a temporary folder);
                 no migrations, nothing leaves this machine.
  --config FILE  Another wrangler configuration than wrangler.toml (passed on to wrangler).`;

/** wrangler.toml as wrangler itself reads it (the same parser `wrangler deploy` uses). */
export async function readWranglerConfig(configPath = WRANGLER_CONFIG) {
  const { unstable_readConfig } = await import('wrangler');
  return unstable_readConfig({ config: configPath });
}

const isPlaceholderId = (id) => typeof id !== 'string' || /^[0-]*$/.test(id);

// Address space that never reaches Cloudflare as a client's CF-Connecting-IP.
const NOT_ON_THE_INTERNET =
  '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,fc00::/7,fe80::/10,::1/128';

/** The first (`last` false) or last address of a parsed CIDR range, as text. */
function rangeEnd(range, last) {
  const bytes = Uint8Array.from(range.bytes, (byte, i) => {
    const mask = (0xff << (8 - Math.max(0, Math.min(8, range.prefix - i * 8)))) & 0xff;
    return (byte & mask) | (last ? ~mask & 0xff : 0);
  });
  if (range.version === 4) return bytes.join('.');
  return Array.from({ length: 8 }, (_, i) =>
    (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16),
  ).join(':');
}

// Stand-ins for the secrets, which live at Cloudflare (`wrangler secret put`): well-formed,
// so that only the vars in wrangler.toml decide whether the worker's config() accepts it.
const SECRET_STAND_INS = {
  SESSION_SECRET: 's'.repeat(32),
  PASSWORD_PEPPER: 'p'.repeat(32),
  DATA_KEY: Buffer.alloc(32).toString('base64'),
  INDEX_KEY: 'i'.repeat(32),
};

/**
 * What would make this deployment wrong, as sentences for a person; empty when it may go.
 * The vars are checked by the worker's own `config()` (worker/config.ts), so a rule lives in
 * one place: what the worker would refuse at its first request, the deploy refuses now.
 */
export async function deployProblems(wrangler) {
  const problems = [];
  for (const db of wrangler.d1_databases ?? []) {
    if (isPlaceholderId(db.database_id)) {
      problems.push(
        `D1 "${db.binding}": database_id is still the placeholder; run \`npx wrangler d1 create ${db.database_name}\` and put its id into wrangler.toml`,
      );
    }
  }
  for (const kv of wrangler.kv_namespaces ?? []) {
    if (isPlaceholderId(kv.id)) {
      problems.push(
        `KV "${kv.binding}": id is still the placeholder; run \`npx wrangler kv namespace create ${kv.binding}\` and put its id into wrangler.toml`,
      );
    }
  }
  const { config } = await tsImport('../worker/config.ts', import.meta.url);
  const { isInternal, parseNetworks } = await tsImport(
    '../worker/domain/networks.ts',
    import.meta.url,
  );
  const vars = wrangler.vars ?? {};
  let parsed;
  try {
    parsed = config({ ...vars, ...SECRET_STAND_INS });
  } catch (error) {
    problems.push(`wrangler.toml [vars]: ${error.message}`);
  }
  if (parsed) {
    // config() allows the outbox in development; a deployment is never development.
    if (parsed.isDevelopment) {
      problems.push(
        'wrangler.toml [vars]: ENVIRONMENT is "development", which would publish /api/dev/* and the outbox of SMS codes and mail',
      );
    }
    for (const [name, provider] of [
      ['SMS_PROVIDER', parsed.sms.provider],
      ['MAIL_PROVIDER', parsed.mail.provider],
    ]) {
      if (provider === 'outbox') {
        problems.push(
          `wrangler.toml [vars]: ${name} is "outbox"; production needs a real provider`,
        );
      }
    }
    if (parsed.networks.kind === 'invalid') {
      problems.push(
        `wrangler.toml [vars]: INTERNAL_NETWORKS has "${parsed.networks.entry}", not a CIDR; the worker would refuse everyone`,
      );
    } else {
      const privateSpace = parseNetworks(NOT_ON_THE_INTERNET);
      const ranges = parsed.networks.ranges;
      const isPrivate = (range) =>
        isInternal(rangeEnd(range, false), privateSpace) &&
        isInternal(rangeEnd(range, true), privateSpace);
      if (ranges.length > 0 && ranges.every(isPrivate)) {
        problems.push(
          "wrangler.toml [vars]: INTERNAL_NETWORKS has only private ranges, but at Cloudflare CF-Connecting-IP is the public address a client comes from, so nobody would count as internal; list the municipal network's public (egress) ranges",
        );
      }
    }
  }
  for (const name of ['PUBLIC_ORIGIN', 'MAIL_FROM', 'MAILGUN_DOMAIN', 'SUPPORT_CHANNELS']) {
    // SUPPORT_CHANNELS may also be a JSON value in wrangler.toml rather than a string.
    const value = typeof vars[name] === 'string' ? vars[name] : JSON.stringify(vars[name] ?? '');
    if (/\bexample\.(?:se|com|org|net)\b/i.test(value)) {
      problems.push(`wrangler.toml [vars]: ${name} is still the example value "${value}"`);
    }
  }
  return problems;
}

function run(command, args) {
  console.log(`\n> ${[command, ...args].join(' ')}`);
  execFileSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
}

async function main(argv) {
  let dryRun;
  let configPath;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    dryRun = values['dry-run'];
    configPath = values.config ? path.resolve(values.config) : WRANGLER_CONFIG;
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }

  const problems = await deployProblems(await readWranglerConfig(configPath));
  if (problems.length > 0) {
    console.error(
      `Refusing to deploy${dryRun ? ' (dry run)' : ''}: fix wrangler.toml first (docs/deploying.md).\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    return 1;
  }

  const wrangler = path.join(ROOT, 'node_modules', '.bin', 'wrangler');
  const config = ['--config', configPath];
  try {
    run('npm', ['run', 'build']);
    if (dryRun) {
      const outdir = mkdtempSync(path.join(os.tmpdir(), 'nyckel-deploy-'));
      run(wrangler, ['deploy', '--dry-run', '--outdir', outdir, ...config]);
      console.log(
        `\nDry run: the bundle is in ${outdir}; no migrations applied, nothing deployed.`,
      );
    } else {
      run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--remote', ...config]);
      run(wrangler, ['deploy', ...config]);
      console.log(
        '\nDeployed. Check GET /api/health, and GET /api/network from inside and outside the municipal network.',
      );
    }
  } catch (error) {
    // execFileSync has already shown the step's own output; stop here.
    console.error(`\nStopped: ${error.message.split('\n')[0]}; later steps did not run.`);
    return typeof error.status === 'number' && error.status > 0 ? error.status : 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
