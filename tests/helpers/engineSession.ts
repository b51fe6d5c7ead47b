/** The set-up most engine tests share: a fresh data folder, a fake Ollama and an engine on both. */
import { afterEach, beforeEach } from 'vitest';
import type { InspectableEngine as Engine } from '../../electron/engine/createEngine';
import type { EngineOptions } from '../../electron/engine/Engine';
import { startFakeOllama, type FakeOllama } from '../fixtures/fakeOllama';
import { openEngine } from './engineHarness';
import { removeDir, tempDataDir } from './tempDir';

export interface EngineSession {
  dataDir: string;
  fake: FakeOllama;
  /** The engine of the current test; a test that restarts it assigns the new one here. */
  engine: Engine;
  /** Opens an engine on the folder (another folder when given) with the session's options and `more`. */
  open(more?: Partial<EngineOptions>, folder?: string): Promise<Engine>;
}

/** Makes the folder, the fake and the engine before each test, and closes and removes them after. */
export function engineForEachTest(options: Partial<EngineOptions> = {}): EngineSession {
  const session: EngineSession = {
    dataDir: '',
    fake: undefined as unknown as FakeOllama,
    engine: undefined as unknown as Engine,
    open: (more = {}, folder = session.dataDir) =>
      openEngine(folder, session.fake.url, { ...options, ...more }),
  };
  beforeEach(async () => {
    session.dataDir = await tempDataDir();
    session.fake = await startFakeOllama();
    session.engine = await session.open();
  });
  afterEach(async () => {
    await session.engine.close();
    await session.fake.close();
    await removeDir(session.dataDir);
  });
  return session;
}
