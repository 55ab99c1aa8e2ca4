// V8's JSON.parse names the position of some syntax errors but not of others
// ("Unexpected token '}', "..." is not valid JSON"), and a config's author
// needs a line and column either way. This scanner finds the offset of the
// first character that cannot continue a JSON text; it only runs after
// JSON.parse has already failed, so it favours brevity over speed.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class Stop {
  constructor(readonly offset: number) {}
}

/** The offset of the first syntax error in `text`, or `undefined` if it is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new Stop(at);
  };
  const skip = () => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  };
  const expect = (char: string) => {
    if (text[at] !== char) fail();
    at++;
  };
  const literal = (word: string) => {
    for (const char of word) expect(char);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const char = text[at];
      if (char === undefined || char < ' ') fail();
      at++;
      if (char === '"') return;
      if (char === '\\') {
        const escaped = text[at];
        if (escaped === 'u') {
          at++;
          for (let i = 0; i < 4; i++)
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) fail();
            else at++;
        } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) at++;
        else fail();
      }
    }
  };
  const digits = () => {
    const start = at;
    while (/[0-9]/.test(text[at] ?? '')) at++;
    if (at === start) fail();
  };
  const number = () => {
    if (text[at] === '-') at++;
    if (text[at] === '0') at++;
    else digits();
    if (text[at] === '.') {
      at++;
      digits();
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      digits();
    }
  };
  const value = (): void => {
    skip();
    const char = text[at] ?? '';
    if (char === '{') object();
    else if (char === '[') array();
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else if (char === '-' || /[0-9]/.test(char)) number();
    else fail();
  };
  /** An object or array: `open`, then members separated by commas, then `close`. */
  const container = (open: string, close: string, member: () => void) => {
    expect(open);
    skip();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      member();
      skip();
      if (text[at] === close) {
        at++;
        return;
      }
      expect(',');
    }
  };
  const object = () =>
    container('{', '}', () => {
      skip();
      string();
      skip();
      expect(':');
      value();
    });
  const array = () => container('[', ']', value);
  try {
    value();
    skip();
    if (at < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    throw error;
  }
}

/** The 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
