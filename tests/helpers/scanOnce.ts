// Runs one scan and prints its result as JSON: lets a test scan as another user.
import { resolveConfig } from '../../src/services/config.js';
import { silentLog } from '../../src/services/log.js';
import { openServices } from '../../src/services/services.js';

const [notes, data] = process.argv.slice(2);
const services = await openServices(resolveConfig({ notes, data }), {
  log: silentLog,
  scanner: { settleMs: 0 },
});
const result = await services.scanner.scan();
await services.close();
process.stdout.write(JSON.stringify(result));
