import { postgresHarness, usePostgresServer } from '../helpers/postgres.js';
import { storeContract } from './storeContract.js';

// The same contract the SQLite store passes (src/db/sqliteStore.test.ts), against a real server.
const server = usePostgresServer();
if (server) storeContract('PostgreSQL', () => postgresHarness(server));
