// Run under --inspect: prints the child's own execArgv.
import OptionsEcho from '../fixtures/options-echo.js';

const thread = new OptionsEcho();
await thread.start();
const { execArgv } = (await thread.getStatus()) as { execArgv: string[] };
await thread.stop();
process.stdout.write(JSON.stringify({ host: process.execArgv, child: execArgv }));
