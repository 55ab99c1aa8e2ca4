import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { JailThread } from 'jailthread';
import OptionsEcho from './fixtures/options-echo.js';
import { fixture, track } from './helpers.js';

type Echoed = { received: [Record<string, unknown>, unknown[]] } & Record<string, unknown>;

describe('options: what reaches the child', () => {
  it('the constructor options and extra arguments reach the child’s constructor', async () => {
    const thread = track(new OptionsEcho({ name: 'args', args: [1, { two: 2 }] }));
    await thread.start();
    const { received } = (await thread.getStatus()) as Echoed;
    expect(received[0]).to.deep.equal({ name: 'args' });
    expect(received[1]).to.deep.equal([1, { two: 2 }]);
    await thread.stop();
  });

  it('extra arguments after the options are the same as options.args', async () => {
    const thread = track(new OptionsEcho({ name: 'positional' }, 'a', 'b'));
    await thread.start();
    const { received } = (await thread.getStatus()) as Echoed;
    expect(received[1]).to.deep.equal(['a', 'b']);
    await thread.stop();
  });

  it('fromModule() passes its options, less `export`, and the host never imports the module', async () => {
    const thread = track(
      JailThread.fromModule(fixture('options-echo'), { name: 'plugin', idle: true, args: ['x'], export: 'default' }),
    );
    await thread.start();
    const status = (await thread.getStatus()) as Echoed;
    expect(status.received).to.deep.equal([{ name: 'plugin', idle: true }, ['x']]);
    expect(status.idle).to.equal(true);
    await thread.stop();
  });

  it('env adds to the host’s environment; cwd, execArgv and the heap limit apply', async () => {
    const thread = track(
      new OptionsEcho({
        env: { JAILTHREAD_TEST_VAR: 'set' },
        cwd: pathToFileURL(tmpdir()),
        execArgv: ['--no-warnings', '--inspect-port', '9999', '--inspect=0'],
        maxOldGenerationSizeMb: 64,
      }),
    );
    await thread.start();
    const status = (await thread.getStatus()) as Echoed;
    expect(status.env).to.equal('set');
    expect(status.cwd).to.equal(tmpdir());
    expect(status.execArgv, 'debugger flags are dropped').to.deep.equal(['--no-warnings', '--max-old-space-size=64']);
    // V8's heap_size_limit adds the young generation, which differs by line (112 MiB on 20 and 22, 256 on
    // 24, 160 on 26 for 64 of old space); the default is gigabytes on every line.
    expect(status.heapLimitMb, '64 MiB of old space plus the young generation, not the default').to.be.below(512);
    await thread.stop();
  });

  it('bad options throw at the constructor, naming the option and the fix', () => {
    const make =
      (options: unknown, ...args: unknown[]) =>
      () =>
        new OptionsEcho(options as Record<string, never>, ...args);
    expect(make(null)).to.throw(TypeError, /options must be an object/);
    expect(make({ name: 'x', idle: 'no' })).to.throw(TypeError, /new JailThread\(\{ idle \}\) of thread "x"/);
    expect(make({ sleeptime: -1 })).to.throw(RangeError);
    expect(make({ stopTimeout: Number.NaN })).to.throw(RangeError, /stopTimeout/);
    expect(make({ execArgv: '--foo' })).to.throw(TypeError, /execArgv/);
    expect(make({ env: { A: 1 } })).to.throw(TypeError, /env/);
    expect(make({ cwd: 5 })).to.throw(TypeError, /cwd/);
    expect(make({ maxOldGenerationSizeMb: 0 })).to.throw(RangeError, /at least 1/);
    expect(make({ args: 'a' })).to.throw(TypeError, /args/);
    expect(make({ args: [1] }, 2)).to.throw(TypeError, /not both/);
    expect(make({ args: [() => 1] })).to.throw(TypeError, /structured clone/);
    expect(() => JailThread.fromModule(5 as unknown as string)).to.throw(TypeError, /fromModule\(url\)/);
  });
});
