/**
 * Runs a short script in an Electron utility process (a Node child the packaged app can start, since
 * its runAsNode fuse is off) and answers what it printed. The engine uses it to ask node-llama-cpp
 * which graphics processor this machine has, out of the main process.
 */
import { utilityProcess } from 'electron';
import type { ScriptRunner } from '../engine/model/builtin/machine';

export const utilityScriptRunner: ScriptRunner = (scriptPath, timeoutMs) =>
  new Promise((resolve) => {
    const child = utilityProcess.fork(scriptPath, [], { stdio: 'pipe', serviceName: 'Keel GPU check' });
    let output = '';
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output = (output + chunk).slice(-4096);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      // The last line may still be on its way through the pipe when the process is gone.
      setTimeout(() => resolve(output), 50);
    });
  });
