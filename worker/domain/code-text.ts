/**
 * Pulls the code out of what a person types or pastes: "123 456", "123-456", or the whole
 * SMS text, whose WebOTP line `@host #123456` is the most reliable place to look.
 * Kept apart from codes.ts so the web app can use it without bundling otpauth.
 */
export function extractCode(text: string): string | null {
  const webOtp = /#(\d{6})\b/.exec(text);
  if (webOtp?.[1]) return webOtp[1];
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) return compact;
  const loose = text.match(/(?<!\d)\d{6}(?!\d)/g);
  return loose?.length === 1 && loose[0] ? loose[0] : null;
}
