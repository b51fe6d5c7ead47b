/**
 * The desktop window's way to "use a model file you already have": the system's open dialog, then
 * the engine's `useModelFile`, which checks the file is a GGUF model before taking it. The engine
 * never imports electron, so the dialog lives here.
 */
import { KeelError } from '../../shared/errors';
import type { Engine } from '../engine/Engine';

export type ShowOpenDialog = (options: {
  title: string;
  buttonLabel: string;
  properties: 'openFile'[];
  filters: { name: string; extensions: string[] }[];
}) => Promise<{ canceled: boolean; filePaths: string[] }>;

export async function chooseModelFile(
  engine: Pick<Engine, 'call'>,
  showOpenDialog: ShowOpenDialog,
): Promise<{ name: string } | null> {
  const chosen = await showOpenDialog({
    title: 'Use a model file',
    buttonLabel: 'Use this model',
    properties: ['openFile'],
    filters: [{ name: 'GGUF models', extensions: ['gguf'] }],
  });
  const path = chosen.filePaths[0];
  if (chosen.canceled || path === undefined) return null;
  const result = await engine.call('useModelFile', { path });
  if (!result.ok) throw new KeelError(result.error.code, result.error.message, { field: 'path' });
  return result.value;
}
