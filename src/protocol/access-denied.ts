/** The plugin spec field that grants each permission Node's model denies. */
const SPEC_FIELD: Record<string, string> = {
  FileSystemRead: 'sandbox.read',
  FileSystemWrite: 'sandbox.write',
  ChildProcess: 'sandbox.childProcess',
  WorkerThreads: 'sandbox.worker',
  Addon: 'sandbox.addons',
  Net: 'sandbox.net',
};

/** Node's own flag for each, as its message names it ("Use --allow-net to manage permissions"). */
const FROM_FLAG: Record<string, string> = {
  'fs-read': 'FileSystemRead',
  'fs-write': 'FileSystemWrite',
  'child-process': 'ChildProcess',
  worker: 'WorkerThreads',
  addons: 'Addon',
  net: 'Net',
};

const MARK = ' (denied: ';

/**
 * Node's ERR_ACCESS_DENIED says only "Use --allow-fs-read to manage
 * permissions": the resource is in a field (for a connection, in its cause),
 * and a plugin's flags come from its spec. The message rebuilt on the host
 * names both, once however often the error crosses.
 */
export function explainDenial(message: string, permission: string | undefined, resource: string | undefined): string {
  if (message.includes(MARK)) return message;
  const denied = permission ?? FROM_FLAG[/Use --allow-([a-z-]+) to manage/.exec(message)?.[1] ?? ''];
  if (denied === undefined) return message;
  const what = resource === undefined || resource === '' ? denied : `${denied} of ${resource}`;
  const field = SPEC_FIELD[denied];
  const fix = field === undefined ? '' : `; a plugin host grants it with ${field} in the plugin's spec`;
  return `${message}${MARK}${what}${fix})`;
}
