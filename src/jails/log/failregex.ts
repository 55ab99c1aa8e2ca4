/**
 * fail2ban's failregex patterns, compiled to JavaScript regular expressions.
 *
 * A pattern is a JavaScript regular expression with fail2ban's `<HOST>` (or
 * `<ADDR>`) tag where the offending address appears. The jail does no DNS
 * look-ups (fail2ban's `usedns = no`), so both tags match an IP address. Python's `(?P<name>...)` groups and
 * `(?P=name)` back-references are accepted too, so patterns copied from a
 * fail2ban filter.d file need fewer edits.
 */

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const HEX = '[\\da-fA-F]{1,4}';
// Every IPv6 text form (RFC 4291 §2.2): full, compressed, and with a trailing IPv4 address.
const IPV6 = [
  `(?:${HEX}:){7}${HEX}`,
  `(?:${HEX}:){6}${IPV4}`,
  `(?:${HEX}:){1,4}:${IPV4}`,
  `::(?:[fF]{4}(?::0{1,4})?:)?${IPV4}`,
  `(?:${HEX}:){1,7}:`,
  `(?:${HEX}:){1,6}:${HEX}`,
  `(?:${HEX}:){1,5}(?::${HEX}){1,2}`,
  `(?:${HEX}:){1,4}(?::${HEX}){1,3}`,
  `(?:${HEX}:){1,3}(?::${HEX}){1,4}`,
  `(?:${HEX}:){1,2}(?::${HEX}){1,5}`,
  `${HEX}:(?::${HEX}){1,6}`,
  `:(?:(?::${HEX}){1,7}|:)`,
].join('|');

// The look-arounds keep a greedy `.*<HOST>` from capturing the tail of a longer
// address (`1.2.3.4` out of `11.2.3.4`), and a lone address from stopping short.
// An IPv4 address may still be followed by `:port`.
const NOT_AFTER_ADDRESS = '(?<![\\da-fA-F.:])';
const MAPPED_PREFIX = '(?:::[fF]{4}:(?=\\d))?';
const WHOLE_IPV4 = `${IPV4}(?!\\.?\\d)`;
const WHOLE_IPV6 = `(?:${IPV6})(?![\\da-fA-F.:]*[\\da-fA-F])`;
const HOST = `${NOT_AFTER_ADDRESS}${MAPPED_PREFIX}(?<host>${WHOLE_IPV4}|${WHOLE_IPV6})`;

// The IPv6 branch matches the mapped form too: the prefix is kept when a pattern's context makes the
// engine backtrack past it (as `<HOST> then \k<host>` on a line that repeats the mapped form).
const MAPPED_IPV4 = /^::ffff:(?=\d{1,3}(?:\.\d{1,3}){3}$)/i;

/**
 * Compiles fail2ban-style failregex patterns.
 *
 * `<HOST>` or `<ADDR>` becomes a named group `host` that matches an IPv4 or IPv6 address;
 * an IPv4-mapped address (`::ffff:203.0.113.7`) is captured without its prefix.
 * Python's `(?P<name>...)` and `(?P=name)` become `(?<name>...)` and `\k<name>`.
 * The regular expressions have no flags: matching is case-sensitive and not
 * anchored, as fail2ban's `re.search`.
 *
 * @throws {TypeError} when a pattern has no `<HOST>` or `<ADDR>`, more than one, or does not compile;
 *   the message names the pattern and the fix.
 */
export function compileFailregex(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    const { source, hosts } = translate(pattern);
    const name = JSON.stringify(pattern);
    if (hosts === 0) {
      throw new TypeError(
        `failregex ${name} has no <HOST> or <ADDR>: put <HOST> where the offending address appears, e.g. "from <HOST>"`,
      );
    }
    if (hosts > 1) {
      throw new TypeError(
        `failregex ${name} has <HOST>/<ADDR> ${hosts} times: keep one, for the address to ban, ` +
          'and match the other addresses with a plain group',
      );
    }
    try {
      return new RegExp(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(
        `failregex ${name} is not a valid regular expression (${reason}): fix its syntax; ` +
          'patterns use JavaScript RegExp syntax, plus <HOST> and Python’s (?P<name>...) and (?P=name)',
        { cause: error },
      );
    }
  });
}

/**
 * The address captured by the first of `regexes` that matches `line`, or
 * undefined when none does. The regular expressions are those of
 * {@link compileFailregex}: with a `host` group and without the `g` or `y` flag.
 */
export function matchHost(regexes: readonly RegExp[], line: string): string | undefined {
  for (const regex of regexes) {
    const host = regex.exec(line)?.groups?.host;
    if (host !== undefined) return host.replace(MAPPED_IPV4, '');
  }
  return undefined;
}

/** Rewrites the tags and Python syntax, outside escapes and character classes only. */
function translate(pattern: string): { source: string; hosts: number } {
  let source = '';
  let hosts = 0;
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const char = pattern.charAt(i);
    if (char === '\\') {
      source += pattern.slice(i, i + 2);
      i += 2;
    } else if (inClass) {
      inClass = char !== ']';
      source += char;
      i += 1;
    } else if (pattern.startsWith('<HOST>', i) || pattern.startsWith('<ADDR>', i)) {
      source += HOST;
      hosts += 1;
      i += '<HOST>'.length;
    } else if (pattern.startsWith('(?P<', i)) {
      source += '(?<';
      i += '(?P<'.length;
    } else if (pattern.startsWith('(?P=', i) && pattern.indexOf(')', i) !== -1) {
      const end = pattern.indexOf(')', i);
      source += `\\k<${pattern.slice(i + '(?P='.length, end)}>`;
      i = end + 1;
    } else {
      inClass = char === '[';
      source += char;
      i += 1;
    }
  }
  return { source, hosts };
}

/**
 * Compiles ignoreregex patterns: a line that matches one is not a failure,
 * even when a failregex matches it. They need no `<HOST>`.
 * @throws {TypeError} when a pattern does not compile; the message names it.
 */
export function compileIgnoreregex(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(translate(pattern).source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(
        `ignoreregex ${JSON.stringify(pattern)} is not a valid regular expression (${reason}): fix its syntax`,
        { cause: error },
      );
    }
  });
}
