// The time a log line carries, found and cut out as fail2ban's date detector
// does: the failregex then sees the line without its date, so the same
// patterns work here and in a fail2ban filter.d file.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = String.raw`(?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:[.,](?<fraction>\d{1,6}))?`;
const ZONE = String.raw`(?<zone>Z|[+-]\d{2}:?\d{2})`;

/** The date patterns a jail knows, by the name its `datepattern` option takes. */
export const DATE_PATTERNS = {
  /** syslog's `Mon DD HH:MM:SS` (auth.log), local time, the year guessed as fail2ban does. */
  syslog: new RegExp(String.raw`(?<![\w])${MONTH} {1,2}(?<day>\d{1,2}) ${TIME}(?!\d)`),
  /** ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (a space for the T too); local time without a zone. */
  iso8601: new RegExp(String.raw`(?<!\d)(?<year>\d{4})-(?<mon>\d{2})-(?<day>\d{2})[T ]${TIME}${ZONE}?(?![\d])`),
  /** nginx's error log, `YYYY/MM/DD HH:MM:SS`, local time. */
  'nginx-error': new RegExp(String.raw`(?<!\d)(?<year>\d{4})/(?<mon>\d{2})/(?<day>\d{2}) ${TIME}(?!\d)`),
  /** nginx's (and Apache's) access log, `DD/Mon/YYYY:HH:MM:SS +zone`. */
  'nginx-access': new RegExp(String.raw`(?<!\d)(?<day>\d{2})/${MONTH}/(?<year>\d{4}):${TIME} ${ZONE}`),
} as const;

/** A name of {@link DATE_PATTERNS}. */
export type DatePatternName = keyof typeof DATE_PATTERNS;

/** A line's time (ms since the epoch) and the line without its date, as the failregex sees it. */
export interface DatedLine {
  time: number | undefined;
  text: string;
}

/**
 * Finds the date in `line` with the named pattern, or with the one that
 * matches earliest in the line when `pattern` is undefined (fail2ban's
 * default detector), and cuts it out. `now` (ms) gives the year of a syslog
 * date: this year, or the last if that would put it more than a day ahead.
 */
export function dateOf(line: string, pattern: DatePatternName | undefined, now: number): DatedLine {
  let found: RegExpExecArray | null = null;
  for (const name of pattern === undefined ? (Object.keys(DATE_PATTERNS) as DatePatternName[]) : [pattern]) {
    const match = DATE_PATTERNS[name].exec(line);
    if (match !== null && (found === null || match.index < found.index)) found = match;
  }
  if (found === null) return { time: undefined, text: line };
  const time = timeOf(found.groups ?? {}, now);
  return { time, text: line.slice(0, found.index) + line.slice(found.index + found[0].length) };
}

function timeOf(g: Record<string, string | undefined>, now: number): number | undefined {
  const month = g.month === undefined ? Number(g.mon) - 1 : MONTHS.indexOf(g.month);
  const ms = Math.round(Number(`0.${g.fraction ?? '0'}`) * 1000);
  const parts = [month, Number(g.day), Number(g.hour), Number(g.minute), Number(g.second), ms] as const;
  if (g.year === undefined) {
    const year = new Date(now).getFullYear();
    const thisYear = new Date(year, ...parts).getTime();
    return thisYear > now + 86_400_000 ? new Date(year - 1, ...parts).getTime() : thisYear;
  }
  if (g.zone === undefined) return valid(new Date(Number(g.year), ...parts).getTime());
  const utc = Date.UTC(Number(g.year), ...parts);
  if (g.zone === 'Z') return valid(utc);
  const sign = g.zone.startsWith('-') ? -1 : 1;
  const digits = g.zone.replace(':', '');
  const offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
  return valid(utc - sign * offset);
}

const valid = (time: number): number | undefined => (Number.isNaN(time) ? undefined : time);
