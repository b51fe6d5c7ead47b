/**
 * The kinds of file Keel reads as sources, by extension and by type: one table for the engine that
 * reads them and the workspace that offers and checks them before sending.
 */
import type { SourceFormat } from './domain';

export const sourceFormatsByExtension: Readonly<Record<string, SourceFormat>> = {
  pdf: 'pdf',
  docx: 'docx',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  csv: 'csv',
  html: 'html',
  htm: 'html',
};

/** The type each format is stored and handed back under. */
export const sourceMimeTypes: Readonly<Record<SourceFormat, string>> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  markdown: 'text/markdown',
  text: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
};

/** For a file picker's `accept`. */
export const sourceFileAccept = Object.keys(sourceFormatsByExtension)
  .map((extension) => `.${extension}`)
  .join(',');

/** The lower-cased extension of a file name ("" when it has none). */
export function extensionOf(fileName: string): string {
  return /.\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
}

/** The format of a file by its extension, or null when Keel does not read that kind. */
export function sourceFormatOfName(fileName: string): SourceFormat | null {
  return sourceFormatsByExtension[extensionOf(fileName)] ?? null;
}

/** Why a file of another kind is refused, in words, with what to do instead. */
export function unsupportedKindReason(fileName: string): string {
  const extension = extensionOf(fileName);
  const hint =
    extension === 'doc'
      ? ' Keel reads Word files in the .docx format: open it in Word and save it as .docx first.'
      : '';
  return `Keel does not read ${extension ? `.${extension}` : 'this kind of'} files.${hint} It reads PDF, Word (.docx), Markdown, plain text, CSV and saved web pages (.html)`;
}
