/** The plugin spec field that grants each permission Node's model denies. */
const SPEC_FIELD: Record<string, string> = {
  FileSystemRead: 'sandbox.read',
  FileSystemWrite: 'sandbox.write',
  ChildProcess: 'sandbox.childProcess',
  WorkerThreads: 'sandbox.worker',
  Addon: 'sandbox.addons',
  Net: 'sandbox.net',
};

/**
 * Node's ERR_ACCESS_DENIED says only "Use --allow-fs-read to manage
 * permissions": the resource is in a field, and a plugin's flags come from
 * its spec. The message rebuilt on the host names both.
 */
export function explainDenial(message: string, permission: string | undefined, resource: string | undefined): string {
  if (permission === undefined) return message;
  const what = resource === undefined || resource === '' ? permission : `${permission} of ${resource}`;
  const field = SPEC_FIELD[permission];
  const fix = field === undefined ? '' : `; a plugin host grants it with ${field} in the plugin's spec`;
  return `${message} (denied: ${what}${fix})`;
}
