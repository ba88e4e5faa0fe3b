import { createServer } from 'node:net';
import { PortInUse } from '../core/errors.js';

/** A listen error as one plain line, or null when it is not about the port. */
export function portProblem(error: unknown, port: number): PortInUse | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE')
    return new PortInUse(`port ${port} is taken (another program is listening there); use --port N`);
  if (code === 'EACCES')
    return new PortInUse(`port ${port} needs privileges this user does not have; use --port N (above 1023)`);
  if (code === 'EADDRNOTAVAIL')
    return new PortInUse(`this machine has no address to listen on for the host given; check --host`);
  return null;
}

/**
 * Binds host:port for a moment and lets it go, so that a taken port is found
 * before anything slow (the first model download) instead of after it. Port 0
 * (any free port) cannot be taken.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(portProblem(error, port) ?? error));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
