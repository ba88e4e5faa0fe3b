import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { checkServerIdentity, type TLSSocket } from 'node:tls';

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented. */
  fingerprint: string;
}

export interface Ask {
  method?: string;
  headers?: Record<string, string>;
  /** The CA to trust: Hark's own certificate (lan-cert.pem). */
  ca: string | Buffer;
}

/** One HTTPS request to address:port, trusting only `ca` (so the certificate's names are checked too). */
export function httpsAsk(address: string, port: number, path: string, ask: Ask): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        path,
        method: ask.method ?? 'GET',
        headers: ask.headers ?? {},
        ca: ask.ca,
        // The certificate must name the address connected to, whatever Host header the request carries.
        checkServerIdentity: (_name, cert) => checkServerIdentity(address, cert),
        agent: false,
      },
      (response) => {
        const fingerprint = (response.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, fingerprint }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** One plain-HTTP request: what a LAN address must refuse. */
export function httpAsk(
  address: string,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address, port, path, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.end();
  });
}
