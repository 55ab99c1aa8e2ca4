import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';

const root = fileURLToPath(new URL('../..', import.meta.url));

const ESM_TICKER = `import { JailThread } from 'jailthread';
export default class Ticker extends JailThread {
  async run() { while (this.active) await this.sleep(); }
  status() { return 'ticking'; }
}
`;

const CJS_TICKER = `const { JailThread } = require('jailthread');
module.exports = class Ticker extends JailThread {
  async run() { while (this.active) await this.sleep(); }
  status() { return 'ticking'; }
};
`;

// Says whether its 'jailthread' is the copy the worker entry loaded (beside it in dist/), or a second one.
const COPY_TICKER = `import { JailThread } from 'jailthread';
const mine = import.meta.resolve('jailthread');
const entry = new URL('./index.js', 'file://' + process.argv[1]).href;
export default class Ticker extends JailThread {
  async run() { while (this.active) await this.sleep(); }
  status() { return mine === entry ? 'one copy' : 'two copies: ' + mine + ' and ' + entry; }
}
`;

// Cold and warm, then both stopped: what each layout must get through.
const host = (ticker: string) => `import { JailThread } from 'jailthread';
const module = new URL('./${ticker}', import.meta.url);
const cold = JailThread.fromModule(module, { sleeptime: 60_000 });
await cold.start();
console.log('cold', await cold.getStatus());
await cold.stop();
await JailThread.prewarm(1);
const warm = JailThread.fromModule(module, { sleeptime: 60_000 });
await warm.start();
console.log('warm', await warm.getStatus());
await warm.stop();
await JailThread.prewarm(0);
`;

describe('install layouts: a thread starts however the library reached it', () => {
  let dir: string;
  beforeEach(() => {
    // An app whose node_modules/jailthread is a link to this package, as npm link or pnpm make it.
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-layout-'));
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'jailthread'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(ticker: string, source: string, nodeOptions: string[] = []) {
    writeFileSync(path.join(dir, ticker), source);
    writeFileSync(path.join(dir, 'host.js'), host(ticker));
    return execaNode(path.join(dir, 'host.js'), { cwd: dir, nodeOptions, reject: false });
  }

  it('a CommonJS thread module that require()s the package the worker entry is loading', async () => {
    const result = await run('ticker.cjs', CJS_TICKER);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.equal('cold ticking\nwarm ticking');
    expect(result.exitCode).to.equal(0);
  });

  it('an ES thread module imports the copy of the library its child runs, not a second one through the link', async () => {
    // Node 20's realpathSync stopped short of the link after the child's check of its channel (fd 3 a socket).
    const result = await run('ticker.js', COPY_TICKER);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.equal('cold one copy\nwarm one copy');
    expect(result.exitCode).to.equal(0);
  });

  it('under --preserve-symlinks, where the worker entry and the library have different paths', async () => {
    const result = await run('ticker.js', ESM_TICKER, ['--preserve-symlinks']);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.equal('cold ticking\nwarm ticking');
    expect(result.exitCode).to.equal(0);
  });
});
