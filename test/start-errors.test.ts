import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { JailThread, ThreadStartError } from 'jailthread';
import CtorThrows from './fixtures/ctor-throws.js';
import { captureStderr, fixture, isGone, track } from './helpers.js';

/** Starts the thread, expects ThreadStartError, and checks that its child is gone. */
async function startFails(thread: JailThread<unknown>): Promise<ThreadStartError> {
  track(thread);
  const error = await thread.start().catch((e: unknown) => e);
  expect(error).to.be.instanceOf(ThreadStartError);
  expect((error as ThreadStartError).code).to.equal('ERR_THREAD_START');
  expect(thread.isAlive()).to.equal(false);
  expect(thread.active).to.equal(false);
  expect(isGone(thread.ident as number), 'nothing is left running').to.equal(true);
  return error as ThreadStartError;
}

describe('start errors: ThreadStartError carries the child’s error', () => {
  it('a module that does not exist', async () => {
    const error = await startFails(JailThread.fromModule(fixture('no-such-module'), { name: 'ghost' }));
    expect(error.message).to.match(/start\(\) of thread "ghost" \(pid \d+\): the child could not start the thread/);
    expect((error.cause as Error & { code: string }).code).to.equal('ERR_MODULE_NOT_FOUND');
  });

  it('a module that throws at import', async () => {
    const error = await startFails(JailThread.fromModule(fixture('import-throws')));
    const cause = error.cause as Error;
    expect(cause).to.be.instanceOf(SyntaxError);
    expect(cause.message).to.equal('module refuses to load');
    expect(cause.stack).to.contain('import-throws.js');
  });

  it('a module with a syntax error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jailthread-'));
    const file = path.join(dir, 'broken.js');
    await writeFile(file, 'export default class {\n');
    const error = await startFails(JailThread.fromModule(file));
    const cause = error.cause as Error;
    expect(cause).to.be.instanceOf(SyntaxError);
    expect(error.message).to.match(/could not start the thread from file:\/\/.*\/broken\.js: SyntaxError: /);
    await rm(dir, { recursive: true });
  });

  it('a missing export names the exports there are', async () => {
    const error = await startFails(JailThread.fromModule(fixture('not-a-thread'), { export: 'Missing' }));
    expect((error.cause as Error).message).to.match(/has no export "Missing" \(its exports: default, value\)/);
  });

  it('an export that is not a JailThread subclass', async () => {
    for (const name of ['default', 'value']) {
      const error = await startFails(JailThread.fromModule(fixture('not-a-thread'), { export: name }));
      expect((error.cause as Error).message).to.match(/is not a JailThread subclass/);
    }
  });

  it('a constructor that throws in the child', async () => {
    const error = await startFails(new CtorThrows());
    const cause = error.cause as Error;
    expect(cause).to.be.instanceOf(RangeError);
    expect(cause.message).to.equal('bad constructor input');
    expect(cause.stack).to.contain('ctor-throws.js');
  });

  it('a child that dies before it can send a frame: its stderr says why (a Node flag this Node refuses)', async () => {
    // Node's complaint is the child's stderr, which the host passes on: kept off the test report.
    const stderr = captureStderr();
    const error = await startFails(
      JailThread.fromModule(fixture('echo'), { name: 'flagged', execArgv: ['--no-such-jailthread-flag'] }),
    ).finally(() => stderr.restore());
    expect(stderr.text()).to.contain('bad option: --no-such-jailthread-flag');
    expect(error.message).to.match(
      /before run\(\) began\.\nIts stderr ended with:\n {2}.*bad option: --no-such-jailthread-flag/,
    );
  });

  it('a working directory that does not exist fails before any child runs, naming the folder', async () => {
    const thread = track(new CtorThrows({ cwd: '/nonexistent/jailthread' }));
    const error = (await thread.start().catch((e: unknown) => e)) as ThreadStartError;
    expect(error).to.be.instanceOf(ThreadStartError);
    expect(String((error.cause as Error).message)).to.match(/ENOENT/);
    // The folder, not Node, is named: Node's own words were `spawn /usr/bin/node ENOENT`.
    expect(error.message).to.contain('the working directory /nonexistent/jailthread does not exist (ENOENT)');
    expect((error.cause as NodeJS.ErrnoException).code).to.equal('ENOENT');
    expect(thread.isAlive()).to.equal(false);
  });
});
