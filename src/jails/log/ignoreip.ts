import { BlockList, isIP } from 'node:net';

/**
 * fail2ban's `ignoreip`: addresses and CIDR ranges whose failures are never
 * counted. Host names are not taken (the jail makes no DNS look-ups).
 * @throws {TypeError} naming the entry and the fix when one is no address or range
 */
export function ignoreList(entries: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const length = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (family === 0 || extra !== undefined || !(length >= 0 && length <= bits)) {
      throw new TypeError(
        `ignoreip ${JSON.stringify(entry)} is no IP address or CIDR range: write e.g. "127.0.0.1", "10.0.0.0/8" or "::1"`,
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (length === bits) list.addAddress(address, type);
    else list.addSubnet(address, length, type);
  }
  return (ip) => {
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
}
