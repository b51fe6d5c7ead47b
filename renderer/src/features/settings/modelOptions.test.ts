import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../../shared/domain';
import { modelOptions } from './modelOptions';

function model(overrides: Partial<ModelInfo> & { name: string }): ModelInfo {
  return {
    size: 1,
    family: 'llama',
    parameterSize: '',
    quantization: 'Q4_K_M',
    capabilities: ['completion'],
    canChat: true,
    canEmbed: false,
    ...overrides,
  };
}

const installed = [
  model({ name: 'llama3.2:latest', parameterSize: '3.2B' }),
  model({ name: 'qwen3:4b', parameterSize: '4.0B', capabilities: ['completion', 'thinking'] }),
  model({ name: 'nomic-embed-text:latest', capabilities: ['embedding'], canChat: false, canEmbed: true }),
];

describe('modelOptions', () => {
  it('offers only chat models for chat, and only embedding models for embeddings', () => {
    expect(modelOptions(installed, 'chat', 'llama3.2')).toEqual([
      { value: 'llama3.2:latest', label: 'llama3.2 (3.2B)' },
      { value: 'qwen3:4b', label: 'qwen3:4b (4.0B)' },
    ]);
    expect(modelOptions(installed, 'embed', 'nomic-embed-text').map((option) => option.value)).toEqual([
      'nomic-embed-text:latest',
    ]);
  });

  it('keeps the current choice even when it is not installed, and says so', () => {
    expect(modelOptions(installed, 'chat', 'mistral')[0]).toEqual({
      value: 'mistral',
      label: 'mistral (not installed)',
    });
    expect(modelOptions(installed, 'chat', 'nomic-embed-text')[0]?.label).toBe(
      'nomic-embed-text (cannot chat)',
    );
    expect(modelOptions(null, 'chat', 'llama3.2')).toEqual([{ value: 'llama3.2', label: 'llama3.2' }]);
  });

  it('offers a model whose capabilities Ollama did not report for both jobs', () => {
    const unknown = [model({ name: 'old:7b', capabilities: [], canChat: false })];
    expect(modelOptions(unknown, 'chat', '').map((option) => option.value)).toEqual(['old:7b']);
    expect(modelOptions(unknown, 'embed', '').map((option) => option.value)).toEqual(['old:7b']);
  });
});
