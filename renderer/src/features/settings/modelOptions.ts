import type { ModelInfo } from '../../../../shared/domain';
import { displayModelName, sameModel } from '../models/modelFormat';

export type ModelUse = 'chat' | 'embed';

/**
 * Whether a model can do this job. A model whose capabilities Ollama did not report (an older
 * Ollama) is offered too: the engine checks it when it is chosen.
 */
export function suitsUse(model: ModelInfo, use: ModelUse): boolean {
  if (model.capabilities.length === 0) return true;
  return use === 'chat' ? model.canChat : model.canEmbed;
}

export interface ModelOption {
  value: string;
  label: string;
}

/** Why the current choice is not among the installed models fit for the job ('' while unknown). */
function whyNotOffered(models: ModelInfo[] | null, use: ModelUse, current: string): string {
  if (models === null) return '';
  if (!models.some((model) => sameModel(model.name, current))) return ' (not installed)';
  return use === 'chat' ? ' (cannot chat)' : ' (cannot embed)';
}

/** The installed models fit for the job, and the current choice even when it is not installed. */
export function modelOptions(models: ModelInfo[] | null, use: ModelUse, current: string): ModelOption[] {
  const installed = models ?? [];
  const options: ModelOption[] = installed
    .filter((model) => suitsUse(model, use))
    .map((model) => ({
      value: model.name,
      label: model.parameterSize
        ? `${displayModelName(model.name)} (${model.parameterSize})`
        : displayModelName(model.name),
    }));
  if (current && !options.some((option) => sameModel(option.value, current))) {
    options.unshift({
      value: current,
      label: `${displayModelName(current)}${whyNotOffered(models, use, current)}`,
    });
  }
  return options;
}
