/**
 * Starts the built-in model runtime in Electron's `utilityProcess` (a Node.js child of Chromium's
 * process model, which Electron's docs recommend over `child_process.fork` in the desktop shell: it
 * needs no ELECTRON_RUN_AS_NODE, a fuse Keel turns off). The engine never imports `electron`, so the
 * shell passes this launcher to it.
 */
import { utilityProcess } from 'electron';
import { runtimeExecArgv, type RuntimeLauncher } from '../engine/model/builtin/launcher';

export function utilityProcessLauncher(hostPath: string): RuntimeLauncher {
  return ({ heapMb }, events) => {
    const child = utilityProcess.fork(hostPath, [], {
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'Keel model runtime',
      execArgv: runtimeExecArgv([], heapMb),
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => events.stderr(chunk));
    child.on('message', (message: unknown) => events.message(message));
    let alive = true;
    child.on('exit', (code: number) => {
      alive = false;
      events.exit(`exit code ${code}`);
    });
    return {
      get pid() {
        return child.pid;
      },
      send(request) {
        if (alive) child.postMessage(request);
      },
      kill() {
        if (alive) child.kill();
      },
    };
  };
}
