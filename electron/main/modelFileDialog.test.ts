import { describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../shared/errors';
import { chooseModelFile, type ShowOpenDialog } from './modelFileDialog';

const added = {
  fileName: 'mine.gguf',
  name: 'Mine',
  architecture: 'llama',
  bytes: 10,
  how: 'linked' as const,
};

describe('choosing a model file in the desktop window', () => {
  it('offers GGUF files and hands the chosen path to the engine, which checks it', async () => {
    const call = vi.fn(async () => ok(added));
    const dialog = vi.fn<ShowOpenDialog>(async () => ({ canceled: false, filePaths: ['/models/mine.gguf'] }));
    await expect(chooseModelFile({ call } as never, dialog)).resolves.toEqual(added);
    expect(dialog.mock.calls[0]![0].filters).toEqual([{ name: 'GGUF models', extensions: ['gguf'] }]);
    expect(call).toHaveBeenCalledExactlyOnceWith('useModelFile', { path: '/models/mine.gguf' });
  });

  it('does nothing when the dialog is closed', async () => {
    const call = vi.fn();
    await expect(
      chooseModelFile({ call } as never, async () => ({ canceled: true, filePaths: [] })),
    ).resolves.toBeNull();
    expect(call).not.toHaveBeenCalled();
  });

  it('passes on the engine’s refusal in its words', async () => {
    const refusal = { code: 'invalid-input' as const, message: '/x.gguf is not a model Keel can use.' };
    const call = vi.fn(async () => fail(refusal));
    await expect(
      chooseModelFile({ call } as never, async () => ({ canceled: false, filePaths: ['/x.gguf'] })),
    ).rejects.toMatchObject(refusal);
  });
});
