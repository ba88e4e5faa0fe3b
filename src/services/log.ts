export type Log = (message: string) => void;

/** Timestamped lines on stderr: stdout stays clean for --json output. */
export const stderrLog: Log = (message) => {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
};

export const silentLog: Log = () => {};
