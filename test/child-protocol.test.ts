import { fork } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { fixture } from './helpers.js';

// The host never sends a bad frame through the public API, so this test
// plays the host by hand against the worker entry the package ships.
const ENTRY = new URL('./worker-entry.js', import.meta.resolve('jailthread'));

describe('child protocol: frames from the host are validated too', () => {
  it('ignores frames outside the protocol with a ProtocolError line, then starts on a valid init', async () => {
    const child = fork(ENTRY, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    after(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.send({ t: 'launch' });
    child.send({ t: 'status', id: 'one' });
    const started = once(child, 'message');
    child.send({
      t: 'init',
      module: fixture('ticker').href,
      className: 'Ticker',
      options: {},
      args: [],
      state: { name: 'by-hand', daemon: false, idle: false, sleeptime: 60_000, active: true, stopTimeout: 5000 },
    });
    expect((await started)[0]).to.deep.equal({ t: 'started' });
    child.send({ t: 'init', module: 'again', options: {}, args: [], state: {} });
    const closed = once(child, 'close');
    child.send({ t: 'set', active: false });
    expect(await closed).to.deep.equal([0, null]);
    const lines = stderr.match(/ProtocolError: .*/g) ?? [];
    expect(lines).to.have.length(3);
    expect(lines[0]).to.match(/received a frame from the host outside the protocol \(t: invalid_union/);
    expect(lines[1]).to.match(/id: invalid_type \(expected number\)/);
    expect(lines[2]).to.match(/thread "by-hand" .* received a frame from the host outside the protocol/);
  });
});
