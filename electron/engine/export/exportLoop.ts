/** Exports a loop as a document the person can share: Markdown or Word. */
import type { FileContent, Loop, LoopExport, Space } from '../../../shared/domain';
import { exportFileName, loopMarkdown } from './loopMarkdown';
import { markdownToDocx } from './markdownToDocx';

export async function exportLoop(
  loop: Loop,
  space: Space | undefined,
  { format, includeTimeline }: Omit<LoopExport, 'loopId'>,
  sourceNames?: ReadonlyMap<string, string>,
  memoryTexts?: ReadonlyMap<string, string>,
): Promise<FileContent> {
  const markdown = loopMarkdown(loop, space, includeTimeline ?? false, sourceNames, memoryTexts);
  if (format === 'markdown') {
    return {
      fileName: exportFileName(loop.title, 'md'),
      mimeType: 'text/markdown',
      base64: Buffer.from(markdown, 'utf8').toString('base64'),
    };
  }
  const bytes = await markdownToDocx(markdown, loop.title);
  return {
    fileName: exportFileName(loop.title, 'docx'),
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    base64: bytes.toString('base64'),
  };
}
