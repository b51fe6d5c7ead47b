/**
 * What may be sent as a source and under which name: the file's kind, its size against the limit.
 * Checked in the browser, so that a 2 GB video dropped by mistake is never read into memory.
 */
import { limits } from '../../../shared/contract';
import type { SourceFormat } from '../../../shared/domain';
import { sourceFormatOfName, unsupportedKindReason } from '../../../shared/sourceFormats';
import { endSentence } from './endSentence';

const formatsByMimeType: Record<string, SourceFormat> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/csv': 'csv',
  'text/html': 'html',
};

/** What kind of source a file is, by its name's extension and else its type; null: not one Keel reads. */
export function sourceFormatOf(fileName: string, mimeType = ''): SourceFormat | null {
  return (
    sourceFormatOfName(fileName) ?? formatsByMimeType[mimeType.split(';')[0]!.trim().toLowerCase()] ?? null
  );
}

const KB = 1024;
const MB = 1024 * KB;

/**
 * A file's size as "812 KB" or "4.2 MB", in the binary units the 50 MB limit is counted in (so a
 * file at the limit reads "50 MB", not "52 MB").
 */
export function formatSourceSize(bytes: number): string {
  if (bytes < KB) return `${Math.max(0, Math.round(bytes))} B`;
  if (bytes < MB) return `${Math.max(1, Math.round(bytes / KB))} KB`;
  const megabytes = bytes / MB;
  return megabytes < 10 ? `${megabytes.toFixed(1)} MB` : `${Math.round(megabytes)} MB`;
}

/** The size limit as the person reads it: "50 MB". */
export const sourceSizeLimitLabel = formatSourceSize(limits.sourceBytes);

/** Why a file is not sent at all, in a sentence naming it; null when it may go. */
export function sourceFileProblem(file: { name: string; bytes: number; mimeType: string }): string | null {
  if (file.bytes > limits.sourceBytes) {
    const size = formatSourceSize(file.bytes);
    const actual = size === sourceSizeLimitLabel ? '' : ` (it is ${size})`;
    return `${file.name} is over the ${sourceSizeLimitLabel} limit${actual}: split it, or save a smaller copy, and add that.`;
  }
  if (sourceFormatOf(file.name, file.mimeType) === null) {
    return endSentence(`${file.name} was not added: ${unsupportedKindReason(file.name)}`);
  }
  if (file.bytes === 0) return `${file.name} is empty.`;
  return null;
}

/** A file name that fits the contract's name limit, keeping its extension. */
export function fittedFileName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= limits.name) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 && trimmed.length - dot <= 10 ? trimmed.slice(dot) : '';
  return `${trimmed.slice(0, limits.name - extension.length - 1).trimEnd()}…${extension}`;
}
