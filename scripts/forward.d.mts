import type { ChildProcess, SpawnOptions } from 'node:child_process';

export const FORWARDED_SIGNALS: readonly NodeJS.Signals[];
export function runForwarding(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
