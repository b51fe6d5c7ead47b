/**
 * The built-in runtime's process: loads one GGUF model with node-llama-cpp and answers chat and
 * embedding requests over the IPC channel of `child_process.fork` (web host, tests) or the parent port
 * of Electron's `utilityProcess` (desktop shell). It runs out of the engine's process
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
import type { RuntimeGpu } from './gpu';
import type { HostReply, HostRequest } from './protocol';

let llama: Llama | undefined;
let model: LlamaModel | undefined;
let context: LlamaContext | undefined;
let session: LlamaChatSession | undefined;
let embedder: LlamaEmbeddingContext | undefined;
let threads = 1;
let contextSize = 2048;
const running = new Map<number, AbortController>();
// One model, one sequence: requests take turns.
let queue: Promise<void> = Promise.resolve();

/** Electron's utilityProcess gives the process a parent port; a forked child has `process.send`. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(reply: HostReply): void {
  if (parentPort) parentPort.postMessage(reply);
  else process.send?.(reply);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadOn(gpu: RuntimeGpu, modelPath: string): Promise<void> {
  // Never build from source or download: the binary must come with the npm package.
  llama = await getLlama({
    gpu,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
  });
  // node-llama-cpp may quietly take the processor when the GPU build is not for this machine.
  if (llama.gpu !== gpu) throw new Error(`no ${gpu} build of llama.cpp runs on this computer`);
  model = await llama.loadModel({ modelPath });
}

async function load(request: Extract<HostRequest, { type: 'load' }>): Promise<void> {
  try {
    let gpuProblem: string | undefined;
    const gpu = request.gpu ?? false;
    try {
      await loadOn(gpu, request.modelPath);
    } catch (error) {
      if (gpu === false) throw error;
      // The GPU build did not load, or the model not onto the GPU: the processor, and the engine is told why.
      gpuProblem = message(error);
      await llama?.dispose().catch(() => undefined);
      await loadOn(false, request.modelPath);
    }
    if (!model) throw new Error('No model was loaded.');
    threads = request.threads;
    contextSize = Math.min(request.contextSize, model.trainContextSize);
    send({
      type: 'loaded',
      embedding: model.embeddingVectorSize,
      contextSize,
      ...(gpuProblem === undefined ? {} : { gpuProblem }),
    });
  } catch (error) {
    send({ type: 'load-failed', message: message(error) });
  }
}

async function chat(request: Extract<HostRequest, { type: 'chat' }>): Promise<void> {
  if (!model || !llama) throw new Error('No model is loaded.');
  // The chat context is made on the first chat: an embedding model never needs one.
  if (!session) {
    context = await model.createContext({ contextSize, threads });
    session = new LlamaChatSession({ contextSequence: context.getSequence() });
  }
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
      // Thinking arrives as a "thought" segment (chat wrappers of thinking models); it is passed apart.
      onResponseChunk: (chunk) => {
        if (chunk.type === undefined) send({ type: 'delta', id: request.id, text: chunk.text });
        else if (chunk.segmentType === 'thought')
          send({ type: 'delta', id: request.id, text: chunk.text, thought: true });
      },
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

function onRequest(raw: unknown): void {
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
}

if (parentPort) parentPort.on('message', (event) => onRequest(event.data));
else process.on('message', onRequest);

// The engine going away ends the runtime too: no orphan holding the model in memory.
process.on('disconnect', () => process.exit(0));
