// The types of the calls between a jail and its action, written out so that
// the package's declarations name no schema library.
import type { StandardSchemaV1 } from '../index.js';

/** A ban as a jail sends it to its action. */
export interface BanCall {
  /** The jail's name. */
  jail: string;
  /** The address, IPv4 or IPv6. */
  ip: string;
  /** How long the ban lasts, in seconds; -1 for ever. */
  bantime: number;
  /** The failures that led to it; 0 for a ban by hand or one restored at start. */
  failures: number;
}

/** An unban as a jail sends it to its action. */
export interface UnbanCall {
  jail: string;
  ip: string;
}

/** One method's schemas. */
export interface Method<Input, Output> {
  input: StandardSchemaV1<Input>;
  output: StandardSchemaV1<Output>;
}

/** Ban and unban: host functions of a jail, methods of an action. */
export type BanMethods = {
  ban: Method<BanCall, void>;
  unban: Method<UnbanCall, void>;
};

/** The contract of an action: `jailthread/actions/command`, `jailthread/actions/file`, or one of your own. */
export type ActionContract = {
  plugin: BanMethods;
};
