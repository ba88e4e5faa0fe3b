/**
 * Preloaded (`node --import`) into a child process whose memory a test
 * measures: when the process exits it writes its peak resident set size
 * (VmHWM, in kB, Linux only) to the file named by $HARK_TEST_PEAK_RSS_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.HARK_TEST_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const peak = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    writeFileSync(file, peak ?? '');
  });
}
