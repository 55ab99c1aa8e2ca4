import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { cli } from './cli-fakes.js';

describe('cli: --version', () => {
  it("--version and -V print the package's version on stdout and exit 0", async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(version).to.match(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V', '--socket=/x --version']) {
      expect(await cli(flag.split(' ')), flag).to.deep.equal({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('is an option of the program, not of a command; --help lists it', async () => {
    const result = await cli(['status', '--version']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain("unknown option '--version'");
    expect((await cli(['--help'])).stdout).to.match(/^ {2}-V, --version {3}print jailthread's version$/m);
  });
});
