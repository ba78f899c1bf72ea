/**
 * Names people and systems type (a person, a staff member, a new hire, a mailbox, a unit, a
 * connector, a service token) are shown in lists, e-mails and SMS, written to the audit log
 * and exported as CSV. None of them may carry characters that change how the text around them
 * is shown or read:
 * - control characters (Unicode category Cc: line breaks, tabs, escape, C1 controls), which
 *   split a line in a log, a CSV cell or an SMS;
 * - format characters (Cf), among them the bidi marks U+200E/U+200F, embeddings and overrides
 *   U+202A–U+202E and isolates U+2066–U+2069, which reverse the text after them (a name that
 *   shows a different link or number than the one sent), and zero-width characters, which make
 *   two names look alike;
 * - the line and paragraph separators U+2028 and U+2029 (categories Zl and Zp), which break a
 *   line wherever they are shown.
 * Pure, so the valibot schemas, the identity and CSV checks and the web app refuse the same.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Whether a name holds a control, format, bidi or line-separator character. */
export function hasUnsafeNameCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/** The issue message of a name refused for its characters; the field is named by the issue. */
export const UNSAFE_NAME_MESSAGE =
  'A name cannot contain control, format or text-direction characters (line breaks, zero-width or bidi marks)';
