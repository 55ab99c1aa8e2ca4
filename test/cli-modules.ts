// The one place CLI tests import the CLI's modules from: repoint these lines
// if the CLI's compiled output moves (test/tsconfig.json compiles src/cli
// into build/src/cli next to build/test).
export type { CliIo } from '../src/cli/command.js';
export { ConfigError, loadConfig } from '../src/cli/config.js';
export { DEFAULT_CONTROL_TIMEOUT, DEFAULT_MAX_CONNECTIONS } from '../src/cli/control-bounds.js';
export { NoHostError, request } from '../src/cli/control-client.js';
export { controlHandler } from '../src/cli/control-handler.js';
export { MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../src/cli/control-protocol.js';
export { type ControlServer, listenControl } from '../src/cli/control-server.js';
export { CliError } from '../src/cli/errors.js';
export { formatDuration, formatJailList, formatJailStatus, formatJson } from '../src/cli/format-status.js';
export type { ControlledHost, PluginRow } from '../src/cli/host-api.js';
export { formatHostEvent } from '../src/cli/host-events.js';
export { jsonErrorOffset, lineAndColumn } from '../src/cli/json-position.js';
export { main } from '../src/cli/main.js';
export {
  chooseSocket,
  defaultSocketPaths,
  findHostSocket,
  placeHostSocket,
  securePrivateDir,
} from '../src/cli/socket-path.js';
export { buildSpecs } from '../src/cli/specs.js';
export { block, inline, jsonSafe } from '../src/terminal-text.js';
