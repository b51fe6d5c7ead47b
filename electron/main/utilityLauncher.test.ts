/**
 * The desktop shell's launcher for the built-in runtime, with Electron's `utilityProcess` replaced by a
 * fake: it starts the runtime's code with a heap cap, hands messages both ways, and reports the exit.
 */
import type { EventEmitter } from 'node:events';
import type { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fakes = vi.hoisted(() => ({
  forks: [] as { path: string; args: string[]; options: unknown; child: unknown }[],
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const { PassThrough } = await import('node:stream');
  class FakeUtilityProcess extends EventEmitter {
    pid: number | undefined = 4242;
    readonly stderr = new PassThrough();
    readonly postMessage = vi.fn();
    readonly kill = vi.fn(() => true);
  }
  return {
    utilityProcess: {
      fork: vi.fn((path: string, args: string[], options: unknown) => {
        const child = new FakeUtilityProcess();
        fakes.forks.push({ path, args, options, child });
        return child;
      }),
    },
  };
});

const { utilityProcessLauncher } = await import('./utilityLauncher');

interface FakeChild extends EventEmitter {
  pid: number | undefined;
  stderr: PassThrough;
  postMessage: ReturnType<typeof vi.fn>;
  kill: ReturnType<typeof vi.fn>;
}

beforeEach(() => {
  fakes.forks.length = 0;
});

describe('the utilityProcess launcher for the built-in runtime', () => {
  it('starts the runtime code in a utility process with a heap cap and passes messages both ways', async () => {
    const events = { message: vi.fn(), exit: vi.fn(), stderr: vi.fn() };
    const launched = utilityProcessLauncher('/app/out/main/runtimeHost.js')({ heapMb: 256 }, events);
    expect(fakes.forks).toHaveLength(1);
    const fork = fakes.forks[0]!;
    expect(fork.path).toBe('/app/out/main/runtimeHost.js');
    expect(fork.options).toMatchObject({
      execArgv: ['--max-old-space-size=256'],
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'Keel model runtime',
    });
    const child = fork.child as FakeChild;
    expect(launched.pid).toBe(4242);

    launched.send({ type: 'embed', id: 1, texts: ['x'] });
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'embed', id: 1, texts: ['x'] });
    child.emit('message', { type: 'loaded', embedding: 64, contextSize: 512 });
    expect(events.message).toHaveBeenCalledWith({ type: 'loaded', embedding: 64, contextSize: 512 });
    child.stderr.write('out of memory\n');
    await vi.waitFor(() => expect(events.stderr).toHaveBeenCalledWith('out of memory\n'));

    child.emit('exit', 134);
    expect(events.exit).toHaveBeenCalledWith('exit code 134');
    // Nothing goes to, and no kill is sent to, a process that has ended.
    launched.send({ type: 'abort', id: 1 });
    launched.kill();
    expect(child.postMessage).toHaveBeenCalledTimes(1);
    expect(child.kill).not.toHaveBeenCalled();
  });

  it('kills a running process when asked', () => {
    const launched = utilityProcessLauncher('/x.js')(
      { heapMb: 128 },
      { message: vi.fn(), exit: vi.fn(), stderr: vi.fn() },
    );
    launched.kill();
    expect((fakes.forks[0]!.child as FakeChild).kill).toHaveBeenCalledTimes(1);
  });
});
