// `jailthread/jails/log`: the log-watching jail (default export), its
// contract (for a config's `"contract": "jailthread/jails/log#jailContract"`),
// and its matching, for trying a failregex on a log as fail2ban-regex does.

export type { ActionContract, BanCall, UnbanCall } from '../../actions/calls.js';
export type { JailContract } from './contract.js';
export { jailContract } from './contract.js';
export { DATE_PATTERNS, type DatePatternName, dateOf } from './date-pattern.js';
export { compileFailregex, compileIgnoreregex, matchHost } from './failregex.js';
export { LogFollower, type LogFollowerOptions } from './follow.js';
export { default, type LogJailStatus } from './jail.js';
export { type JailCounts, JailFilter, type JailFilterOptions } from './jail-filter.js';
export type { JailSettings } from './jail-settings.js';
