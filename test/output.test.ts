import { expect } from 'chai';
import { execaNode } from 'execa';
import { hostScript } from './helpers.js';

describe('output: a child’s stdout and stderr', () => {
  it('50 MB to stdout and stderr reach the host’s, neither blocked nor killed', async () => {
    const host = await execaNode(hostScript('chatty'), ['25', 'inherit'], {
      maxBuffer: 100 * 2 ** 20,
      stripFinalNewline: false,
    });
    expect(host.stdout.length).to.equal(25 * 2 ** 20 + 'partial line'.length + '\nended: exit 0\n'.length);
    expect(host.stderr.length).to.equal(25 * 2 ** 20);
    expect(host.stdout).to.match(/\nended: exit 0\n$/);
  });

  it('with output: prefix, every line starts with the thread’s name', async () => {
    const host = await execaNode(hostScript('chatty'), ['1', 'prefix'], { stripFinalNewline: false });
    const out = host.stdout.split('\n');
    const err = host.stderr.split('\n');
    const full = `[chatty] ${'y'.repeat(1023)}`;
    expect(out.slice(0, 1024).every((line) => line === full)).to.equal(true);
    expect(out[1024], 'a last line without newline is flushed at exit').to.equal('[chatty] partial line');
    expect(err.pop()).to.equal('');
    expect(err).to.have.length(1024);
    expect(err.every((line) => line === full)).to.equal(true);
  });
});
