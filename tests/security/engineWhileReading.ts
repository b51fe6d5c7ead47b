/**
 * An engine in a process of its own, as the web host and the desktop app run it, reading a file
 * that keeps its reader busy for minutes: `node --import tsx tests/security/engineWhileReading.ts
 * <data folder> <model host>`. Prints "reading" once the file is being read, and on SIGTERM closes
 * the engine and exits as the hosts do (electron/web/index.ts).
 */
import { stallingMarkdown } from '../fixtures/hostileFiles';
import { openEngine, upload, value } from '../helpers/engineHarness';

const [dataDir, ollamaHost] = process.argv.slice(2);
const engine = await openEngine(dataDir!, ollamaHost!);
process.on('SIGTERM', () => {
  void engine.close().then(() => process.exit(0));
});
const space = value(await engine.call('createSpace', { name: 'Acme' }));
engine.onEvent((event) => {
  if (event.type === 'source.progress' && event.progress.stage === 'reading')
    process.stdout.write('reading\n');
});
const outcome = await engine.call('addSource', {
  spaceId: space.id,
  fileName: 'stalling.md',
  file: await upload(engine, 'source', stallingMarkdown('quillwort')),
});
process.stdout.write(`added: ${JSON.stringify(outcome)}\n`);
