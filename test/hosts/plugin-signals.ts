// Hosts one plugin (argv[2] names its fixture) with handleSignals(), prints
// "ready PID" once it runs, "signal" after each SIGINT the host has seen and
// "host stopped" when the stop the signal started is done,
// and forwards the plugin's lines: the test drives it with Ctrl-C.
import { PluginHost } from 'jailthread';

const host = new PluginHost({ logger: ({ line }) => process.stdout.write(`${line}\n`) }).add({
  name: 'plugin',
  module: new URL(`../fixtures/${process.argv[2]}.js`, import.meta.url),
  shutdownTimeout: 60_000,
});
host.handleSignals((error) => process.stdout.write(`host stopped${error === undefined ? '' : `: ${error.message}`}\n`));
process.on('SIGINT', () => process.stdout.write('signal\n'));
await host.start();
const [row] = await host.status();
process.stdout.write(`ready ${row?.pid}\n`);
