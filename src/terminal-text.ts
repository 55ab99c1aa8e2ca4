// Text from plugins, their errors and control-socket peers reaches a
// terminal and the host's log. Escape sequences in it could retitle the
// terminal, move the cursor or hide text, and a newline could start a line
// that reads like the host's own (`jailthread: sshd crashed: ...`). Every
// piece of such text passes through here before the CLI prints it.

// C0 controls and DEL, C1 controls (8-bit CSI and OSC in some terminals), and
// the invisible characters that reorder or split lines: bidi marks and
// overrides, U+2028/U+2029, and the BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
// The same but for line feed and tab, which block() keeps.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
const UNSAFE_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A visible escape in JSON's notation, so it stays valid inside JSON strings. */
const visible = (char: string): string =>
  SHORT[char] ?? `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`;

/**
 * `text` as one line with nothing a terminal acts on: every control,
 * newline and tab included, shows as its escape (`\n`, `\u001b`). For table
 * cells, names and other one-line fields.
 */
export const inline = (text: string): string => text.replace(UNSAFE, visible);

/**
 * `text` with nothing a terminal acts on but its line breaks and tabs, each
 * line after the first indented by `indent`, so no line of it can pass for a
 * line of its own at the left margin. CRLF counts as a line break; trailing
 * ones are dropped. For messages printed after a header such as
 * `jailthread: `.
 */
export function block(text: string, indent = '  '): string {
  const lines = text.replace(/\r\n/g, '\n');
  // A loop, not /\n+$/: that regex is quadratic on a long run of newlines followed by text.
  let end = lines.length;
  while (end > 0 && lines.charCodeAt(end - 1) === 0x0a) end--;
  return lines.slice(0, end).replace(UNSAFE_BUT_LINES, visible).replace(/\n/g, `\n${indent}`);
}

/**
 * JSON text (as `JSON.stringify` writes it) with the characters it leaves raw
 * but a terminal acts on (DEL, C1 controls, bidi marks, U+2028/U+2029)
 * escaped as `\uXXXX`: still valid JSON, parsing to the same value.
 */
export const jsonSafe = (json: string): string => json.replace(UNSAFE_BUT_LINES, visible);

/**
 * `text` cut to `max` characters, saying how much was left out: a log line
 * of megabytes helps no reader, and escaping it would cost the host time
 * for each of its bytes.
 */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;

/**
 * One line of a child's output as the host prints it, after its prefix: a
 * CRLF's carriage return dropped, everything else a terminal acts on shown
 * as its escape. The command line's logger and the library's `'prefix'`
 * output both use it.
 */
export const terminalLine = (line: string): string => block(line.endsWith('\r') ? line.slice(0, -1) : line);
