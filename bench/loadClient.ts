/**
 * A load generator in its own process, so it does not share the server's
 * event loop: keeps `concurrency` keep-alive connections busy with GETs of
 * `url` (and the further URLs, in turn) for `seconds`, then prints
 * {requests, errors, p50, p99, max} as JSON.
 *   node --import tsx bench/loadClient.ts <url> <concurrency> <seconds> [<url>...]
 */
import { Agent, request } from 'node:http';

const [url = '', concurrencyArg = '8', secondsArg = '5', ...more] = process.argv.slice(2);
const targets = [url, ...more].map((u) => new URL(u));
let next = 0;
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrencyArg) });
const until = Date.now() + Number(secondsArg) * 1000;
const latencies: number[] = [];
let errors = 0;

function once(): Promise<void> {
  const target = targets[next++ % targets.length] as URL;
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: { host: target.host },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) errors++;
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

async function loop(): Promise<void> {
  while (Date.now() < until) await once();
}

await Promise.all(Array.from({ length: Number(concurrencyArg) }, loop));
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    errors,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? 0,
  }),
);
