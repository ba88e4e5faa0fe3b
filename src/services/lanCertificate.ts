import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The certificate the LAN listener serves, with what a person compares on the phone. */
export interface LanCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
  /** The names it was made for: the LAN addresses and this machine's hostname. */
  names: string[];
  /** True when this start made it (the first --lan start, or the addresses changed). */
  made: boolean;
}

/** Files in the data folder: the key is readable by its owner only. */
export const CERT_FILE = 'lan-cert.pem';
export const KEY_FILE = 'lan-key.pem';
const NAMES_FILE = 'lan-cert.json';

/** Long enough not to bother anyone; 825 days is the longest some phones accept at all. */
const VALID_DAYS = 825;

/**
 * The self-signed certificate for `hark start --lan`: made at the first
 * start, kept in the data folder and reused, so a phone that was told once
 * to trust it keeps trusting it. Made again when the addresses it names
 * change (a new network) or when it is about to run out.
 */
export async function lanCertificate(
  dataDir: string,
  addresses: string[],
  host: string,
  now: Date = new Date(),
): Promise<LanCertificate> {
  const names = [...new Set([...addresses, host])].sort();
  const kept = readKept(dataDir, names, now);
  if (kept) return kept;
  const notAfterDate = new Date(now.getTime() + VALID_DAYS * 86_400_000);
  // Loaded here, not at the top: only `--lan` makes a certificate, and the library's X.509
  // stack is the slowest module every other start-up (and every CLI command) would load.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: `Hark on ${host}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIp(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  writePrivate(join(dataDir, KEY_FILE), pems.private);
  writeFileSync(join(dataDir, CERT_FILE), pems.cert);
  writeFileSync(join(dataDir, NAMES_FILE), `${JSON.stringify({ names })}\n`);
  return { cert: pems.cert, key: pems.private, fingerprint: fingerprintOf(pems.cert), names, made: true };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function readKept(dataDir: string, names: string[], now: Date): LanCertificate | null {
  const files = [CERT_FILE, KEY_FILE, NAMES_FILE].map((name) => join(dataDir, name));
  if (!files.every((file) => existsSync(file))) return null;
  try {
    const [certFile, keyFile, namesFile] = files as [string, string, string];
    const kept = JSON.parse(readFileSync(namesFile, 'utf8')) as { names?: unknown };
    if (JSON.stringify(kept.names) !== JSON.stringify(names)) return null;
    const cert = readFileSync(certFile, 'utf8');
    const x509 = new X509Certificate(cert);
    // A month before it runs out, a new one: never a start that serves an expired certificate.
    if (new Date(x509.validTo).getTime() - now.getTime() < 30 * 86_400_000) return null;
    const key = readFileSync(keyFile, 'utf8');
    return { cert, key, fingerprint: x509.fingerprint256, names, made: false };
  } catch {
    return null; // unreadable or damaged: made again
  }
}

/** Written beside, owner-only from the first byte, then renamed over the old one. */
function writePrivate(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

function isIp(name: string): boolean {
  return /^[\d.]+$/.test(name) || name.includes(':');
}
