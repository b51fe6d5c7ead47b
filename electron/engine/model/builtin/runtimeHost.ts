/**
 * The built-in runtime's child process: loads one GGUF model with node-llama-cpp and answers chat and
 * embedding requests over the IPC channel of `child_process.fork`. It runs out of the engine's process
 * so that a crash or an out-of-memory in llama.cpp ends this process only; the engine sees the exit and
 * starts a new one on the next request.
 *
 * Run directly by Node (type stripping), so it imports only packages and erasable types.
 */
import {
  getLlama,
  LlamaChatSession,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaEmbeddingContext,
  type LlamaModel,
  LlamaLogLevel,
} from 'node-llama-cpp';
import type { HostReply, HostRequest } from './protocol';

let llama: Llama | undefined;
let model: LlamaModel | undefined;
let context: LlamaContext | undefined;
let session: LlamaChatSession | undefined;
let embedder: LlamaEmbeddingContext | undefined;
let threads = 1;
const running = new Map<number, AbortController>();
// One model, one sequence: requests take turns.
let queue: Promise<void> = Promise.resolve();

function send(reply: HostReply): void {
  process.send?.(reply);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function load(request: Extract<HostRequest, { type: 'load' }>): Promise<void> {
  try {
    // Never build from source or download: the binary must come with the npm package.
    llama = await getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
    });
    model = await llama.loadModel({ modelPath: request.modelPath });
    threads = request.threads;
    context = await model.createContext({ contextSize: request.contextSize, threads });
    session = new LlamaChatSession({ contextSequence: context.getSequence() });
    send({ type: 'loaded', embedding: model.embeddingVectorSize, contextSize: context.contextSize });
  } catch (error) {
    send({ type: 'load-failed', message: message(error) });
  }
}

async function chat(request: Extract<HostRequest, { type: 'chat' }>): Promise<void> {
  if (!session || !llama) throw new Error('No model is loaded.');
  const last = request.messages.at(-1);
  if (!last || last.role !== 'user') throw new Error('The last message must be the user’s.');
  const history: ChatHistoryItem[] = request.messages
    .slice(0, -1)
    .map((m) =>
      m.role === 'system'
        ? { type: 'system', text: m.content }
        : m.role === 'user'
          ? { type: 'user', text: m.content }
          : { type: 'model', response: [m.content] },
    );
  session.setChatHistory(history);
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    const grammar = request.format
      ? await llama.createGrammarForJsonSchema(request.format as never)
      : undefined;
    const result = await session.promptWithMeta(last.content, {
      maxTokens: request.maxTokens,
      seed: request.seed,
      temperature: request.temperature,
      grammar,
      signal: controller.signal,
      stopOnAbortSignal: true,
      onTextChunk: (text) => send({ type: 'delta', id: request.id, text }),
    });
    const stopReason =
      result.stopReason === 'abort' ? 'abort' : result.stopReason === 'maxTokens' ? 'length' : 'stop';
    send({ type: 'done', id: request.id, text: result.responseText, stopReason });
  } finally {
    running.delete(request.id);
  }
}

async function embed(request: Extract<HostRequest, { type: 'embed' }>): Promise<void> {
  if (!model) throw new Error('No model is loaded.');
  embedder ??= await model.createEmbeddingContext({ threads });
  const vectors: number[][] = [];
  for (const text of request.texts) vectors.push([...(await embedder.getEmbeddingFor(text)).vector]);
  send({ type: 'embedded', id: request.id, vectors });
}

process.on('message', (raw: unknown) => {
  const request = raw as HostRequest;
  switch (request?.type) {
    case 'load':
      void load(request);
      return;
    case 'abort':
      running.get(request.id)?.abort();
      return;
    case 'chat':
    case 'embed': {
      const work = request.type === 'chat' ? () => chat(request) : () => embed(request);
      queue = queue
        .then(work)
        .catch((error: unknown) => send({ type: 'failed', id: request.id, message: message(error) }));
      return;
    }
  }
});

// The engine going away ends the runtime too: no orphan holding the model in memory.
process.on('disconnect', () => process.exit(0));
