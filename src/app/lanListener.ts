import { createServer, type Server } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { PortInUse } from '../core/errors.js';
import { hostName, lanUrl } from '../core/lan.js';
import { HTTP_LIMITS } from '../server/app.js';
import type { LanCertificate } from '../services/lanCertificate.js';
import { portProblem } from './portProbe.js';

/**
 * `--lan`: the same app (every route, hook and header) answering over HTTPS
 * on each LAN address, beside the plain-HTTP loopback listener. One Node
 * HTTPS server per address, each handing its requests to Fastify's router.
 */
export class LanListener {
  private constructor(
    private readonly servers: Server[],
    readonly addresses: string[],
    readonly port: number,
    readonly fingerprint: string,
  ) {}

  static async listen(
    app: FastifyInstance,
    certificate: LanCertificate,
    addresses: string[],
    port: number,
  ): Promise<LanListener> {
    const servers: Server[] = [];
    try {
      for (const address of addresses) servers.push(await listenOne(app, certificate, address, port));
    } catch (error) {
      for (const server of servers) server.close();
      throw error;
    }
    return new LanListener(servers, addresses, port, certificate.fingerprint);
  }

  /** https://<address>:<port> for each address. */
  urls(): string[] {
    return this.addresses.map((address) => lanUrl(address, this.port));
  }

  /** After the app has closed (which ended the event streams): lets the connections go. */
  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }
}

/** The Host values the LAN listener answers to. */
export function lanHosts(addresses: string[], port: number): string[] {
  return addresses.map((address) => `${hostName(address).toLowerCase()}${port === 443 ? '' : `:${port}`}`);
}

async function listenOne(
  app: FastifyInstance,
  certificate: LanCertificate,
  address: string,
  port: number,
): Promise<Server> {
  const server = createServer(
    {
      cert: certificate.cert,
      key: certificate.key,
      // The same limits as the loopback listener (see HTTP_LIMITS): a phone on Wi-Fi is the slow client they were made for.
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      requestTimeout: HTTP_LIMITS.requestTimeoutMs,
      connectionsCheckingInterval: HTTP_LIMITS.checkEveryMs,
    },
    (request, response) => app.routing(request, response),
  );
  // A handshake that fails (a phone that does not trust the certificate yet) is that client's problem, not Hark's.
  server.on('tlsClientError', () => {});
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRNOTAVAIL'
          ? new PortInUse(`this machine has no network address ${address}; check --lan-address`)
          : (portProblem(error, port) ?? error),
      ),
    );
    server.listen({ host: address, port, exclusive: true }, () => resolve());
  });
  return server;
}
