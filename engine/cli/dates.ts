import { BarflowError, quote } from '../core/errors.ts';

/** `--from`/`--to`: an ISO date or date-time (UTC unless it says otherwise), or ms since 1970. */
export function parseTimeArg(flag: string, text: string): number {
  if (/^\d{11,}$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new BarflowError('cli.time', `${flag} ${quote(text)} is not a date like 2021-03-01 or 2021-03-01T12:00`, { field: flag }, text);
  return ms;
}
