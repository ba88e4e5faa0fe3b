import { postgresHarness, postgresServerForFile } from '../helpers/postgres.js';
import { storeContract } from './storeContract.js';

// The same contract the SQLite store passes (src/db/sqliteStore.test.ts), against a real server.
const server = postgresServerForFile();
if (server) storeContract('PostgreSQL', () => postgresHarness(server));
