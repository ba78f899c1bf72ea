import { describe, expect, it } from 'vitest';
import { parseDialable } from '../../worker/domain/phone';
import {
  channelText,
  legacySupportChannels,
  parseSupportChannels,
  type SupportChannel,
  supportPhone,
} from '../../worker/domain/support';

const channel = (c: Partial<SupportChannel>): SupportChannel => ({
  label: '',
  labelEn: null,
  tel: null,
  email: null,
  hours: null,
  hoursEn: null,
  ...c,
});

/** The guide's three ways to reach support, as an organisation would configure them. */
const GUIDE = JSON.stringify([
  { label: '2000, knappval 3 och 1', labelEn: '2000, then 3 and 1', tel: '019-21 10 00' },
  { email: 'vardochstod@orebro.se', hours: 'Vardagar 8–16' },
  { label: 'Skicka ett meddelande i Treserva' },
]);

describe('SUPPORT_CHANNELS', () => {
  it('keeps each label as written and turns only "tel" into a number to dial', () => {
    const parsed = parseSupportChannels(GUIDE);
    expect(parsed).toEqual({
      kind: 'ok',
      channels: [
        channel({
          label: '2000, knappval 3 och 1',
          labelEn: '2000, then 3 and 1',
          tel: '+4619211000',
        }),
        channel({ email: 'vardochstod@orebro.se', hours: 'Vardagar 8–16' }),
        channel({ label: 'Skicka ett meddelande i Treserva' }),
      ],
    });
  });

  it('accepts the list itself, as wrangler gives a JSON value, and nothing as none', () => {
    expect(parseSupportChannels([{ label: 'Ring växeln' }])).toMatchObject({ kind: 'ok' });
    expect(parseSupportChannels(undefined)).toEqual({ kind: 'ok', channels: [] });
    expect(parseSupportChannels('')).toEqual({ kind: 'ok', channels: [] });
    expect(parseSupportChannels('[]')).toEqual({ kind: 'ok', channels: [] });
  });

  it.each([
    ['bad JSON', '[{label: 1}', /not valid JSON/],
    ['not a list', '{"label": "x"}', /JSON list/],
    [
      'a menu choice as the number',
      '[{"label": "Support", "tel": "2000 knappval 3 och 1"}]',
      /\[0\]\.tel .*not a number anyone can dial/,
    ],
    ['an extension as the number', '[{"tel": "2000"}]', /\[0\]\.tel "2000"/],
    ['an unknown key', '[{"label": "x", "phone": "019-21 10 00"}]', /unknown key "phone"/],
    ['a bad address', '[{"email": "support at orebro"}]', /\[0\]\.email/],
    ['an empty channel', '[{"hours": "8–16"}]', /needs a "label", a "tel" or an "email"/],
    ['a line break in a label', '[{"label": "Ring\\noss"}]', /one line/],
    ['a number as a label', '[{"label": 2000}]', /must be text/],
    ['too many', JSON.stringify(Array.from({ length: 7 }, () => ({ label: 'x' }))), /more than 6/],
  ])('refuses %s with a message that says what to fix', (_case, raw, message) => {
    const parsed = parseSupportChannels(raw);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(message);
  });

  it('keeps an older SUPPORT_PHONE as text, a link only when it can be dialled', () => {
    expect(legacySupportChannels('2000 knappval 3 och 1', 'support@orebro.se')).toEqual({
      kind: 'ok',
      channels: [
        channel({ label: '2000 knappval 3 och 1' }),
        channel({ email: 'support@orebro.se' }),
      ],
    });
    expect(legacySupportChannels('019-21 10 00', '')).toEqual({
      kind: 'ok',
      channels: [channel({ label: '019-21 10 00', tel: '+4619211000' })],
    });
    expect(legacySupportChannels('', '')).toEqual({ kind: 'ok', channels: [] });
    expect(legacySupportChannels('', 'nope').kind).toBe('invalid');
  });
});

describe('support channels in text', () => {
  it('writes a channel on one line: label, number in national form, address, hours', () => {
    const [phone, mail, treserva] =
      (parseSupportChannels(GUIDE) as { channels: SupportChannel[] }).channels ?? [];
    expect(channelText(phone as SupportChannel, 'sv')).toBe('2000, knappval 3 och 1: 019-21 10 00');
    expect(channelText(phone as SupportChannel, 'en')).toBe('2000, then 3 and 1: 019-21 10 00');
    expect(channelText(mail as SupportChannel, 'sv')).toBe('vardochstod@orebro.se (Vardagar 8–16)');
    expect(channelText(treserva as SupportChannel, 'en')).toBe('Skicka ett meddelande i Treserva');
  });

  it('does not repeat a number the label already shows', () => {
    const c = channel({ label: 'Servicedesken 019-21 10 00', tel: '+4619211000' });
    expect(channelText(c, 'sv')).toBe('Servicedesken 019-21 10 00');
  });

  it('gives the SMS the first channel with a number to dial, or none', () => {
    const channels = (parseSupportChannels(GUIDE) as { channels: SupportChannel[] }).channels;
    expect(supportPhone(channels)).toBe('019-21 10 00');
    expect(supportPhone([channel({ label: '2000, knappval 3 och 1' })])).toBeNull();
  });
});

describe('parseDialable: a support number anyone can dial', () => {
  it.each([
    ['019-21 10 00', '+4619211000'],
    ['08-123 456 78', '+46812345678'],
    ['070-123 45 67', '+46701234567'],
    ['+358 9 1234567', '+35891234567'],
  ])('reads %s as %s', (input, e164) => {
    expect(parseDialable(input)).toBe(e164);
  });

  it.each([['2000'], ['2000 knappval 3 och 1'], ['019-21'], ['']])('refuses %s', (input) => {
    expect(parseDialable(input)).toBeNull();
  });
});
