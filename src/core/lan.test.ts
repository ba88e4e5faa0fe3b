import { describe, expect, it } from 'vitest';
import { hostName, lanAddresses, lanUrl } from './lan.js';

const interfaces = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ],
  eth0: [
    { address: 'fd00::2', family: 'IPv6', internal: false },
    { address: '192.168.1.20', family: 'IPv4', internal: false },
    { address: 'fe80::fc:ff:fe00:1', family: 'IPv6', internal: false },
  ],
  wlan0: [{ address: '10.0.0.7', family: 4, internal: false }],
};

describe('lanAddresses', () => {
  it('lists the non-loopback addresses, IPv4 first, without link-local IPv6', () => {
    expect(lanAddresses(interfaces)).toEqual(['192.168.1.20', '10.0.0.7', 'fd00::2']);
  });
  it('gives only the address asked for with --lan-address', () => {
    expect(lanAddresses(interfaces, '127.0.0.2')).toEqual(['127.0.0.2']);
  });
  it('finds nothing on a machine with loopback only', () => {
    expect(lanAddresses({ lo: interfaces.lo })).toEqual([]);
  });
});

describe('URLs', () => {
  it('brackets IPv6 and leaves the port off only at 443', () => {
    expect(hostName('fd00::2')).toBe('[fd00::2]');
    expect(lanUrl('192.168.1.20', 4477)).toBe('https://192.168.1.20:4477');
    expect(lanUrl('fd00::2', 443)).toBe('https://[fd00::2]');
  });
});
