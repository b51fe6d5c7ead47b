/**
 * How the built-in runtime's process is started. Under the web host (and in tests) it is a Node child
 * process; the desktop shell passes a launcher built on Electron's `utilityProcess` instead
 * (electron/main/utilityLauncher.ts), since the engine never imports `electron`.
 */
import { fork } from 'node:child_process';
import type { HostRequest } from './protocol';

export interface RuntimeProcessEvents {
  /** A message from the process: unchecked, hostile until `isHostReply` says otherwise. */
  message(raw: unknown): void;
  /** The process ended; `how` says how ("exit code 1", "signal SIGKILL"). */
  exit(how: string): void;
  /** What the process wrote to stderr (its last words explain a crash). */
  stderr(chunk: string): void;
}

export interface RuntimeProcess {
  readonly pid: number | undefined;
  send(request: HostRequest): void;
  /** Ends the process at once. */
  kill(): void;
}

export interface RuntimeLaunchOptions {
  /** The largest JavaScript heap the process may use, in MB. */
  heapMb: number;
}

export type RuntimeLauncher = (options: RuntimeLaunchOptions, events: RuntimeProcessEvents) => RuntimeProcess;

/** Node's `--max-old-space-size` for the runtime; the engine's own cap is not inherited. */
export function runtimeExecArgv(execArgv: readonly string[], heapMb: number): string[] {
  return [
    ...execArgv.filter((arg) => !arg.startsWith('--max-old-space-size')),
    `--max-old-space-size=${heapMb}`,
  ];
}

/** Starts `hostPath` (runtimeHost) as a Node child process talking over its IPC channel. */
export function childProcessLauncher(hostPath: string): RuntimeLauncher {
  return ({ heapMb }, events) => {
    const child = fork(hostPath, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      execArgv: runtimeExecArgv(process.execArgv, heapMb),
    });
    // A send to a child that just died fails here; its exit event reports it.
    child.on('error', () => child.kill('SIGKILL'));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => events.stderr(chunk));
    child.on('message', (raw: unknown) => events.message(raw));
    child.on('exit', (code, signal) => events.exit(signal ? `signal ${signal}` : `exit code ${code}`));
    return {
      get pid() {
        return child.pid;
      },
      send(request) {
        if (child.connected) child.send(request);
      },
      kill() {
        child.kill('SIGKILL');
      },
    };
  };
}
