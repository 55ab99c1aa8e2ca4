import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstat, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { CliError, type ControlServer, listenControl, NoHostError, request } from './cli-modules.js';

/** Sends raw text on a fresh connection and resolves with everything the server writes back. */
async function raw(socketPath: string, text: string, end = false): Promise<string> {
  const socket = connect(socketPath);
  socket.setEncoding('utf8');
  let answer = '';
  socket.on('data', (chunk: string) => {
    answer += chunk;
  });
  await once(socket, 'connect');
  if (end) socket.end(text);
  else socket.write(text);
  await once(socket, 'close');
  return answer;
}

/** A host that dies by SIGKILL right after it listens leaves its socket file behind. */
async function leaveStaleSocket(path: string): Promise<void> {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  await once(spawn(process.execPath, ['-e', script], { stdio: 'ignore' }), 'exit');
}

describe('cli control socket', () => {
  let dir: string;
  let socketPath: string;
  const servers: ControlServer[] = [];
  const others: Server[] = [];
  const listen = async (...args: Parameters<typeof listenControl>) => {
    const server = await listenControl(...args);
    servers.push(server);
    return server;
  };
  const echo = (request: unknown) => ({ echoed: request });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-ctl-'));
    socketPath = path.join(dir, 'control.sock');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(others.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the socket with mode 0600, answers requests, and removes the socket on close', async () => {
    const server = await listen(socketPath, echo);
    const stats = await lstat(socketPath);
    expect(stats.isSocket()).to.equal(true);
    expect(stats.mode & 0o777).to.equal(0o600);
    expect(await request(socketPath, { command: 'status', name: 'sshd' })).to.deep.equal({
      echoed: { command: 'status', name: 'sshd' },
    });
    await server.close();
    await server.close();
    expect(await lstat(socketPath).catch(() => undefined)).to.equal(undefined);
  });

  it('returns a thrown error to the client as its message', async () => {
    await listen(socketPath, () => {
      throw new Error("unknown jail 'x'; valid names: a, b");
    });
    const error = (await request(socketPath, { command: 'restart', name: 'x' }).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.equal("unknown jail 'x'; valid names: a, b");
  });

  it('answers malformed requests with an error and keeps serving', async () => {
    const calls: unknown[] = [];
    await listen(socketPath, (request) => calls.push(request));
    expect(JSON.parse(await raw(socketPath, 'not json\n'))).to.deep.equal({
      ok: false,
      error: 'control request is not JSON; send one line, e.g. {"command":"status"}',
    });
    const unknown = JSON.parse(await raw(socketPath, '{"command":"fly"}\n'));
    expect(unknown.ok).to.equal(false);
    expect(unknown.error).to.match(/^control request is not a valid 'fly' request; send one of \{"command":"ping"\}/);
    const extra = JSON.parse(await raw(socketPath, '{"command":"idle","name":"a","idle":"yes"}\n'));
    expect(extra.error).to.match(/not a valid 'idle' request/);
    expect(JSON.parse(await raw(socketPath, '[1]\n')).error).to.match(/is not a JSON object/);
    expect(calls).to.deep.equal([]);
    expect(JSON.parse(await raw(socketPath, '{"command":"ping"}', true))).to.deep.equal({ ok: true, result: 1 });
  });

  it('replaces a stale socket left by a host that died', async () => {
    await leaveStaleSocket(socketPath);
    expect((await lstat(socketPath)).isSocket(), 'the dead host left its socket').to.equal(true);
    await listen(socketPath, () => 'fresh');
    expect(await request(socketPath, { command: 'ping' })).to.equal('fresh');
  });

  it('refuses to start while another host answers on the path, naming its pid', async () => {
    await listen(socketPath, () => ({ pid: 4321 }));
    const error = (await listenControl(socketPath, echo).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.equal(
      `another jailthread host is running on ${socketPath} (pid 4321); stop it with \`jailthread stop --socket ${socketPath}\`, or choose another path with --socket PATH`,
    );
    expect(await request(socketPath, { command: 'ping' }), 'the first host still serves').to.deep.equal({ pid: 4321 });
  });

  it('refuses a path that is not a socket, or another program’s socket, and leaves it alone', async () => {
    await writeFile(socketPath, 'precious');
    const file = (await listenControl(socketPath, echo).catch((e: unknown) => e)) as Error;
    expect(file.message).to.equal(
      `${socketPath} exists and is not a socket; remove it if it is yours, or choose another path with --socket PATH`,
    );
    expect(await readFile(socketPath, 'utf8')).to.equal('precious');
    await rm(socketPath);

    // resume(): a socket nobody reads never sees its peer leave, and would hold close() up.
    const foreign = createServer((socket) => socket.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    others.push(foreign);
    await new Promise<void>((resolve) => foreign.listen(socketPath, resolve));
    const error = (await listenControl(socketPath, echo).catch((e: unknown) => e)) as Error;
    expect(error.message).to.match(/^something is listening on .* but does not answer as a jailthread host/);
    expect((await stat(socketPath)).isSocket()).to.equal(true);
  });

  it('close() lets an answer being computed reach its client', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived!: () => void;
    const handling = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await listen(socketPath, async () => {
      arrived();
      await released;
      return 'late but delivered';
    });
    const answer = request(socketPath, { command: 'stop' });
    await handling;
    const closed = server.close();
    release();
    expect(await answer).to.equal('late but delivered');
    await closed;
  });

  it('close() drops connections that never sent a request', async () => {
    const server = await listen(socketPath, echo);
    const idle = connect(socketPath);
    let received = '';
    idle.on('data', (chunk: Buffer) => {
      received += chunk;
    });
    await once(idle, 'connect');
    const ended = once(idle, 'close');
    await server.close();
    await ended;
    // Dropped, not answered: a connection that asked nothing gets nothing, not even an error line.
    expect(received).to.equal('');
    expect(idle.destroyed).to.equal(true);
  });

  it('the client says no host runs when there is no socket file or only a stale one', async () => {
    const message = `no jailthread host is running on ${socketPath}; start one with \`jailthread run CONFIG\``;
    const missing = (await request(socketPath, { command: 'status' }).catch((e: unknown) => e)) as Error;
    expect(missing).to.be.instanceOf(NoHostError);
    expect(missing.message).to.equal(message);

    await leaveStaleSocket(socketPath);
    const stale = (await request(socketPath, { command: 'status' }).catch((e: unknown) => e)) as Error;
    expect(stale).to.be.instanceOf(NoHostError);
    expect(stale.message).to.equal(message);
  });

  it('the client gives up after its timeout when the host does not answer', async () => {
    const silent = createServer((socket) => socket.resume());
    others.push(silent);
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve));
    const error = (await request(socketPath, { command: 'status' }, { timeout: 50 }).catch((e: unknown) => e)) as Error;
    expect(error.message).to.match(/did not answer 'status' within 50 ms/);
  });
});
