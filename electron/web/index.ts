/**
 * `npm run web`: the workspace in a browser, on 127.0.0.1 only, against the same engine as the
 * desktop app. Prints exactly one line on standard output once ready:
 *   Keel web: http://127.0.0.1:<port>/#token=<token>
 * The token is in the fragment, which the browser never sends to a server (see webHost.ts).
 * Honours KEEL_PORT, KEEL_DATA_DIR and OLLAMA_HOST; KEEL_MODEL_CATALOG (a JSON file) replaces the
 * built-in runtime's model catalog, for tests that serve models from a local fake model host.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../engine/createEngine';
import { parseCatalogSource } from '../engine/model/builtin/catalog';
import { defaultDataDir } from './defaultDataDir';
import { startWebHost } from './webHost';

async function main(): Promise<void> {
  const port = Number(process.env.KEEL_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`KEEL_PORT must be a port number, not "${process.env.KEEL_PORT}".`);
  }
  const catalogFile = process.env.KEEL_MODEL_CATALOG;
  const modelCatalog = catalogFile
    ? parseCatalogSource(JSON.parse(await readFile(catalogFile, 'utf8')))
    : undefined;
  const engine = await createEngine({
    dataDir: defaultDataDir(),
    ollamaHost: process.env.OLLAMA_HOST,
    shell: 'web',
    ...(modelCatalog ? { modelCatalog } : {}),
  });
  const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '../renderer');
  const host = await startWebHost({ engine, rendererDir, port });
  process.stdout.write(`Keel web: ${host.url}\n`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(`Keel web could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
