import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { outputUntil } from './cli-fakes.js';
import {
  CliError,
  type ControlServer,
  DEFAULT_MAX_CONNECTIONS,
  listenControl,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  request,
} from './cli-modules.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(root, 'dist/cli.js');
const STEADY = fileURLToPath(new URL('./fixtures/plugins/steady.js', import.meta.url));

/** A connection whose answer (everything the server writes until it closes) is collected. */
async function open(socketPath: string): Promise<{ socket: Socket; answer: Promise<string> }> {
  const socket = connect(socketPath);
  socket.on('error', () => {});
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  // Not once(): it rejects on 'error', and a host that closes with the client's bytes unread resets the
  // connection (after the answer, which is still read).
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  await once(socket, 'connect');
  return { socket, answer };
}

const errorOf = (answer: string) => (JSON.parse(answer) as { ok: false; error: string }).error;

describe('cli control socket: what one client can make the host spend', function () {
  // Every wait below ends on an answer; a host that never answers fails here, not at mocha's 20 s.
  this.timeout(5000);
  let dir: string;
  let socketPath: string;
  const servers: ControlServer[] = [];
  const clients: Socket[] = [];
  const others: Server[] = [];
  const listen = async (...args: Parameters<typeof listenControl>) => {
    const server = await listenControl(...args);
    servers.push(server);
    return server;
  };
  const client = async () => {
    const opened = await open(socketPath);
    clients.push(opened.socket);
    return opened;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-bounds-'));
    socketPath = path.join(dir, 'control.sock');
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(others.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it(`refuses connections past its limit (${DEFAULT_MAX_CONNECTIONS} by default) with an error answer`, async () => {
    await listen(socketPath, () => 'served');
    // Connections are accepted in the order they arrive: the first ones fill the limit.
    for (let i = 0; i < DEFAULT_MAX_CONNECTIONS; i++) await client();
    const extra = await client();
    expect(errorOf(await extra.answer)).to.equal(
      `the host is serving ${DEFAULT_MAX_CONNECTIONS} control connections already (its limit); try again once they are answered`,
    );
  });

  it('refuses options that bound nothing, naming the call and the option', async () => {
    for (const [options, message] of [
      [{ maxConnections: 0 }, 'listenControl(): options.maxConnections must be a whole number above 0, got 0'],
      [{ timeout: 1.5 }, 'listenControl(): options.timeout must be a whole number above 0, got 1.5'],
    ] as const) {
      const error = (await listenControl(socketPath, () => 1, options).catch((e: unknown) => e)) as Error;
      expect(error).to.be.instanceOf(RangeError);
      expect(error.message).to.equal(message);
    }
  });

  it('`jailthread run` takes the bounds from the config’s "control"', async function () {
    this.timeout(20_000);
    const config = path.join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        socket: socketPath,
        control: { maxConnections: 1, timeout: 60_000 },
        plugins: [{ name: 'steady', module: STEADY, sandbox: { read: [root] } }],
      }),
    );
    const host = execaNode(CLI, ['run', config], { reject: false });
    try {
      await outputUntil(host.stderr, /control socket /);
      await client();
      const refused = await execaNode(CLI, ['status', '--socket', socketPath], { reject: false });
      expect(refused.exitCode).to.equal(1);
      expect(refused.stderr).to.equal(
        'jailthread status: the host is serving 1 control connections already (its limit); try again once they are answered',
      );
    } finally {
      host.kill('SIGTERM');
      await host;
    }
  });

  it('takes maxConnections from its options, and serves again once a connection ends', async () => {
    await listen(socketPath, () => 'served', { maxConnections: 2 });
    const first = await client();
    await client();
    expect(errorOf(await (await client()).answer)).to.match(/serving 2 control connections already/);
    first.socket.destroy();
    // The host learns of the end asynchronously: each try is answered at once, so this loop ends.
    let answer: unknown;
    for (let tries = 0; tries < 1000 && answer === undefined; tries++)
      answer = await request(socketPath, { command: 'ping' }).catch((error: Error) => {
        if (!/already \(its limit\)/.test(error.message)) throw error;
        return undefined;
      });
    expect(answer).to.equal('served');
  });

  it(`answers a request line over ${MAX_REQUEST_BYTES} bytes with an error as soon as it passes the limit`, async () => {
    await listen(socketPath, () => 'served');
    const { socket, answer } = await client();
    socket.write(Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20));
    expect(errorOf(await answer)).to.equal(
      `control request is longer than ${MAX_REQUEST_BYTES} bytes; send one short line`,
    );
    // Exactly the limit is still a request.
    const padded = `{"command":"ping"}`.padEnd(MAX_REQUEST_BYTES, ' ');
    const full = await client();
    full.socket.write(`${padded}\n`);
    expect(JSON.parse(await full.answer)).to.deep.equal({ ok: true, result: 'served' });
  });

  it('reads a request sent one byte per write, a character split across writes included', async () => {
    await listen(socketPath, (request) => request);
    const { socket, answer } = await client();
    for (const byte of Buffer.from('{"command":"status","name":"é"}\n')) socket.write(Buffer.of(byte));
    expect(JSON.parse(await answer)).to.deep.equal({ ok: true, result: { command: 'status', name: 'é' } });
  });

  it('disconnects a client that trickles its request past the timeout, and one that sends nothing', async () => {
    await listen(socketPath, () => 'served', { timeout: 100 });
    const trickler = await client();
    // A byte every 10 ms: an idle timeout would never fire.
    const drip = setInterval(() => trickler.socket.write(' '), 10);
    const silent = await client();
    try {
      const expected = 'control request not received within 100 ms; send the whole line right after connecting';
      expect(errorOf(await trickler.answer)).to.equal(expected);
      expect(errorOf(await silent.answer)).to.equal(expected);
    } finally {
      clearInterval(drip);
    }
  });

  it('drops a client that does not read its answer once the timeout has passed', async () => {
    const big = 'x'.repeat(MAX_RESPONSE_BYTES - 100);
    let asked!: () => void;
    const handled = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const server = await listen(
      socketPath,
      () => {
        asked();
        return big;
      },
      { timeout: 100 },
    );
    const { socket, answer } = await client();
    socket.pause();
    socket.write('{"command":"status"}\n');
    await handled;
    // close() waits for connections being answered: it ends only because the reader was dropped.
    await server.close();
    socket.resume();
    // More than the socket buffers hold: had the host waited for this reader, all of it would arrive.
    const got = await answer;
    expect(got.length, 'the answer was cut off where the host dropped the reader').to.be.below(big.length);
    expect(got.endsWith('}\n')).to.equal(false);
  });

  it('never writes an answer longer than the client reads: it sends an error naming the limit', async () => {
    await listen(socketPath, () => 'x'.repeat(MAX_RESPONSE_BYTES));
    const error = (await request(socketPath, { command: 'ping' }).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.match(
      new RegExp(
        `^the answer to 'ping' is ${MAX_RESPONSE_BYTES + 23} bytes of JSON, over the control socket's limit of ${MAX_RESPONSE_BYTES}`,
      ),
    );
  });

  it('an answer made of holes (a sparse array, gigabytes of JSON) is measured, never expanded, and refused', async () => {
    await listen(socketPath, () => {
      const holes: number[] = [];
      holes[1e9 - 1] = 1;
      return holes;
    });
    const error = (await request(socketPath, { command: 'ping' }).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.match(
      new RegExp(
        `^the answer to 'ping' is more than ${4 * MAX_RESPONSE_BYTES} bytes of JSON, over the control socket's limit of ${MAX_RESPONSE_BYTES}`,
      ),
    );
  });

  it('the client refuses an overlong request before connecting, and an overlong answer as soon as it passes the limit', async () => {
    const long = (await request(socketPath, { command: 'status', name: 'n'.repeat(MAX_REQUEST_BYTES) }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(long.message).to.match(/^the 'status' request is \d+ bytes, over the control socket's limit of 65536/);

    // A peer that streams without end: the client must stop at the limit, not at its timeout.
    const flood = createServer((socket) => {
      socket.on('error', () => {});
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
      };
      socket.on('drain', pump);
      pump();
    });
    others.push(flood);
    await new Promise<void>((resolve) => flood.listen(socketPath, resolve));
    const error = (await request(socketPath, { command: 'status' }, { timeout: 60_000 }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).to.match(new RegExp(`answered with a line over ${MAX_RESPONSE_BYTES} bytes`));
  });
});
