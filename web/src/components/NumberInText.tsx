/** Stands for the number while the sentence around it is translated. */
const SLOT = '\u0000';

/**
 * A sentence with a phone number in it, the number kept on one line: a line may break before
 * or after "070-123 45 67", never inside it (at 1024 px it once broke after "070-"). The
 * number stays plain text, so it reads, copies and searches as written.
 */
export function NumberInText({
  text,
  number,
}: {
  /** The sentence, translated with the number's placeholder filled by `slot`. */
  text: (slot: string) => string;
  number: string;
}) {
  const [before = '', after = ''] = text(SLOT).split(SLOT);
  return (
    <>
      {before}
      <span class="nowrap">{number}</span>
      {after}
    </>
  );
}
