/** Temp folders for tests: each test gets its own data folder and removes it afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'keel-test-'));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
