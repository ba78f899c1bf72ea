import type { Config } from '../config';
import { auditStatement } from '../db/audit';
import { nowSeconds } from '../db/clock';
import type { Db } from '../db/database';
import { deleteSettingStatement, getSetting, putSettingStatement } from '../db/settings';
import { type NetworkList, parseNetworks } from '../domain/networks';
import { ApiError } from '../http/errors';
import type { Deps } from './deps';

/**
 * The internal-network list (phone registration is refused from it) is editable at run time: an
 * administrator's list in D1 (setting 'internal_networks', the same comma-separated form as the
 * wrangler var) wins over INTERNAL_NETWORKS, which stays the default.
 *
 * No per-isolate cache: the check is one primary-key read on a tiny table, made only by the
 * routes that refuse internal callers, and a cache could not be invalidated in the other
 * isolates, so a removed range would keep refusing (or an added one keep admitting) callers
 * for as long as it lived.
 */
export const NETWORKS_SETTING = 'internal_networks';

/** At most this many entries: a municipality's networks, not a routing table. */
export const MAX_NETWORK_ENTRIES = 100;

/**
 * The list in force. A stored value that does not parse makes the list invalid, which
 * `isInternal` treats as internal for everyone (fail closed): an edit gone wrong must never
 * let an internal client through.
 */
export async function effectiveNetworks(db: Db, cfg: Config): Promise<NetworkList> {
  return networksFrom(await getSetting(db, NETWORKS_SETTING), cfg);
}

/** The list in force, from the stored setting as a batch read it (null: none stored). */
export function networksFrom(stored: { value: string } | null, cfg: Config): NetworkList {
  return stored ? parseNetworks(stored.value) : cfg.networks;
}

function entries(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export interface NetworkSettings {
  cidrs: string[];
  source: 'settings' | 'default';
  defaults: string[];
}

/** GET /api/admin/networks: the list in force, where it comes from, and the default. */
export async function networkSettings(deps: Deps): Promise<NetworkSettings> {
  const stored = await getSetting(deps.db, NETWORKS_SETTING);
  const defaults = entries(deps.env.INTERNAL_NETWORKS);
  return stored
    ? { cidrs: entries(stored.value), source: 'settings', defaults }
    : { cidrs: defaults, source: 'default', defaults };
}

/**
 * Checks every entry on its own, so the error names the one that is wrong. Entries are trimmed
 * and exact duplicates dropped; an empty list is allowed (no internal networks, as with an
 * empty wrangler var).
 */
export function checkNetworkEntries(cidrs: readonly string[]): string[] {
  const kept: string[] = [];
  for (const [index, raw] of cidrs.entries()) {
    const entry = raw.trim();
    // A comma would smuggle a second entry past this check into the stored list.
    const parsed = entry.includes(',') ? null : parseNetworks(entry);
    if (entry === '' || parsed?.kind !== 'ok' || parsed.ranges.length !== 1) {
      throw new ApiError('invalid_request', {
        entry: raw,
        issues: [
          {
            path: `cidrs.${index}`,
            message: 'Not an IPv4 or IPv6 address or CIDR range (for example 10.0.0.0/8)',
          },
        ],
      });
    }
    if (!kept.includes(entry)) kept.push(entry);
  }
  return kept;
}

/** PUT /api/admin/networks: takes effect on the next request, in every isolate. */
export async function replaceNetworks(deps: Deps, actor: string, cidrs: readonly string[]) {
  const kept = checkNetworkEntries(cidrs);
  const before = await networkSettings(deps);
  const now = nowSeconds();
  const value = kept.join(',');
  // The change and its audit entry land together or not at all.
  await deps.db.batch([
    putSettingStatement(deps.db, NETWORKS_SETTING, value, now, actor),
    auditStatement(
      deps.db,
      {
        actor,
        action: 'networks.update',
        ip: deps.ip,
        outcome: 'success',
        detail: { source: 'settings', cidrs: value, previous: before.cidrs.join(',') },
      },
      now,
    ),
  ]);
  return networkSettings(deps);
}

/** DELETE /api/admin/networks: back to the wrangler var. */
export async function resetNetworks(deps: Deps, actor: string) {
  const before = await networkSettings(deps);
  const now = nowSeconds();
  await deps.db.batch([
    deleteSettingStatement(deps.db, NETWORKS_SETTING),
    auditStatement(
      deps.db,
      {
        actor,
        action: 'networks.update',
        ip: deps.ip,
        outcome: 'success',
        detail: {
          source: 'default',
          cidrs: before.defaults.join(','),
          previous: before.cidrs.join(','),
        },
      },
      now,
    ),
  ]);
  return networkSettings(deps);
}
