import type { SupportChannel } from '../worker/domain/support';

/** A channel with only what a test names; the rest absent, as the API answers it. */
export function supportChannel(c: Partial<SupportChannel>): SupportChannel {
  return { label: '', labelEn: null, tel: null, email: null, hours: null, hoursEn: null, ...c };
}

/** SUPPORT_CHANNELS as wrangler.toml commits it (the tests run with those vars). */
export const DEFAULT_SUPPORT: SupportChannel[] = [
  supportChannel({
    label: 'Telefon 2000, knappval 3 och 1',
    labelEn: 'Phone 2000, then options 3 and 1',
    tel: '+4619211000',
  }),
  supportChannel({ email: 'support@example.se' }),
  supportChannel({
    label: 'Skicka ett meddelande i Treserva: sök på "Treserva"',
    labelEn: 'Send a message in Treserva: search for "Treserva"',
  }),
];
