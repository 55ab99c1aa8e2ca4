import { expect } from 'chai';
import { JailThreadError, PluginHost } from 'jailthread';
import { eventWhere, fixture, isGone, quiet, trackHost } from './helpers.js';

// The same race from the command line, \`jailthread stop\` and \`jailthread restart x\`, is in
// cli-stop-while-starting.test.ts, beside the other stops of a running host.
describe('plugin host: the stop of every plugin wins', () => {
  it('restart(), setIdle(), add() and start() asked during it are refused, naming the stop; start() after it opens the host', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({ name: 'x', module: fixture('plugins/steady') });
    await host.start();
    const pid = (await host.status())[0]?.pid as number;
    const stopping = host.stop();
    const refused = await host.restart('x').catch((error: Error) => error);
    expect(refused).to.be.instanceOf(JailThreadError);
    expect((refused as Error).message).to.match(
      /^host\.restart\("x"\): refused: the host is stopping every plugin \(stop\(\) was called\)/,
    );
    expect(() => host.setIdle('x', true)).to.throw(
      JailThreadError,
      /setIdle\("x", true\): refused: the host is stopping/,
    );
    expect(() => host.add({ name: 'y', module: fixture('plugins/steady') })).to.throw(JailThreadError, /refused/);
    expect(await host.start().catch((error: Error) => error)).to.be.instanceOf(JailThreadError);
    await stopping;
    expect(isGone(pid)).to.equal(true);
    expect((await host.status())[0]).to.include({ state: 'stopped' });
    expect(await host.restart('x').catch((error: Error) => error))
      .to.be.instanceOf(JailThreadError)
      .with.property('message')
      .that.includes('has stopped every plugin');
    const running = eventWhere(host, 'state', (event) => event.to === 'running');
    await host.start();
    await running;
    await host.restart('x');
    expect((await host.status())[0]).to.include({ state: 'running' });
  });
});
