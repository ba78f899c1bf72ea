/**
 * A calendar reminder (RFC 5545) for the next required password change, made in the browser:
 * the server never needs to know when someone wants to be reminded.
 */
function icsDate(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

export function reminderIcs(p: { due: Date; title: string; description: string; uid: string }) {
  const start = new Date(p.due.getTime() - 7 * 86_400_000);
  const next = new Date(start.getTime() + 86_400_000);
  const stamp = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nyckel//Password reminder//SV',
    'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT',
    `UID:${p.uid}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${icsDate(start)}`,
    `DTEND;VALUE=DATE:${icsDate(next)}`,
    `SUMMARY:${escapeText(p.title)}`,
    `DESCRIPTION:${escapeText(p.description)}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(p.title)}`,
    'TRIGGER:PT9H',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** Offers the reminder as a download (nyckel-<username>.ics), for the phone's calendar app. */
export function downloadReminder(p: {
  due: Date;
  username: string;
  title: string;
  description: string;
}): void {
  const ics = reminderIcs({
    due: p.due,
    title: p.title,
    description: p.description,
    uid: `${p.username}-${p.due.getTime()}@nyckel`,
  });
  const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `nyckel-${p.username}.ics`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
