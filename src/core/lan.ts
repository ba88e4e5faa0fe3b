/** One address of a network interface, as os.networkInterfaces() lists it. */
export interface InterfaceAddress {
  address: string;
  family: string | number;
  internal: boolean;
}

/**
 * The addresses a phone on the same network can reach this machine at: every
 * non-internal IPv4 and IPv6 address, except IPv6 link-local ones (fe80::/10),
 * which need a zone id no browser address can carry. With `only`, just that
 * one (checked by the listener: a wrong one fails to bind).
 */
export function lanAddresses(
  interfaces: Record<string, InterfaceAddress[] | undefined>,
  only: string | null = null,
): string[] {
  if (only) return [only];
  const found: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) {
      if (entry.internal) continue;
      if (isIpv6(entry) && /^fe[89ab]/i.test(entry.address)) continue;
      if (!found.includes(entry.address)) found.push(entry.address);
    }
  }
  // IPv4 first: the address a person reads and types.
  return [...found.filter((a) => !a.includes(':')), ...found.filter((a) => a.includes(':'))];
}

function isIpv6(entry: InterfaceAddress): boolean {
  return entry.family === 'IPv6' || entry.family === 6;
}

/** An address as it goes in a Host header or a URL: IPv6 in brackets. */
export function hostName(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The HTTPS address of Hark at one LAN address. */
export function lanUrl(address: string, port: number): string {
  return `https://${hostName(address)}${port === 443 ? '' : `:${port}`}`;
}
