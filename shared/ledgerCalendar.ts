/**
 * Forecasts' resolution dates as an iCalendar file (RFC 5545) the person can import into their
 * calendar: one all-day event per open forecast that has a date. Made in the workspace from the
 * ledger; nothing is sent anywhere.
 */
import { dayPattern, type LedgerRow } from './domain';

/** Escapes text for an iCalendar property value (backslash, semicolon, comma, new lines). */
export function icsText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 characters, continuing with a space, as RFC 5545 asks. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > 75) {
    parts.push(rest.slice(0, 75));
    rest = ` ${rest.slice(75)}`;
  }
  parts.push(rest);
  return parts.join('\r\n');
}

const compactDate = (isoDate: string) => isoDate.replace(/-/g, '');

/** The calendar of every open forecast with a resolution date; `stamp` is when it was made (ISO). */
export function forecastCalendar(rows: readonly LedgerRow[], stamp: string): string {
  const dtstamp = `${stamp.replace(/[-:]/g, '').slice(0, 15)}Z`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Keel//Decision ledger//EN',
    'CALSCALE:GREGORIAN',
  ];
  for (const row of rows) {
    for (const forecast of row.entry.forecasts) {
      if (forecast.resolution || !dayPattern.test(forecast.resolveBy)) continue;
      const start = new Date(`${forecast.resolveBy}T00:00:00Z`);
      const end = new Date(start.getTime() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
      const criteria = forecast.criteria ? `\n${forecast.criteria}` : '';
      lines.push(
        'BEGIN:VEVENT',
        `UID:${forecast.id}@keel.local`,
        `DTSTAMP:${dtstamp}`,
        `DTSTART;VALUE=DATE:${compactDate(forecast.resolveBy)}`,
        `DTEND;VALUE=DATE:${compactDate(end)}`,
        `SUMMARY:${icsText(`Resolve: ${forecast.statement} (${forecast.probability}%)`)}`,
        `DESCRIPTION:${icsText(`${row.title} (${row.spaceName}): ${row.entry.choice}${criteria}\nResolve it in Keel, on the Decisions page.`)}`,
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
