/**
 * What the engine knows about the model host: where it is (settings, then OLLAMA_HOST, then the
 * default) and whether the person allowed it when it is another machine; whether Ollama answers;
 * which models are installed and what each can do; the context to ask for; and the words a person
 * needs when something is missing.
 */
import { totalmem } from 'node:os';
import {
  sameModel,
  type InstalledModel,
  type ModelInfo,
  type ModelStatus,
  type ModelWarmup,
  type TurnStats,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import {
  pickAutomaticModels,
  recommendedChatModel,
  recommendedEmbeddingModel,
  type AutomaticModels,
} from './automaticModels';
import type { BuiltinModels } from './builtin/BuiltinModels';
import { ModelClient } from './ModelClient';
import type {
  ChatPart,
  ChatStreamRequest,
  ModelDetails,
  ModelRuntime,
  RuntimeChoice,
  RuntimeKind,
  StructuredRequest,
} from './ModelRuntime';
import { toModelError } from './modelErrors';
import { parseOllamaHost, type OllamaHost } from './ollamaHost';
import type { OutboundLog } from './outboundFetch';

export { recommendedChatModel, recommendedEmbeddingModel };

/** How long Keel trusts what it found installed before asking Ollama again for its pick. */
const automaticPickMs = 30_000;
/** How long "Ollama answers" decides the automatic runtime before Ollama is asked again. */
const availabilityMs = 10_000;

/** The built-in runtime's models are GGUF files, named by file; Ollama's names never end so. */
export function isBuiltinModel(model: string): boolean {
  return model.toLowerCase().endsWith('.gguf');
}

export type Platform = 'mac' | 'windows' | 'linux';

export function currentPlatform(platform: NodeJS.Platform = process.platform): Platform {
  return platform === 'darwin' ? 'mac' : platform === 'win32' ? 'windows' : 'linux';
}

/**
 * The context window Keel asks for, from the machine's memory: a bigger window costs memory on
 * top of the model's weights (roughly 0.1–0.5 GB per 4k tokens for small models), so a laptop with
 * 8 GB gets 4k and a 32 GB workstation 32k, never more than the model's own maximum.
 */
export function chooseNumCtx(modelContextLength: number | undefined, memoryBytes: number): number {
  const gib = memoryBytes / 2 ** 30;
  const byMemory = gib >= 31 ? 32768 : gib >= 15 ? 16384 : gib >= 7 ? 8192 : 4096;
  return modelContextLength === undefined ? Math.min(byMemory, 8192) : Math.min(modelContextLength, byMemory);
}

/** The models one space's work uses, with how long Ollama keeps them loaded. */
export interface ModelChoice {
  chatModel: string;
  embeddingModel: string;
  keepAlive: string;
}

export interface HostChoice {
  /** The host from settings; empty means none chosen there. */
  fromSettings: string;
  /** OLLAMA_HOST as the engine was started with. */
  fromEnvironment: string | undefined;
  allowRemote: boolean;
}

/** The models a runtime has installed, as the workspace's calls ask for them. */
export interface Models {
  /** The installed models of the runtime in use (settings, or a space's own `runtime`), with what each can do. */
  listInstalled(runtime?: RuntimeChoice): Promise<ModelInfo[]>;
}

export class ModelService implements Models {
  private current: { host: OllamaHost; source: ModelStatus['hostSource']; client: ModelClient } | undefined;
  private readonly details = new Map<string, Promise<ModelDetails>>();
  private readonly embeddingChecks = new Map<string, { ok: boolean; at: number }>();
  private readonly warmups = new Map<string, Promise<ModelWarmup>>();
  private picked: { at: number; host: string; models: Promise<AutomaticModels> } | undefined;
  private ollamaAnswers: { at: number; host: string; answers: Promise<boolean> } | undefined;

  constructor(
    private readonly choice: () => HostChoice,
    private readonly log: OutboundLog,
    private readonly events: EventHub,
    private readonly memoryBytes: number = totalmem(),
    /** Keel's own runtime, and the person's global choice of runtime (settings). */
    private readonly builtin?: { models: BuiltinModels; choice: () => RuntimeChoice },
  ) {}

  /**
   * The runtime a request goes to: a model is either a built-in GGUF file or Ollama's. Nothing
   * above this knows which one answered.
   */
  runtimeFor(model: string): ModelRuntime {
    return this.builtin && isBuiltinModel(model) ? this.builtin.models : this.client();
  }

  /**
   * The runtime that picks models for a space: the space's choice, else the global one; automatic
   * is Ollama when it answers, else the built-in runtime when it has a model.
   */
  async runtimeKind(choice: RuntimeChoice | undefined = undefined): Promise<RuntimeKind> {
    if (!this.builtin) return 'ollama';
    const chosen = choice ?? this.builtin.choice();
    if (chosen !== 'automatic') return chosen;
    const host = this.host.origin;
    if (
      !this.ollamaAnswers ||
      this.ollamaAnswers.host !== host ||
      Date.now() - this.ollamaAnswers.at > availabilityMs
    ) {
      const answers = Promise.resolve()
        .then(() => this.client().version(1500))
        .then(
          () => true,
          () => false,
        );
      this.ollamaAnswers = { at: Date.now(), host, answers };
    }
    if (await this.ollamaAnswers.answers) return 'ollama';
    // With no built-in model either, Ollama's advice (start it) stays what the person sees.
    return (await this.builtin.models.files()).size > 0 ? 'builtin' : 'ollama';
  }

  /**
   * Whether the models chosen in Settings apply to a space with this runtime of its own: not when it
   * runs on the other runtime, whose models have other names (a GGUF file, not an Ollama model).
   */
  async globalModelsApply(spaceRuntime: RuntimeChoice | undefined): Promise<boolean> {
    if (!spaceRuntime) return true;
    return (await this.runtimeKind(spaceRuntime)) === (await this.runtimeKind());
  }

  /** Streams one chat answer from whichever runtime has the model. */
  chat(request: ChatStreamRequest): AsyncGenerator<ChatPart, TurnStats> {
    return this.runtimeFor(request.model).chat(request);
  }

  /** The host in use, re-read from settings each time (changing it in settings takes effect at once). */
  get host(): OllamaHost {
    return this.resolve().host;
  }

  /** The client for the host, refused before anything is sent when the host is remote and not allowed. */
  client(): ModelClient {
    const resolved = this.resolve();
    if (!resolved.host.isLocal && !this.choice().allowRemote) {
      this.log.add({
        at: new Date().toISOString(),
        method: '-',
        origin: resolved.host.origin,
        path: '',
        bytesSent: 0,
        refused: true,
      });
      throw new KeelError(
        'host-not-allowed',
        `The model host ${resolved.host.origin} is not on this machine, so your prompts would leave it. Keel sends nothing there until you allow it in Settings.`,
      );
    }
    return resolved.client;
  }

  /**
   * The connection and the models in use. `chosen` holds the person's choices; an empty one means
   * not chosen, and the status then names the installed model Keel picked and why.
   */
  async status(chosen: { chatModel: string; embeddingModel: string }): Promise<ModelStatus> {
    if ((await this.runtimeKind()) === 'builtin') return this.builtinStatus(chosen);
    const { host, source } = this.resolve();
    const base = {
      host: host.origin,
      hostIsLocal: host.isLocal,
      hostSource: source,
      chatModel: chosen.chatModel || recommendedChatModel,
      checkedAt: new Date().toISOString(),
    };
    let client: ModelClient;
    try {
      client = this.client();
    } catch (error) {
      return { ...base, connection: 'remote-not-allowed', models: [], advice: (error as KeelError).message };
    }
    let version: string;
    try {
      version = await client.version().catch((error: unknown) => {
        // A pooled connection to an Ollama that has since stopped fails with a reset; a fresh
        // connection then tells "not running" (refused) from "unreachable" properly.
        if (toModelError(error, host, base.chatModel).code === 'stream-interrupted') return client.version();
        throw error;
      });
    } catch (error) {
      const failure = toModelError(error, host, base.chatModel);
      if (failure.code === 'ollama-not-running') {
        return { ...base, connection: 'not-running', models: [], advice: startAdvice(currentPlatform()) };
      }
      const from =
        source === 'default' ? '' : source === 'settings' ? ' (set in Settings)' : ' (from OLLAMA_HOST)';
      return {
        ...base,
        connection: 'unreachable',
        models: [],
        advice: `Keel tried ${host.origin}${from} and got no answer from Ollama. Check that Ollama runs there and that the address is right, then press Retry.`,
      };
    }
    // A fresh look at what is installed (the person may have pulled or removed a model since), in
    // one listing that gives both what the status shows and what Keel picks until moves ask again.
    const installed = await this.listModels().catch((): ModelInfo[] => []);
    const picked = pickAutomaticModels(installed, this.memoryBytes);
    this.picked = { at: Date.now(), host: host.origin, models: Promise.resolve(picked) };
    const models = installedRows(installed);
    const chatModel = chosen.chatModel || picked.chat?.name;
    const embeddingModel = chosen.embeddingModel || picked.embedding?.name;
    const embedding = {
      ...(embeddingModel ? { embeddingModel } : {}),
      ...(!chosen.embeddingModel && picked.embedding
        ? { embeddingModelPicked: picked.embedding.reason }
        : {}),
    };
    if (!chatModel || models.length === 0) {
      return {
        ...base,
        ...embedding,
        connection: 'no-models',
        version,
        models,
        recommendedModel: recommendedChatModel,
        advice:
          models.length === 0
            ? `Ollama is running but has no models yet. Pull ${recommendedChatModel} (about 2 GB) with the button, or run \`ollama pull ${recommendedChatModel}\` in a terminal.`
            : `Ollama has no chat model yet (only models for search). Pull ${recommendedChatModel} (about 2 GB) with the button, or run \`ollama pull ${recommendedChatModel}\` in a terminal.`,
      };
    }
    const inUse = {
      ...base,
      ...embedding,
      chatModel,
      ...(!chosen.chatModel && picked.chat ? { chatModelPicked: picked.chat.reason } : {}),
    };
    if (!models.some((model) => sameModel(model.name, chatModel))) {
      return {
        ...inUse,
        connection: 'model-missing',
        version,
        models,
        recommendedModel: chatModel,
        advice: `The model ${chatModel} you chose is not installed. Pull it with the button, run \`ollama pull ${chatModel}\` in a terminal, or pick an installed model in Settings.`,
      };
    }
    return { ...inUse, connection: 'connected', version, models, advice: `Connected to Ollama ${version}.` };
  }

  /** The status when the built-in runtime serves: its models, and what Keel picked from them. */
  private async builtinStatus(chosen: { chatModel: string; embeddingModel: string }): Promise<ModelStatus> {
    const runtime = this.builtin!.models;
    const installed = await this.listModels(runtime).catch((): ModelInfo[] => []);
    const picked = pickAutomaticModels(installed, this.memoryBytes);
    const models = installedRows(installed);
    const chatModel = chosen.chatModel || picked.chat?.name || '';
    const embeddingModel = chosen.embeddingModel || picked.embedding?.name;
    const base = {
      runtime: 'builtin' as const,
      host: 'built-in',
      hostIsLocal: true,
      hostSource: 'default' as const,
      version: await runtime.version(),
      checkedAt: new Date().toISOString(),
      chatModel,
      models,
      ...(embeddingModel ? { embeddingModel } : {}),
      ...(!chosen.chatModel && picked.chat ? { chatModelPicked: picked.chat.reason } : {}),
      ...(!chosen.embeddingModel && picked.embedding
        ? { embeddingModelPicked: picked.embedding.reason }
        : {}),
    };
    if (!chatModel) {
      return {
        ...base,
        connection: 'no-models',
        advice: `Keel's built-in runtime has no chat model yet. Download one, or point Keel at a GGUF file on your disk.`,
      };
    }
    if (!models.some((model) => model.name === chatModel)) {
      return {
        ...base,
        connection: 'model-missing',
        advice: `The model ${chatModel} you chose is not in Keel's models folder. Download it again or pick an installed model in Settings.`,
      };
    }
    return { ...base, connection: 'connected', advice: `Answering with Keel's built-in runtime.` };
  }

  /**
   * The installed models Keel uses where the person has not chosen one (see automaticModels.ts),
   * from the runtime the space uses, looked up at most every 30 seconds; nothing picked when the
   * runtime cannot be asked.
   */
  async automatic(choice?: RuntimeChoice): Promise<AutomaticModels> {
    const kind = await this.runtimeKind(choice);
    if (kind === 'builtin') {
      const installed = await this.listModels(this.builtin!.models);
      return pickAutomaticModels(installed, this.memoryBytes);
    }
    return this.automaticOllama();
  }

  private automaticOllama(): Promise<AutomaticModels> {
    const host = this.host.origin;
    const fresh = this.picked && this.picked.host === host && Date.now() - this.picked.at < automaticPickMs;
    if (!fresh) {
      const models = this.listModels().then((installed) => pickAutomaticModels(installed, this.memoryBytes));
      const entry = { at: Date.now(), host, models };
      // A failure is not remembered: the next move asks again.
      models.catch(() => {
        if (this.picked === entry) this.picked = undefined;
      });
      this.picked = entry;
    }
    return this.picked!.models;
  }

  /** The installed models of the runtime in use (settings, or `choice`), with their capabilities. */
  async listInstalled(choice?: RuntimeChoice): Promise<ModelInfo[]> {
    return (await this.runtimeKind(choice)) === 'builtin'
      ? this.listModels(this.builtin!.models)
      : this.listModels();
  }

  /** Every installed model of a runtime (Ollama by default) with its capabilities, remembered per model. */
  async listModels(runtime?: ModelRuntime): Promise<ModelInfo[]> {
    const installed = runtime ? await runtime.list() : await this.call((client) => client.list(), '');
    return Promise.all(
      installed.map(async (model) => {
        const details = await this.detailsOf(model.name).catch((): ModelDetails => ({
          contextLength: undefined,
          capabilities: [],
        }));
        return {
          ...model,
          capabilities: details.capabilities,
          ...(details.contextLength === undefined ? {} : { contextLength: details.contextLength }),
          canChat: details.capabilities.includes('completion'),
          canEmbed: details.capabilities.includes('embedding'),
        };
      }),
    );
  }

  /** Refuses, in words, a model that cannot do what it is chosen for. */
  async assertCan(model: string, use: 'chat' | 'embed'): Promise<ModelDetails> {
    const details = await this.detailsOf(model);
    const capability = use === 'chat' ? 'completion' : 'embedding';
    if (details.capabilities.length > 0 && !details.capabilities.includes(capability)) {
      throw new KeelError(
        'model-unsuitable',
        use === 'chat'
          ? `${model} is an embedding model: it turns text into numbers for search and cannot write answers. Pick a chat model such as ${recommendedChatModel}.`
          : `${model} is a chat model, not an embedding model. Pick an embedding model such as ${recommendedEmbeddingModel}.`,
        { field: use === 'chat' ? 'chatModel' : 'embeddingModel' },
      );
    }
    return details;
  }

  /** The context window to ask for with this model. */
  async numCtxFor(model: string): Promise<number> {
    const details = await this.detailsOf(model).catch((error: unknown) => {
      if (error instanceof KeelError && (error.code === 'model-missing' || error.code === 'host-not-allowed'))
        throw error;
      return undefined;
    });
    return chooseNumCtx(details?.contextLength, this.memoryBytes);
  }

  /** Whether to ask this model to think (only models that can; others answer 400). */
  async canThink(model: string): Promise<boolean> {
    const details = await this.detailsOf(model).catch(() => undefined);
    return details?.capabilities.includes('thinking') ?? false;
  }

  /**
   * Loads a model ahead of the first move (a request with only the model name), telling the
   * workspace it is loading and how long it took. Concurrent asks for one model share the load.
   */
  warm(model: string, keepAlive: string): Promise<ModelWarmup> {
    let running = this.warmups.get(model);
    if (!running) {
      running = this.load(model, keepAlive).finally(() => this.warmups.delete(model));
      this.warmups.set(model, running);
    }
    return running;
  }

  private async load(model: string, keepAlive: string): Promise<ModelWarmup> {
    const started = Date.now();
    const emit = (warmup: ModelWarmup) => {
      this.events.emit({ type: 'model.warmup', warmup });
      return warmup;
    };
    emit({ model, state: 'loading', elapsedMs: 0 });
    try {
      await this.assertCan(model, 'chat');
      // The same num_ctx as the moves will ask for, or Ollama would reload the model on the first move.
      const numCtx = await this.numCtxFor(model);
      await this.call((client) => client.load(model, keepAlive, numCtx), model);
      return emit({ model, state: 'ready', elapsedMs: Date.now() - started });
    } catch (error) {
      const failure = toModelError(error, this.host, model);
      return emit({ model, state: 'failed', elapsedMs: Date.now() - started, message: failure.message });
    }
  }

  detailsOf(model: string): Promise<ModelDetails> {
    const key = isBuiltinModel(model) ? `builtin ${model}` : `${this.host.origin} ${model}`;
    let known = this.details.get(key);
    if (!known) {
      known = this.call((client) => client.show(model), model);
      known.catch(() => this.details.delete(key));
      this.details.set(key, known);
    }
    return known;
  }

  /**
   * Whether a model is installed and embeds: false, not an error, when it is missing or Ollama is
   * down (search then goes by words alone). The answer is kept for a minute.
   */
  async canEmbed(model: string): Promise<boolean> {
    const cached = this.embeddingChecks.get(model);
    if (cached && Date.now() - cached.at < 60_000) return cached.ok;
    const ok = await this.detailsOf(model)
      .then((details) => details.capabilities.includes('embedding'))
      .catch(() => false);
    this.embeddingChecks.set(model, { ok, at: Date.now() });
    return ok;
  }

  /** Embeds texts; fails with `model-missing` when the embedding model is not installed. */
  embed(model: string, input: string[]): Promise<number[][]> {
    return this.call((client) => client.embed(model, input), model);
  }

  /** A structured (JSON schema) answer from a chat model, parsed. */
  structured(model: string, request: Omit<StructuredRequest, 'model'>): Promise<unknown> {
    return this.call((client) => client.structured({ model, ...request }), model);
  }

  private async call<T>(run: (runtime: ModelRuntime) => Promise<T>, model: string): Promise<T> {
    const runtime = this.runtimeFor(model);
    try {
      return await run(runtime);
    } catch (error) {
      throw toModelError(error, this.host, model);
    }
  }

  /** Stops the built-in runtime's processes. */
  async close(): Promise<void> {
    await this.builtin?.models.close();
  }

  private resolve(): { host: OllamaHost; source: ModelStatus['hostSource']; client: ModelClient } {
    const { fromSettings, fromEnvironment } = this.choice();
    const source: ModelStatus['hostSource'] =
      fromSettings.trim() !== '' ? 'settings' : fromEnvironment?.trim() ? 'OLLAMA_HOST' : 'default';
    const host = parseOllamaHost(source === 'settings' ? fromSettings : fromEnvironment);
    if (!this.current || this.current.host.origin !== host.origin) {
      this.current = { host, source, client: new ModelClient(host, this.log) };
    }
    this.current.source = source;
    return this.current;
  }
}

/** What to do when Ollama is not running, in the words of each platform. */
const ollamaStartAdvice: Record<Platform, string> = {
  mac: 'Ollama is not running. Open the Ollama app from Applications (install it from ollama.com if you have not yet), then press Retry.',
  windows:
    'Ollama is not running. Start Ollama from the Start menu (install it from ollama.com if you have not yet), then press Retry.',
  linux:
    'Ollama is not running. Run `ollama serve` in a terminal, or `sudo systemctl start ollama` if it is installed as a service (install it from ollama.com if you have not yet), then press Retry.',
};

export function startAdvice(platform: Platform): string {
  return ollamaStartAdvice[platform];
}

/** What the model status lists of each installed model (its details and capabilities stay out). */
function installedRows(installed: readonly ModelInfo[]): InstalledModel[] {
  return installed.map(({ name, size, family, parameterSize, quantization }) => ({
    name,
    size,
    family,
    parameterSize,
    quantization,
  }));
}
