import { BarflowError, quote } from '../core/errors.ts';

/** `--from`/`--to`: an ISO date or date-time (UTC unless it says otherwise), or ms since 1970. */
export function parseTimeArg(flag: string, text: string): number {
  if (/^\d{11,}$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || !isCalendarDate(text)) throw new BarflowError('cli.time', `${flag} ${quote(text)} is not a date like 2021-03-01 or 2021-03-01T12:00`, { field: flag }, text);
  return ms;
}

/** Date.parse rolls a day past the month's end over (2021-02-30 → 2021-03-02): refuse it instead. */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (match === null) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
