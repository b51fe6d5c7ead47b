/**
 * What the engine knows about the model host: whether Ollama answers, which models are installed,
 * each model's context length, and the words a person needs when something is missing.
 */
import type { ModelStatus } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ModelClient, ModelDetails } from './ModelClient';
import { toModelError } from './modelErrors';

/** The context Keel asks for when the model allows it: room for a long loop without the memory cost of 128k. */
export const preferredNumCtx = 8192;

export const recommendedChatModel = 'llama3.2';

export class ModelService {
  private readonly details = new Map<string, Promise<ModelDetails>>();

  constructor(readonly client: ModelClient) {}

  async status(chatModel: string): Promise<ModelStatus> {
    const host = this.client.host;
    const base = {
      host: host.origin,
      hostIsLocal: host.isLocal,
      chatModel,
      checkedAt: new Date().toISOString(),
    };
    let version: string;
    try {
      version = await this.client.version();
    } catch (error) {
      const failure = toModelError(error, host, chatModel);
      const connection = failure.code === 'ollama-not-running' ? 'not-running' : 'unreachable';
      const advice =
        connection === 'not-running'
          ? `Ollama is not running. Install it from ollama.com if you have not yet, start the Ollama app (or run \`ollama serve\` in a terminal), then press Retry.`
          : `Keel tried ${host.origin} and got no answer from Ollama. Check that Ollama runs there (the address comes from OLLAMA_HOST), then press Retry.`;
      return { ...base, connection, models: [], advice };
    }
    const models = await this.client.list().catch(() => []);
    if (models.length === 0) {
      return {
        ...base,
        connection: 'no-models',
        version,
        models,
        advice: `Ollama is running but has no models yet. Run \`ollama pull ${recommendedChatModel}\` in a terminal (about 2 GB), then press Retry.`,
      };
    }
    if (!models.some((model) => sameModel(model.name, chatModel))) {
      return {
        ...base,
        connection: 'model-missing',
        version,
        models,
        advice: `The model ${chatModel} is not installed. Run \`ollama pull ${chatModel}\` in a terminal, then press Retry.`,
      };
    }
    return { ...base, connection: 'connected', version, models, advice: `Connected to Ollama ${version}.` };
  }

  /** The context window to ask for: the model's own, capped at what a laptop handles well. */
  async numCtxFor(model: string): Promise<number> {
    const details = await this.detailsOf(model).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'model-missing') throw error;
      return undefined;
    });
    const own = details?.contextLength;
    return own === undefined ? preferredNumCtx : Math.min(own, preferredNumCtx);
  }

  private detailsOf(model: string): Promise<ModelDetails> {
    let known = this.details.get(model);
    if (!known) {
      known = this.client.show(model);
      known.catch(() => this.details.delete(model));
      this.details.set(model, known);
    }
    return known;
  }
}

/** `llama3.2` and `llama3.2:latest` name the same model, as in Ollama. */
export function sameModel(a: string, b: string): boolean {
  const full = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return full(a) === full(b);
}
