export const TOOLS: readonly string[];

export interface BuildInputs {
  program: string;
  cmakeLists: string;
  whisperVersion: string;
  whisperSource: string;
  cpu: string;
}
export function buildHash(inputs: BuildInputs): string;

export interface Situation {
  skip: boolean;
  binaryExists: boolean;
  stampHash: string | undefined;
  hash: string;
  sourceFound: boolean;
  toolsFound: readonly string[];
}
export type Decision =
  | { action: 'skip' }
  | { action: 'upToDate' }
  | { action: 'noSource' }
  | { action: 'missingTools'; missing: string[] }
  | { action: 'build' };
export function decide(situation: Situation): Decision;

export function cannotBuildMessage(decision: Decision, where: { whisperSource: string }): string;
export function buildFailedMessage(logPath: string): string;
export function exitCode(action: Decision['action'] | 'built' | 'failed', fromInstall: boolean): number;
export function formatDuration(ms: number): string;
