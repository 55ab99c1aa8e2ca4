import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';
import { hostScript } from './helpers.js';

describe('flags: the host’s Node flags and its threads', () => {
  it('a host under --inspect starts threads, and they do not get the debugger flag', async () => {
    const host = await execa(process.execPath, ['--inspect=0', fileURLToPath(hostScript('inspected'))]);
    expect(JSON.parse(host.stdout)).to.deep.equal({ host: ['--inspect=0'], child: [] });
    expect(host.stderr.match(/Debugger listening/g), 'only the host opened an inspector').to.have.length(1);
  });

  it('a host run with a loader (--import tsx) passes it on, so threads written in TypeScript run', async () => {
    const source = fileURLToPath(new URL('../../test/tsx/host.ts', import.meta.url));
    // Without coverage: tsx rewrites the modules it loads, so their offsets
    // would be mapped onto the wrong source lines and spoil the merged report.
    const host = await execa(process.execPath, ['--import', 'tsx', source], { env: { NODE_V8_COVERAGE: undefined } });
    expect(host.stdout).to.match(/^typescript ran in pid \d+, --import tsx$/);
  });
});
