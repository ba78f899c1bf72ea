import type { Language } from './language';
import { parseDialable } from './phone';
import { formatPhone } from './phone-format';

/**
 * One way to reach support, as the organisation writes it. The label is shown exactly as
 * written ("2000, knappval 3 och 1", "Skicka ett meddelande i Treserva"); only `tel`, checked
 * to be a number anyone can dial, ever becomes a `tel:` link, so a menu choice or an internal
 * extension is never turned into a wrong number.
 */
export interface SupportChannel {
  /** Swedish, as written; empty when the channel is just its number or address. */
  label: string;
  /** English, when the organisation wrote one; otherwise the Swedish label is shown. */
  labelEn: string | null;
  /** E.164. */
  tel: string | null;
  email: string | null;
  /** Opening hours, free text ("Vardagar 8–17"). */
  hours: string | null;
  hoursEn: string | null;
}

export type SupportParse =
  | { kind: 'ok'; channels: SupportChannel[] }
  | { kind: 'invalid'; problem: string };

const KEYS = new Set(['label', 'labelEn', 'tel', 'email', 'hours', 'hoursEn']);
const MAX_CHANNELS = 6;
const MAX_TEXT = 120;
// One address, no display name: it becomes a mailto: link and a line in mails.
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[a-z]{2,}$/i;
// Line breaks and other control characters would break the line a channel is shown on, in a
// mail or an SMS, and could fake a line of their own.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

function text(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return `${where} must be text`;
  const trimmed = value.trim();
  if (CONTROL.test(trimmed)) return `${where} must be one line`;
  if (trimmed.length > MAX_TEXT) return `${where} is longer than ${MAX_TEXT} characters`;
  return null;
}

function optional(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function parseChannel(raw: unknown, index: number): SupportChannel | string {
  const at = `SUPPORT_CHANNELS[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return `${at} must be an object such as {"label": "…", "tel": "…"}`;
  }
  const entry = raw as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!KEYS.has(key)) {
      return `${at} has an unknown key "${key}"; the keys are ${[...KEYS].join(', ')} (a number to dial goes in "tel", the text shown in "label")`;
    }
  }
  for (const key of KEYS) {
    const problem = text(entry[key], `${at}.${key}`);
    if (problem) return problem;
  }
  const telRaw = optional(entry.tel);
  const tel = telRaw === null ? null : parseDialable(telRaw);
  if (telRaw !== null && tel === null) {
    return `${at}.tel "${telRaw}" is not a number anyone can dial; write an extension or a menu choice in "label" and the full number (e.g. 019-21 10 00) in "tel"`;
  }
  const email = optional(entry.email);
  if (email !== null && !EMAIL.test(email)) {
    return `${at}.email "${email}" is not an e-mail address`;
  }
  const label = optional(entry.label) ?? '';
  if (label === '' && tel === null && email === null) {
    return `${at} needs a "label", a "tel" or an "email"`;
  }
  return {
    label,
    labelEn: optional(entry.labelEn),
    tel,
    email,
    hours: optional(entry.hours),
    hoursEn: optional(entry.hoursEn),
  };
}

/**
 * SUPPORT_CHANNELS: a JSON array of `{label, labelEn?, tel?, email?, hours?, hoursEn?}`, or
 * the array itself when wrangler.toml gives it as a JSON value. Empty or absent: none.
 */
export function parseSupportChannels(raw: unknown): SupportParse {
  if (raw === undefined || raw === null || raw === '') return { kind: 'ok', channels: [] };
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return {
        kind: 'invalid',
        problem:
          'SUPPORT_CHANNELS is not valid JSON; it is a list such as [{"label": "2000, knappval 3 och 1", "tel": "019-21 10 00"}]',
      };
    }
  }
  if (!Array.isArray(value)) {
    return { kind: 'invalid', problem: 'SUPPORT_CHANNELS must be a JSON list of channels' };
  }
  if (value.length > MAX_CHANNELS) {
    return { kind: 'invalid', problem: `SUPPORT_CHANNELS has more than ${MAX_CHANNELS} channels` };
  }
  const channels: SupportChannel[] = [];
  for (const [index, entry] of value.entries()) {
    const parsed = parseChannel(entry, index);
    if (typeof parsed === 'string') return { kind: 'invalid', problem: parsed };
    channels.push(parsed);
  }
  return { kind: 'ok', channels };
}

/**
 * The variables SUPPORT_CHANNELS replaced: an older deployment keeps its contact. The old
 * phone becomes a label as written, and a link only if it is a number anyone can dial.
 */
export function legacySupportChannels(phone: string, email: string): SupportParse {
  const channels: SupportChannel[] = [];
  const label = phone.trim();
  if (label !== '') {
    if (CONTROL.test(label)) return { kind: 'invalid', problem: 'SUPPORT_PHONE must be one line' };
    channels.push({
      label,
      labelEn: null,
      tel: parseDialable(label),
      email: null,
      hours: null,
      hoursEn: null,
    });
  }
  const address = email.trim();
  if (address !== '') {
    if (!EMAIL.test(address)) {
      return { kind: 'invalid', problem: `SUPPORT_EMAIL "${address}" is not an e-mail address` };
    }
    channels.push({
      label: '',
      labelEn: null,
      tel: null,
      email: address,
      hours: null,
      hoursEn: null,
    });
  }
  return { kind: 'ok', channels };
}

/** The label a reader of `lang` sees: the English one where written, else the Swedish. */
export function channelLabel(channel: SupportChannel, lang: Language): string {
  return lang === 'en' ? (channel.labelEn ?? channel.label) : channel.label;
}

export function channelHours(channel: SupportChannel, lang: Language): string | null {
  return lang === 'en' ? (channel.hoursEn ?? channel.hours) : channel.hours;
}

/**
 * One channel on one line of plain text: "2000, knappval 3 och 1: 019-21 10 00 (vardagar
 * 8–17)". A label that already says the number or address is not followed by it again.
 */
export function channelText(channel: SupportChannel, lang: Language): string {
  const label = channelLabel(channel, lang);
  const contacts = [channel.tel ? formatPhone(channel.tel) : null, channel.email].filter(
    (c): c is string => c !== null && !label.includes(c),
  );
  const head =
    label && contacts.length > 0
      ? `${label}: ${contacts.join(', ')}`
      : label || contacts.join(', ');
  const hours = channelHours(channel, lang);
  return hours ? `${head} (${hours})` : head;
}

/** The first channel with a number to dial, in national form; null when none has one. */
export function supportPhone(channels: SupportChannel[]): string | null {
  const tel = channels.find((c) => c.tel !== null)?.tel;
  return tel ? formatPhone(tel) : null;
}
