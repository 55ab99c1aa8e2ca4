import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { cli, fakeHost, outputUntil } from './cli-fakes.js';
import {
  block,
  type ControlServer,
  formatHostEvent,
  formatJailStatus,
  formatJson,
  inline,
  jsonSafe,
  listenControl,
} from './cli-modules.js';
import { ESCAPES, FORGED } from './fixtures/plugins/hostile-text.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(root, 'dist/cli.js');
const HOSTILE = fileURLToPath(new URL('./fixtures/plugins/hostile-text.js', import.meta.url));

/** What a terminal acts on, besides the line feed and tab the CLI writes itself. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Lines the host writes at the left margin start with one of these; a plugin's text never does. */
const forgedLines = (text: string) => text.split('\n').filter((line) => line.startsWith(FORGED));

describe('cli: plugin text cannot drive the terminal or forge host lines', () => {
  it('inline() escapes every control character; block() keeps line breaks, indented; jsonSafe() stays JSON', () => {
    expect(inline('a\tb\nc\r\u001b[2J\u009b\u202e\u2028é')).to.equal('a\\tb\\nc\\r\\u001b[2J\\u009b\\u202e\\u2028é');
    expect(block(`boom\r\n${FORGED}\n\n`)).to.equal(`boom\n  ${FORGED}`);
    expect(block('a\u0007\tb\rc')).to.equal('a\\u0007\tb\\rc');
    const value = { s: `\u007f\u0085\u202e\u2029${ESCAPES}` };
    const json = jsonSafe(JSON.stringify(value, null, 2));
    expect(json).to.not.match(RAW_CONTROL);
    expect(JSON.parse(json)).to.deep.equal(value);
  });

  it('host event lines escape a plugin’s controls and indent its extra lines', () => {
    const error = formatHostEvent('error', [new Error(`boom${ESCAPES}\n${FORGED}`), 'web']);
    expect(error).to.equal(`jailthread: web error: Error: boom${inline(ESCAPES)}\n  ${FORGED}\n`);
    const crash = formatHostEvent('crash', [
      { plugin: 'web', reason: `exit code 1\n${FORGED}`, exitReason: 'exit', error: new Error(ESCAPES) },
    ]);
    expect(forgedLines(crash)).to.deep.equal([]);
    expect(crash).to.not.match(RAW_CONTROL);
    // A megabyte of escapes is cut before it is escaped: the line stays short, and cheap to make.
    const huge = formatHostEvent('error', [new Error('\u001b'.repeat(1024 * 1024)), 'web']);
    expect(huge.length).to.be.below(8192 * 6 + 100);
    expect(huge).to.match(/\.\.\. \(\d+ more characters\)\n$/);
  });

  it('status tables and JSON show a plugin’s escapes instead of sending them', () => {
    const row = {
      name: 'web',
      state: 'running' as const,
      pid: 1,
      restarts: 0,
      uptime: 1000,
      memory: null,
      lastExit: `exit\n${FORGED}${ESCAPES}`,
    };
    const tree = formatJailStatus({ ...row, status: { note: `${ESCAPES}\n${FORGED}` } });
    expect(tree).to.not.match(RAW_CONTROL);
    expect(forgedLines(tree)).to.deep.equal([]);
    expect(tree.split('\n')).to.have.length(9); // head, seven rows, and the final newline
    const fail2ban = formatJailStatus({
      ...row,
      status: {
        filter: { currentlyFailed: 0, totalFailed: 0, fileList: [`/a\n${FORGED}`] },
        actions: { currentlyBanned: 1, totalBanned: 1, bannedIPList: [`1.2.3.4${ESCAPES}`] },
      },
    });
    expect(fail2ban).to.not.match(RAW_CONTROL);
    expect(forgedLines(fail2ban)).to.deep.equal([]);
    expect(fail2ban).to.contain(`Banned IP list:\t1.2.3.4${inline(ESCAPES)}\n`);
    expect(formatJson({ note: ESCAPES })).to.not.match(RAW_CONTROL);
  });

  it('an error answered by the host is printed escaped, its extra lines indented', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-term-'));
    const socket = path.join(dir, 'control.sock');
    const host = fakeHost(['web']);
    host.restart = async () => {
      throw new Error(`restart failed${ESCAPES}\n${FORGED}`);
    };
    let server: ControlServer | undefined;
    try {
      server = await listenControl(socket, (request) => {
        if (request.command === 'restart') return host.restart(request.name);
        return undefined;
      });
      const result = await cli(['restart', 'web', '--socket', socket]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(`jailthread restart: restart failed${inline(ESCAPES)}\n  ${FORGED}\n`);
    } finally {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('end to end: `jailthread run` and `status` escape a hostile plugin’s output, status and error', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-term-'));
    const socket = path.join(dir, 'control.sock');
    const config = path.join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        socket,
        plugins: [
          { name: 'liar', module: HOSTILE, options: { args: ['status'] }, sandbox: { read: [root] } },
          {
            name: 'thrower',
            module: HOSTILE,
            options: { args: ['throw'] },
            restart: 'never',
            sandbox: { read: [root] },
          },
        ],
      }),
    );
    const host = execaNode(CLI, ['run', config], { reject: false });
    try {
      await Promise.all([
        outputUntil(host.stderr, /thrower given up/),
        outputUntil(host.stdout, /\[liar\][\s\S]*pwned/),
      ]);
      const status = await execaNode(CLI, ['status', 'liar', '--socket', socket], { reject: false });
      expect(status.exitCode, status.stderr).to.equal(0);
      expect(status.stdout).to.not.match(RAW_CONTROL);
      expect(status.stdout).to.contain(inline(ESCAPES));
      expect(forgedLines(status.stdout)).to.deep.equal([]);
      expect((await execaNode(CLI, ['stop', '--socket', socket], { reject: false })).exitCode).to.equal(0);
      const result = await host;
      expect(result.exitCode, result.stderr).to.equal(0);
      for (const output of [result.stdout, result.stderr]) {
        expect(output).to.not.match(RAW_CONTROL);
        expect(forgedLines(output)).to.deep.equal([]);
      }
      expect(result.stdout).to.contain(`[liar] \\r${FORGED}${inline(ESCAPES)}`);
      expect(result.stderr).to.contain(`jailthread: thrower error: Error: boom${inline(ESCAPES)}\n  ${FORGED}\n`);
    } finally {
      host.kill('SIGKILL');
      await host;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
