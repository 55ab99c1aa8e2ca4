import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { PluginHost, type PluginHostEvents } from 'jailthread';
import { eventWhere, fixture, hostScript, isGone, quiet, trackHost } from './helpers.js';

type StateChange = PluginHostEvents['state'][0];

/** A host with one steady plugin, started. */
async function steadyHost() {
  const host = trackHost(new PluginHost({ logger: quiet })).add({ name: 'steady', module: fixture('plugins/steady') });
  await host.start();
  return host;
}

/** Whether `pid` runs Node (not the orphan watcher's shell); false once it is gone. */
const isNode = (pid: number): boolean => {
  try {
    return !isGone(pid) && readlinkSync(`/proc/${pid}/exe`) === process.execPath;
  } catch {
    return false;
  }
};

/** This process's live Node children (a plugin names its process after itself, so its command line says little). */
const children = (): number[] =>
  readdirSync('/proc/self/task')
    .flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter(Boolean)
    .map(Number)
    .filter(isNode);

/** The processes this test process runs, besides those it ran before. */
const newWorkers = (before: number[]) => children().filter((pid) => !before.includes(pid));

describe('plugin host: concurrent operations on a plugin', () => {
  it('stop() while a plugin is still starting ends it, and no further plugin starts', async () => {
    const before = children();
    let loading: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => {
      loading = resolve;
    });
    const host = trackHost(
      new PluginHost({
        logger: ({ line }) => {
          if (line === 'loading') loading();
        },
      }),
    )
      .add({ name: 'slow', module: fixture('plugins/hangs-loading'), shutdownTimeout: 1 })
      .add({ name: 'steady', module: fixture('plugins/steady') });
    const started = host.start();
    await loaded;
    await host.stop();
    await started;
    const rows = await host.status();
    expect(rows.map((row) => [row.name, row.state])).to.deep.equal([
      ['slow', 'stopped'],
      ['steady', 'stopped'],
    ]);
    expect(rows[1]?.pid, 'steady never started').to.equal(null);
    expect(isGone(rows[0]?.pid as number)).to.equal(true);
    expect(newWorkers(before)).to.deep.equal([]);
  });

  it('a host stopped during start() exits by itself, without starting the next plugin', async () => {
    const result = await execaNode(hostScript('stop-while-starting'), { reject: false, lines: true });
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.include.members(['[slow] loading', 'host stopped', 'start returned']);
    expect(result.stdout.join('\n')).to.not.include('[steady]');
  });

  it('restart() five times at once leaves one process, which status() shows and stop() ends', async () => {
    const host = await steadyHost();
    const before = children();
    const [old] = await host.status();
    await Promise.all(Array.from({ length: 5 }, () => host.restart('steady')));
    const [row] = await host.status();
    expect(row).to.include({ state: 'running', restarts: 1 });
    expect(row?.pid).to.not.equal(old?.pid);
    expect(newWorkers(before)).to.deep.equal([row?.pid]);
    await host.stop();
    expect(newWorkers(before)).to.deep.equal([]);
  });

  it('a restart() asked while another one runs follows it: two restarts, one process', async () => {
    const host = await steadyHost();
    const before = children();
    const first = host.restart('steady');
    await eventWhere(host, 'state', (change: StateChange) => change.to === 'starting');
    const second = host.restart('steady');
    await Promise.all([first, second]);
    const [row] = await host.status();
    expect(row).to.include({ state: 'running', restarts: 2 });
    expect(newWorkers(before)).to.deep.equal([row?.pid]);
  });

  it('restart(), stop() and start() in quick succession end running', async () => {
    const host = await steadyHost();
    const before = children();
    await Promise.all([host.restart('steady'), host.stop('steady'), host.start()]);
    const [row] = await host.status();
    expect(row?.state).to.equal('running');
    expect(newWorkers(before)).to.deep.equal([row?.pid]);
  });

  it('stop() wins over a restart() under way: the plugin ends stopped, with no process', async () => {
    const host = await steadyHost();
    const before = children();
    const [old] = await host.status();
    const restarted = host.restart('steady');
    await eventWhere(host, 'state', (change: StateChange) => change.to === 'stopping');
    await host.stop('steady');
    await restarted;
    const [row] = await host.status();
    expect(row?.state).to.equal('stopped');
    expect(isGone(old?.pid as number)).to.equal(true);
    expect(newWorkers(before)).to.deep.equal([]);
  });

  it('every change of state is one event, in order', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'steady',
      module: fixture('plugins/steady'),
    });
    const changes: string[] = [];
    host.on('state', ({ from, to }) => changes.push(`${from}>${to}`));
    await host.start();
    await host.restart('steady');
    await host.stop();
    expect(changes).to.deep.equal([
      'stopped>starting',
      'starting>running',
      'running>stopping',
      'stopping>starting',
      'starting>running',
      'running>stopping',
      'stopping>stopped',
    ]);
  });
});
