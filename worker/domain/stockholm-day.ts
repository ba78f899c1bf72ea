/**
 * The Swedish calendar day a moment falls on: its date and the unix seconds of its first
 * second and of the next day's, in Europe/Stockholm time (23 or 25 hours on the days the
 * clocks change). Sweden changes its clocks at 02:00/03:00, never at midnight, so every day
 * has exactly one midnight.
 */
export interface StockholmDay {
  /** `YYYY-MM-DD` */
  date: string;
  /** Unix seconds of the day's midnight. */
  start: number;
  /** Unix seconds of the next day's midnight. */
  end: number;
}

let wallClock: Intl.DateTimeFormat | undefined;

function wallClockAt(seconds: number) {
  wallClock ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Stockholm',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts = wallClock.formatToParts(new Date(seconds * 1000));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** Seconds Stockholm's wall clock is ahead of UTC at this moment (3600 or 7200). */
function offsetAt(seconds: number): number {
  const w = wallClockAt(seconds);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - seconds;
}

/** The unix seconds of midnight at the start of a Stockholm date (month 1–12; overflow rolls). */
function midnight(year: number, month: number, day: number): number {
  const asUtc = Date.UTC(year, month - 1, day) / 1000;
  // The offset at UTC midnight, then at the guess: right on the days the clocks change too.
  const guess = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(guess);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function stockholmDay(atSeconds: number): StockholmDay {
  const w = wallClockAt(atSeconds);
  return {
    date: `${pad(w.year, 4)}-${pad(w.month, 2)}-${pad(w.day, 2)}`,
    start: midnight(w.year, w.month, w.day),
    end: midnight(w.year, w.month, w.day + 1),
  };
}
