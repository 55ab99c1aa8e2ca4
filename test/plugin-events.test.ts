import { expect } from 'chai';
import { PluginHost, ValidationError } from 'jailthread';
import { newsContract } from './fixtures/plugins/news-contract.js';
import { eventWhere, fixture, trackHost } from './helpers.js';

const news = () =>
  trackHost(new PluginHost()).add({
    name: 'news',
    module: fixture('plugins/news'),
    contract: newsContract,
    restart: 'always',
    backoff: { initial: 1 },
    sandbox: false,
  });

/** Resolves with the data of the next `done` event. */
const nextDone = (host: ReturnType<typeof news>) =>
  new Promise<number>((resolve) => {
    const off = host.subscribe('news', 'done', (count) => {
      off();
      resolve(count);
    });
  });

describe('plugin host: published events', () => {
  it("subscribe() gets each event's data as its schema parses it, in the order published, until unsubscribed", async () => {
    const host = news();
    await host.start();
    const hits: { ip: string; at: Date }[] = [];
    const off = host.subscribe('news', 'hit', (hit) => hits.push(hit));
    const done = nextDone(host);
    await host.call('news', 'tell', { count: 3 });
    expect(await done).to.equal(3);
    expect(hits.map((hit) => hit.ip)).to.deep.equal(['10.0.0.0', '10.0.0.1', '10.0.0.2']);
    expect(hits[2]?.at).to.be.instanceOf(Date);
    off();
    const again = nextDone(host);
    await host.call('news', 'tell', { count: 2 });
    expect(await again).to.equal(2);
    expect(hits, 'unsubscribed: no more hits').to.have.length(3);
  });

  it('subscriptions outlive a restart of the plugin', async () => {
    const host = news();
    await host.start();
    const restarted = eventWhere(host, 'restart');
    await host.restart('news');
    await restarted;
    const done = nextDone(host);
    await host.call('news', 'tell', { count: 0 });
    expect(await done).to.equal(0);
  });

  it("a listener that throws, and data failing the host's schema, are the host's 'error' with the plugin's name; the plugin goes on", async () => {
    const host = news();
    await host.start();
    const errors: [Error, string][] = [];
    host.on('error', (error, plugin) => errors.push([error, plugin]));
    host.subscribe('news', 'hit', () => {
      throw new RangeError('listener bug');
    });
    const done = nextDone(host);
    await host.call('news', 'tell', { count: 1 });
    await done;
    expect(errors.map(([error, plugin]) => [error.message, plugin])).to.deep.equal([['listener bug', 'news']]);
    const counts: number[] = [];
    host.subscribe('news', 'done', (count) => counts.push(count));
    const refused = eventWhere(host, 'error', (error) => error instanceof ValidationError);
    await host.call('news', 'lie', undefined);
    expect((await refused).message).to.match(/the data of event "done" published by plugin "news" failed its schema/);
    expect(counts, 'the listener never saw it').to.deep.equal([]);
    expect((await host.status())[0]?.state).to.equal('running');
  });

  it('in the plugin, publish() of an undeclared event is a TypeError, and of bad data a ValidationError, both before it leaves', async () => {
    const host = news();
    await host.start();
    expect(await host.call('news', 'undeclared', undefined)).to.match(
      /^TypeError: publish\("nope"\) of plugin "news": the contract declares no event nope \(its events: hit, done\)/,
    );
    expect(await host.call('news', 'badData', undefined)).to.equal('ValidationError');
  });

  it('subscribe() to an undeclared event, or with a listener that is no function, throws naming the fix', () => {
    const host = news();
    expect(() => host.subscribe('news', 'nope' as 'done', () => undefined)).to.throw(
      TypeError,
      /host\.subscribe\("news", "nope", listener\): the plugin's contract declares no event nope \(its events: hit, done\)/,
    );
    expect(() => host.subscribe('news', 'done', 42 as unknown as () => void)).to.throw(
      TypeError,
      /listener must be a function/,
    );
  });
});
