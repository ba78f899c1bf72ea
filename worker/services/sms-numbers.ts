import { phoneCountryMessage } from '../domain/messages';
import { parsePhone } from '../domain/phone';
import { ApiError } from '../http/errors';
import type { Deps } from './deps';

/**
 * A mobile number someone registers for SMS (a mailbox's reset number, a staff member's, a
 * person's), in E.164; or 400 `invalid_phone` with the reason. A number outside SMS_COUNTRIES
 * is `reason: 'country'`, with the allowed codes and a message naming those countries in the
 * reader's language. `current`, the number already stored, is kept even so: the rule is for
 * registering a number, and a form that sends the unchanged number with a new name must not
 * fail on a number saved before the list was narrowed.
 */
export function smsNumber(
  deps: Pick<Deps, 'cfg' | 'lang'>,
  raw: string,
  current: string | null = null,
): string {
  const countries = deps.cfg.sms.countries;
  const parsed = parsePhone(raw, 'SE', countries);
  if (parsed.kind === 'ok') return parsed.e164;
  if (parsed.reason === 'country' && current !== null) {
    const anywhere = parsePhone(raw);
    if (anywhere.kind === 'ok' && anywhere.e164 === current) return current;
  }
  if (parsed.reason === 'country') {
    throw new ApiError('invalid_phone', {
      reason: 'country',
      allowedCountries: countries,
      // Replaces the code's general text: this refusal is about the country, not the format.
      message: phoneCountryMessage(countries, deps.lang),
    });
  }
  throw new ApiError('invalid_phone', { reason: parsed.reason });
}
