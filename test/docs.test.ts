import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { anchors, type DocBlock, isConfig, isHost, namedBlocks, relativeLinks } from './docs-blocks.js';
import { freshApp, packed, root, sh, tsc } from './packed-app.js';

const documents = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(path.join(root, 'docs')).map((file) => `docs/${file}`),
].filter((doc) => doc.endsWith('.md'));
const blocksOf = new Map(documents.map((doc) => [doc, namedBlocks(doc, readFileSync(path.join(root, doc), 'utf8'))]));

const compiled = (file: string) =>
  file
    .replace(/\.ts$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');

/** Runs `jailthread run CONFIG` from another folder until every plugin runs, then stops it: it must exit 0. */
async function runConfig(app: string, config: string, elsewhere: string): Promise<void> {
  const cli = path.join(app, 'node_modules/.bin/jailthread');
  const socket = path.join(path.dirname(config), 'control.sock');
  const { NODE_V8_COVERAGE: _, ...env } = process.env;
  const host = execa(cli, ['run', config, '--socket', socket], {
    cwd: elsewhere,
    env,
    extendEnv: false,
    reject: false,
  });
  try {
    const deadline = performance.now() + 30_000;
    let last = '';
    for (;;) {
      const status = await execa(cli, ['status', '--json', '--socket', socket], {
        env,
        extendEnv: false,
        reject: false,
      });
      last = `${status.stdout}${status.stderr}`;
      const rows = status.exitCode === 0 ? (JSON.parse(status.stdout) as { state: string }[]) : [];
      if (rows.length > 0 && rows.every((row) => row.state === 'running' || row.state === 'idle')) break;
      if (host.exitCode !== null || performance.now() > deadline) {
        host.kill('SIGKILL');
        const ended = await host;
        throw new Error(`${config}: the plugins never all ran; last status: ${last}\n${ended.stderr}`);
      }
      // The host has no message to wait for: a deadline bounds the polling instead.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await execa(cli, ['stop', '--socket', socket], { env, extendEnv: false });
    const ended = await host;
    expect(ended.exitCode, `jailthread run ${config}:\n${ended.stderr}`).to.equal(0);
  } finally {
    host.kill('SIGKILL');
  }
}

// Docs as tests: every code block that names its file is written to a folder of
// its document in a fresh app with the packed package, the TypeScript ones are
// compiled with `tsc --init`'s settings, and the hosts and configs are run from
// another folder (so a path that depends on the working directory fails).
describe('the documentation’s examples, as a user runs them', function () {
  this.timeout(180_000);
  let app: string;

  before(async () => {
    app = await freshApp('docs');
  });

  it('names files in the README and the docs, among them hosts to run', () => {
    const all = [...blocksOf.values()].flat();
    expect(blocksOf.get('README.md')?.length, 'README.md').to.be.above(2);
    expect(all.filter((block) => isHost(block.file)).length).to.be.above(5);
  });

  it('links: every relative link reaches a file, and its #anchor a heading there', () => {
    const broken: string[] = [];
    for (const doc of documents) {
      for (const target of relativeLinks(readFileSync(path.join(root, doc), 'utf8'))) {
        const [file = '', anchor] = target.split('#');
        const resolved = file === '' ? path.join(root, doc) : path.join(root, path.dirname(doc), file);
        if (!existsSync(resolved)) broken.push(`${doc}: ${target} (no such file)`);
        else if (anchor !== undefined && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${doc}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).to.deep.equal([]);
  });

  for (const [doc, blocks] of blocksOf) {
    if (blocks.length === 0) continue;
    it(`${doc}: ${blocks.length} blocks compile, and its hosts and configs run`, async () => {
      const folder = path.join(app, doc.replace(/\.md$/, '').replaceAll('/', '-'));
      const seen = new Map<string, DocBlock>();
      for (const block of blocks) {
        const earlier = seen.get(block.file);
        if (earlier !== undefined) {
          throw new Error(
            `${doc}:${block.line} names ${block.file}, as line ${earlier.line} does; name each file once`,
          );
        }
        seen.set(block.file, block);
        await mkdir(path.dirname(path.join(folder, block.file)), { recursive: true });
        await writeFile(path.join(folder, block.file), block.text);
      }
      if (blocks.some((block) => /\.[mc]?ts$/.test(block.file))) {
        // A document that shows its own settings (await using's, say) is compiled with them.
        if (!seen.has('tsconfig.json')) {
          await writeFile(path.join(folder, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json' }));
        }
        await sh(folder, process.execPath, [tsc, '-p', '.']);
      }
      const { dir: elsewhere } = await packed();
      for (const block of blocks) {
        const file = path.join(folder, compiled(block.file));
        if (isHost(block.file)) {
          const { NODE_V8_COVERAGE: _, ...env } = process.env;
          const ran = await execa(process.execPath, [file], {
            cwd: elsewhere,
            env,
            extendEnv: false,
            reject: false,
            timeout: 60_000,
          });
          expect(ran.exitCode, `${doc}:${block.line} ${block.file}:\n${ran.stdout}\n${ran.stderr}`).to.equal(0);
        } else if (isConfig(block)) {
          await runConfig(app, file, elsewhere);
        }
      }
    });
  }
});
