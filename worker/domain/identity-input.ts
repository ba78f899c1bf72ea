import { parseHsaId } from './hsa-id';
import {
  canonicalUserId,
  IDENTITY_STATES,
  type IdentityState,
  isCalendarDate,
} from './identity-rules';
import { hasUnsafeNameCharacters, UNSAFE_NAME_MESSAGE } from './name-text';
import { parsePersonnummer } from './personnummer';

/**
 * One identity as the HR system or a CSV row describes it, checked field by field. Pure, so
 * the integration API, the CSV preview and their tests share one set of rules. An issue names
 * the field and a code the app translates; it never repeats the value (a personnummer must
 * not end up in an error message or a log line).
 */
export interface IdentityFields {
  userId: string;
  personalNumber: string;
  hsaId?: string | null | undefined;
  givenName: string;
  familyName: string;
  unitId: string;
  startDate: string;
  state: string;
}

export interface ValidIdentity {
  userId: string;
  pnr: { canonical: string; masked: string };
  hsaId: string | null;
  givenName: string;
  familyName: string;
  unitId: string;
  startDate: string;
  state: IdentityState;
}

export type IdentityIssueCode =
  | 'user_id'
  | 'personal_number_format'
  | 'personal_number_date'
  | 'personal_number_checksum'
  | 'hsa_id'
  | 'given_name'
  | 'family_name'
  | 'name_characters'
  | 'unit'
  | 'start_date'
  | 'state';

export interface IdentityIssue {
  path: keyof IdentityFields;
  code: IdentityIssueCode;
  message: string;
}

const MESSAGES: Record<IdentityIssueCode, string> = {
  user_id: 'User id must be 2–32 letters A–Z or digits',
  personal_number_format:
    'Personal identity number must be YYMMDD-XXXX, YYMMDD+XXXX, YYYYMMDDXXXX or YYYYMMDD-XXXX',
  personal_number_date: 'Personal identity number has a date that does not exist',
  personal_number_checksum: 'Personal identity number has a wrong check digit',
  hsa_id: 'HSA-id must be SE, the organisation number, a hyphen and the local part',
  given_name: 'Given name is missing or longer than 100 characters',
  family_name: 'Family name is missing or longer than 100 characters',
  name_characters: UNSAFE_NAME_MESSAGE,
  unit: 'Unit is unknown',
  start_date: 'Start date must be a date written YYYY-MM-DD',
  state: 'State must be new, active, ended or inactive',
};

/**
 * Names as written, with runs of spaces made one. A control, format, bidi or line-separator
 * character inside the name is refused ('characters'), not turned into a space: a line break
 * or a direction override in a name is a broken or hostile record, not a typing slip.
 */
function cleanName(text: string): string | 'characters' | null {
  const trimmed = text.normalize('NFC').trim();
  if (hasUnsafeNameCharacters(trimmed)) return 'characters';
  const name = trimmed.replace(/\s+/g, ' ');
  if (name === '' || name.length > 100) return null;
  return name;
}

/**
 * Checks every field and returns all problems at once (a CSV row lists each). `unitExists`
 * decides the unit; `today` is the reference for the personnummer's century.
 */
export function validateIdentity(
  fields: IdentityFields,
  unitExists: (unitId: string) => boolean,
  today: Date = new Date(),
): { ok: true; value: ValidIdentity } | { ok: false; issues: IdentityIssue[] } {
  const issues: IdentityIssue[] = [];
  const issue = (path: keyof IdentityFields, code: IdentityIssueCode) =>
    issues.push({ path, code, message: MESSAGES[code] });

  const userId = canonicalUserId(fields.userId);
  if (!userId) issue('userId', 'user_id');
  const pnr = parsePersonnummer(fields.personalNumber, today);
  if (!pnr.ok) {
    issue(
      'personalNumber',
      pnr.reason === 'date'
        ? 'personal_number_date'
        : pnr.reason === 'checksum'
          ? 'personal_number_checksum'
          : 'personal_number_format',
    );
  }
  let hsaId: string | null = null;
  const hsaText = fields.hsaId?.trim() ?? '';
  if (hsaText !== '') {
    const parsed = parseHsaId(hsaText);
    if (parsed.ok) hsaId = parsed.value;
    else issue('hsaId', 'hsa_id');
  }
  const givenName = cleanName(fields.givenName);
  if (givenName === 'characters') issue('givenName', 'name_characters');
  else if (!givenName) issue('givenName', 'given_name');
  const familyName = cleanName(fields.familyName);
  if (familyName === 'characters') issue('familyName', 'name_characters');
  else if (!familyName) issue('familyName', 'family_name');
  const unitId = fields.unitId.trim();
  if (!unitId || !unitExists(unitId)) issue('unitId', 'unit');
  const startDate = fields.startDate.trim();
  if (!isCalendarDate(startDate)) issue('startDate', 'start_date');
  const state = fields.state.trim().toLowerCase();
  if (!(IDENTITY_STATES as readonly string[]).includes(state)) issue('state', 'state');

  if (
    issues.length > 0 ||
    !userId ||
    !pnr.ok ||
    !givenName ||
    !familyName ||
    givenName === 'characters' ||
    familyName === 'characters'
  ) {
    return { ok: false, issues };
  }
  return {
    ok: true,
    value: {
      userId,
      pnr: { canonical: pnr.value.canonical, masked: pnr.value.masked },
      hsaId,
      givenName,
      familyName,
      unitId,
      startDate,
      state: state as IdentityState,
    },
  };
}
