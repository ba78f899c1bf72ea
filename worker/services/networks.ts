import type { Config } from '../config';
import { auditStatement } from '../db/audit';
import { nowSeconds } from '../db/clock';
import type { Db } from '../db/database';
import { deleteSettingStatement, getSetting, putSettingStatement } from '../db/settings';
import {
  type NetworkEntryProblem,
  type NetworkList,
  networkCutNeedsConfirmation,
  networkEntryProblem,
  parseNetworks,
} from '../domain/networks';
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

const WHY: Record<NetworkEntryProblem, string> = {
  empty: 'the line is empty',
  comma: 'one network a line, without commas',
  address: 'not an IPv4 or IPv6 address (for example 10.0.0.0/8)',
  prefix:
    'the number after / is not a prefix length the address has (0-32 for IPv4, 0-128 for IPv6)',
};

/**
 * Checks every entry on its own, so the answer names each one that is wrong (its index, its
 * text and why; `entry` is the first, as before). Entries are trimmed and exact duplicates
 * dropped; an empty list is allowed (no internal networks, as with an empty wrangler var).
 */
export function checkNetworkEntries(cidrs: readonly string[]): string[] {
  const kept: string[] = [];
  const issues: { path: string; code: NetworkEntryProblem; message: string }[] = [];
  for (const [index, raw] of cidrs.entries()) {
    const problem = networkEntryProblem(raw);
    if (problem !== null) {
      issues.push({
        path: `cidrs.${index}`,
        code: problem,
        message: `Entry ${index + 1} (${JSON.stringify(raw)}): ${WHY[problem]}`,
      });
      continue;
    }
    const entry = raw.trim();
    if (!kept.includes(entry)) kept.push(entry);
  }
  const first = issues[0];
  if (first)
    throw new ApiError('invalid_request', { entry: cidrs[Number(first.path.slice(6))], issues });
  return kept;
}

/**
 * PUT /api/admin/networks: takes effect on the next request, in every isolate. Emptying the
 * list or removing more than half of it needs `confirm: true` (409 confirmation_required
 * otherwise), so no client switches the network rule off by a slip.
 */
export async function replaceNetworks(
  deps: Deps,
  actor: string,
  cidrs: readonly string[],
  confirm = false,
) {
  const kept = checkNetworkEntries(cidrs);
  const before = await networkSettings(deps);
  if (!confirm && networkCutNeedsConfirmation(before.cidrs.length, kept.length)) {
    throw new ApiError('confirmation_required', {
      reason: kept.length === 0 ? 'networks_emptied' : 'networks_shrunk',
    });
  }
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
        detail: {
          source: 'settings',
          cidrs: value,
          previous: before.cidrs.join(','),
          count: kept.length,
          previousCount: before.cidrs.length,
          confirmed: confirm,
        },
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
