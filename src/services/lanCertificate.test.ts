import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CERT_FILE, KEY_FILE, lanCertificate } from './lanCertificate.js';

const folder = () => mkdtempSync(join(tmpdir(), 'hark-cert-'));

describe('lanCertificate', () => {
  it('makes a certificate for the addresses and the hostname, with an owner-only key', async () => {
    const data = folder();
    const made = await lanCertificate(data, ['192.168.1.20', 'fd00::2'], 'desk');
    expect(made.made).toBe(true);
    const x509 = new X509Certificate(readFileSync(join(data, CERT_FILE)));
    expect(x509.subjectAltName).toContain('IP Address:192.168.1.20');
    expect(x509.subjectAltName).toContain('DNS:desk');
    expect(x509.subjectAltName?.toUpperCase()).toContain('FD00:0:0:0:0:0:0:2');
    expect(x509.fingerprint256).toBe(made.fingerprint);
    expect(made.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(statSync(join(data, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(made.key))).toBe(true);
  });

  it('reuses it on the next start, and makes a new one when the addresses change', async () => {
    const data = folder();
    const first = await lanCertificate(data, ['10.0.0.7'], 'desk');
    const again = await lanCertificate(data, ['10.0.0.7'], 'desk');
    expect(again).toMatchObject({ made: false, fingerprint: first.fingerprint });
    const moved = await lanCertificate(data, ['10.0.0.8'], 'desk');
    expect(moved.made).toBe(true);
    expect(moved.fingerprint).not.toBe(first.fingerprint);
  });

  it('makes a new one a month before the kept one runs out', async () => {
    const data = folder();
    const first = await lanCertificate(data, ['10.0.0.7'], 'desk', new Date('2026-01-01'));
    const later = await lanCertificate(data, ['10.0.0.7'], 'desk', new Date('2028-03-20'));
    expect(later.made).toBe(true);
    expect(later.fingerprint).not.toBe(first.fingerprint);
  });
});
