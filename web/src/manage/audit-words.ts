import { AUDIT_ACTIONS } from '../../../worker/domain/audit-words';
import { type Lang, lookUp } from '../i18n-text';

export { AUDIT_ACTIONS };

/**
 * The audit trail in words, for the manager's logs and the administrator's alike: the action
 * codes (worker/domain/audit-words.ts, which the CSV export uses too), who or what an entry
 * names when its name is gone, and the keys of an entry's details.
 */
/** What an audit entry's action code means, in words; an unknown code is shown as it is. */
export function actionLabel(lang: Lang, code: string): string {
  return lookUp([AUDIT_ACTIONS], lang, code);
}

/** Who or what a `<kind>:<id>` reference was, when its name is no longer there. */
const GONE: Record<string, { sv: string; en: string }> = {
  person: { sv: 'borttagen person', en: 'removed person' },
  mailbox: { sv: 'borttagen brevlåda', en: 'removed mailbox' },
  unit: { sv: 'borttagen enhet', en: 'removed unit' },
  staff: { sv: 'borttagen personal', en: 'removed staff member' },
  identity: { sv: 'borttagen nyanställd', en: 'removed new hire' },
  service_token: { sv: 'borttagen tjänstetoken', en: 'removed service token' },
  service: { sv: 'borttagen tjänstetoken', en: 'removed service token' },
  connector: { sv: 'borttagen connector', en: 'removed connector' },
};

const WORDS: Record<string, { sv: string; en: string }> = {
  anonymous: { sv: 'Okänd (inte inloggad)', en: 'Unknown (not signed in)' },
  system: { sv: 'Nyckel (automatiskt)', en: 'Nyckel (automatic)' },
  'system:directory': { sv: 'Nyckel (katalogen)', en: 'Nyckel (the directory)' },
};

/**
 * The words for an entry's actor or target: its name when the API found one, a plain word for
 * "not signed in" and Nyckel itself, "borttagen …" for a thing that is gone, never an id.
 */
export function referenceText(lang: Lang, raw: string | null, label: string | null): string {
  if (raw === null) return '–';
  const word = WORDS[raw];
  if (word) return word[lang];
  if (label !== null && label !== raw) return label;
  const kind = /^([a-z_]+):/.exec(raw)?.[1];
  const gone = kind === undefined ? undefined : GONE[kind];
  if (gone) return gone[lang];
  // Not a reference ("PUT /api/mailbox/phone" of a refused registration): shown as it is.
  return raw;
}

/** Detail keys that only hold an id the reader cannot use; the entry's names say enough. */
const HIDDEN = new Set(['handover', 'link', 'challenge', 'staff']);

const KEYS: Record<string, { sv: string; en: string }> = {
  staff: { sv: 'Personal', en: 'Staff' },
  result: { sv: 'Resultat', en: 'Result' },
  reason: { sv: 'Orsak', en: 'Reason' },
  method: { sv: 'Sätt', en: 'Method' },
  phone: { sv: 'Nummer', en: 'Number' },
  recipients: { sv: 'Mottagare', en: 'Recipients' },
  refused: { sv: 'Nekade', en: 'Refused' },
  replaced: { sv: 'Ersatt', en: 'Replaced' },
  generated: { sv: 'Genererat', en: 'Generated' },
  previous: { sv: 'Tidigare', en: 'Before' },
  previousCount: { sv: 'Antal före', en: 'Count before' },
  count: { sv: 'Antal efter', en: 'Count after' },
  confirmed: { sv: 'Bekräftad', en: 'Confirmed' },
  cidrs: { sv: 'Nätverk', en: 'Networks' },
  source: { sv: 'Källa', en: 'Source' },
  name: { sv: 'Namn', en: 'Name' },
  username: { sv: 'Användarnamn', en: 'Username' },
  displayName: { sv: 'Visningsnamn', en: 'Display name' },
  rows: { sv: 'Rader', en: 'Rows' },
  truncated: { sv: 'Avkortad', en: 'Cut short' },
  isAdmin: { sv: 'Administratör', en: 'Administrator' },
  wasLocked: { sv: 'Var låst', en: 'Was locked' },
  error: { sv: 'Fel', en: 'Error' },
  status: { sv: 'Status', en: 'Status' },
  userId: { sv: 'Användar-id', en: 'User id' },
  hsaId: { sv: 'HSA-id', en: 'HSA-id' },
  account: { sv: 'Konto', en: 'Account' },
};

const YES_NO = { sv: ['ja', 'nej'], en: ['yes', 'no'] } as const;

/**
 * An entry's details as "Personal: Omar Berg · Mottagare: 1": keys in words, yes/no for
 * flags, the staff member's name (from the API's `detailNames`) instead of an id, and ids
 * nobody can read left out.
 */
export function detailText(
  lang: Lang,
  detail: Record<string, unknown> | null,
  names: Record<string, string> = {},
): string {
  if (detail === null) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    const name = names[key];
    if (name === undefined && HIDDEN.has(key)) continue;
    const shown =
      name ??
      (typeof value === 'boolean'
        ? YES_NO[lang][value ? 0 : 1]
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value));
    parts.push(`${lookUp([KEYS], lang, key)}: ${shown}`);
  }
  return parts.join(' · ');
}
