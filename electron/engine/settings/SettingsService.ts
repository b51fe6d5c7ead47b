/**
 * The person's settings and the models each space uses: reading and changing settings (a model that
 * cannot do its job is refused, a chosen chat model is warmed), which models a space gets, and the
 * model status every window hears about.
 */
import { resolve } from 'node:path';
import type { Loop, ModelStatus, ModelWarmup, Settings, Space, SpaceModels } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import type { LoopService } from '../loops/LoopService';
import {
  recommendedChatModel,
  recommendedEmbeddingModel,
  type AutomaticModels,
} from '../model/automaticModels';
import type { BuiltinModels } from '../model/builtin/BuiltinModels';
import type { ModelChoice, ModelService } from '../model/ModelService';
import { parseOllamaHost } from '../model/ollamaHost';
import type { Store } from '../store/Store';

/** The settings a new data folder starts with. */
export function settingsDefaults(defaultChatModel: string | undefined): Settings {
  return {
    // Empty: not chosen yet, so Keel uses an installed model (see automaticModels.ts).
    chatModel: defaultChatModel ?? '',
    embeddingModel: '',
    theme: 'system',
    keepAlive: '10m',
    ollamaHost: '',
    allowRemoteHost: false,
    backupKeep: 7,
    lockAfterMinutes: 15,
    notifyDueForecasts: true,
    runtime: 'automatic',
    modelFiles: [],
  };
}

/** What the workspace's calls about settings and model choice need. */
export interface Preferences {
  current(): Settings;
  update(changes: Partial<Settings>): Promise<Settings>;
  setSpaceModels(input: SpaceModels): Promise<Space>;
  useModelFile(path: string): Promise<{ name: string }>;
  modelChoice(spaceId: string): Promise<ModelChoice>;
  modelStatus(): Promise<ModelStatus>;
  warm(model: string | undefined, spaceId: string | undefined): Promise<ModelWarmup>;
  warmFor(loop: Loop): Loop;
}

export class SettingsService implements Preferences {
  private lastStatusKey = '';

  constructor(
    private readonly store: Store,
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly builtinModels: BuiltinModels,
    private readonly events: EventHub,
  ) {}

  private get data() {
    return this.store.settings.data;
  }

  current(): Settings {
    const { version: _version, ...rest } = this.data;
    return rest;
  }

  async update(changes: Partial<Settings>): Promise<Settings> {
    if (changes.ollamaHost !== undefined && changes.ollamaHost !== '') parseOllamaHost(changes.ollamaHost);
    await this.checkModel(changes.chatModel, 'chat');
    await this.checkModel(changes.embeddingModel, 'embed');
    Object.assign(this.data, definedOnly(changes));
    await this.store.settings.save();
    if (changes.chatModel !== undefined) this.warmInBackground(changes.chatModel);
    return this.current();
  }

  async setSpaceModels(input: SpaceModels): Promise<Space> {
    await this.checkModel(input.chatModel, 'chat');
    await this.checkModel(input.embeddingModel, 'embed');
    const space = await this.loops.setSpaceModels(input);
    if (input.chatModel) this.warmInBackground(input.chatModel);
    return space;
  }

  async useModelFile(path: string): Promise<{ name: string }> {
    const file = resolve(path);
    const { name } = await this.builtinModels.useModelFile(file);
    if (!this.data.modelFiles.includes(file)) {
      this.data.modelFiles = [...this.data.modelFiles, file];
      await this.store.settings.save();
    }
    return { name };
  }

  /**
   * The models for a space: the space's own, else the person's global choice, else the installed
   * one Keel picked (Ollama is asked only when something is not chosen), else Keel's default name
   * (which then fails with the advice to pull it).
   */
  async modelChoice(spaceId: string): Promise<ModelChoice> {
    const space = this.store.catalog.data.spaces.find((candidate) => candidate.id === spaceId);
    // Whether Settings' models fit the space's runtime is asked only when the space lacks one of its own
    // (it may ask Ollama, and this runs before every answer).
    const needsGlobal = !space?.chatModel || !space.embeddingModel;
    const global =
      needsGlobal && (await this.models.globalModelsApply(space?.runtime)) ? this.data : undefined;
    let chatModel = space?.chatModel || global?.chatModel;
    let embeddingModel = space?.embeddingModel || global?.embeddingModel;
    if (!chatModel || !embeddingModel) {
      const picked = await this.models.automatic(space?.runtime).catch((): AutomaticModels => ({}));
      chatModel ||= picked.chat?.name ?? recommendedChatModel;
      embeddingModel ||= picked.embedding?.name ?? recommendedEmbeddingModel;
    }
    return { chatModel, embeddingModel, keepAlive: this.data.keepAlive };
  }

  async modelStatus(): Promise<ModelStatus> {
    const status = await this.models.status(this.data);
    // Every window hears when the connection changes, not only the one that asked.
    const key = `${status.connection} ${status.host} ${status.chatModel}`;
    if (key !== this.lastStatusKey) {
      this.lastStatusKey = key;
      this.events.emit({ type: 'model.status', status });
    }
    return status;
  }

  /** Loads a model (by default the chat model of the space) so the next move does not wait for it. */
  async warm(model: string | undefined, spaceId: string | undefined): Promise<ModelWarmup> {
    return this.models.warm(model ?? (await this.modelChoice(spaceId ?? '')).chatModel, this.data.keepAlive);
  }

  /** Opening a loop is the moment to load its model, so the first move does not wait for it. */
  warmFor(loop: Loop): Loop {
    void this.modelChoice(loop.spaceId).then((choice) => this.warmInBackground(choice.chatModel));
    return loop;
  }

  /** Warming is a courtesy: its outcome arrives as events, and a failure here changes nothing. */
  private warmInBackground(model: string): void {
    this.models.warm(model, this.data.keepAlive).catch(() => undefined);
  }

  /**
   * Refuses a model that cannot do the job. One that is not installed yet, or that cannot be checked
   * while Ollama is down, may still be chosen: the status then offers to pull it.
   */
  private async checkModel(model: string | null | undefined, use: 'chat' | 'embed'): Promise<void> {
    if (!model) return;
    await this.models.assertCan(model, use).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'model-unsuitable') throw error;
    });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
