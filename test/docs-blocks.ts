// Code blocks of the documentation that name their file, as test/docs.test.ts
// extracts them (the convention is in CONTRIBUTING.md).

/** One code block that names its file. */
export interface DocBlock {
  /** The document it is in, relative to the repository, e.g. `docs/sandbox.md`. */
  doc: string;
  /** Its 1-based line in the document, where the fence opens. */
  line: number;
  /** Where the block's text goes, relative to the document's app folder. */
  file: string;
  text: string;
}

// `// host.ts` or `// plugins/contract.ts: the calls, both ways` as the first line.
const FIRST_LINE = /^\/\/ ([\w./-]+\.(?:ts|mts|cts|js|mjs|cjs))(?::.*)?$/;
// ```json file=jailthread.json, for languages without comments.
const INFO_FILE = /(?:^|\s)file=([\w./-]+)(?:\s|$)/;

/** The blocks of `markdown` that name their file, in order. */
export function namedBlocks(doc: string, markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const [, fence, info] = open as unknown as [string, string, string];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith(fence); i++) body.push(lines[i] as string);
    const named = INFO_FILE.exec(info)?.[1] ?? FIRST_LINE.exec(body[0] ?? '')?.[1];
    if (named === undefined) continue;
    if (named.startsWith('/') || named.split('/').includes('..')) {
      throw new Error(`${doc}:${start + 1}: the block's file ${named} must be a path inside the example's folder`);
    }
    blocks.push({ doc, line: start + 1, file: named, text: `${body.join('\n')}\n` });
  }
  return blocks;
}

/** Files the test runs once everything compiled: `host.ts`, `host-warm.mjs`, ... at any depth. */
export const isHost = (file: string): boolean => /(^|\/)host[\w.-]*\.(ts|mts|cts|js|mjs|cjs)$/.test(file);

/** A config the test runs with `jailthread run`: a JSON file with a `plugins` list. */
export const isConfig = (block: DocBlock): boolean => block.file.endsWith('.json') && /"plugins"\s*:/.test(block.text);

/** The document without its fenced code blocks, whose text is not Markdown. */
const prose = (markdown: string): string => markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');

/** The targets of the relative links of `markdown` (`docs/sandbox.md#paths`, `#install`), in order. */
export function relativeLinks(markdown: string): string[] {
  const text = prose(markdown).replace(/(`+)[\s\S]*?\1/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The anchors GitHub gives the headings of `markdown`: lower case, punctuation dropped, spaces to '-'. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (heading as string)
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    out.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return out;
}
