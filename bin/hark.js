#!/usr/bin/env node
// The installed `hark` command: runs the built CLI (npm start and npm run build make dist/).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`hark: ${String(error)}\n`);
    process.exit(1);
  },
);
