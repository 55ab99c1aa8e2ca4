#!/usr/bin/env node
// The executable (bundled as dist/cli.js); main() is separate so tests can
// drive the command line without it running on import.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), process);
