// The launcher's child (npm start's kiosk): spawned with an IPC channel, every signal that
// asks it to stop or reload passed on, and its exit status taken as ours. The channel is
// how the kiosk learns that the launcher is gone even after kill -9 (no signal can be
// caught then): it closes, and the kiosk stops itself instead of living on as an orphan.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * SIGUSR1 is not among them: Node opens its inspector on SIGUSR1, in the launcher and in the
 * kiosk alike, so the launcher takes it and does nothing with it.
 */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGTSTP'];

export function runForwarding(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], ...options });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  process.on('SIGUSR1', () => undefined);
  // Nothing is sent over the channel; it must not keep the launcher alive by itself.
  child.channel?.unref();
  child.on('error', (error) => {
    process.stderr.write(`[start] could not start ${command}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    // A kiosk ended by a signal ends the launcher with the same status a shell would report.
    process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 0));
  });
  return child;
}
