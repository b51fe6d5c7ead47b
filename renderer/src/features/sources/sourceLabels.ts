/**
 * Sources in the words a person reads: what kind of file, how big, where a passage sits in it.
 * Pure, so the panel, the viewer and the turns all say it the same way.
 */
import type {
  PassageRef,
  Source,
  SourceFormat,
  SourcePassage,
  SourceProgress,
} from '../../../../shared/domain';
import { missingCase } from '../../../../shared/errors';

/** The kinds of file the "Add files" picker offers. */
export { sourceFileAccept } from '../../../../shared/sourceFormats';

export const sourceFormatLabels: Record<SourceFormat, string> = {
  pdf: 'PDF',
  docx: 'Word',
  markdown: 'Markdown',
  text: 'Text',
  csv: 'CSV',
  html: 'Web page',
};

/** "12 pages" for a PDF, else "3 sections". */
export function sourceExtent(source: Pick<Source, 'pages' | 'sections' | 'format'>): string {
  if (source.pages !== undefined) return source.pages === 1 ? '1 page' : `${source.pages} pages`;
  return source.sections === 1 ? '1 section' : `${source.sections} sections`;
}

/** "Not used yet", "Used in 1 turn", "Used in 4 turns". */
export function sourceUse(usedInTurns: number): string {
  if (usedInTurns <= 0) return 'Not used yet';
  return usedInTurns === 1 ? 'Used in 1 turn' : `Used in ${usedInTurns} turns`;
}

/**
 * Where a passage sits: "Page 2", a section's title, "Rows 2–41", or both ("Page 2 · Costs"). As a
 * heading it starts with a capital; inline (after a source's name) it reads "page 2". Empty when the
 * engine knows no place for it.
 */
export function passageLocation(
  passage: Pick<SourcePassage, 'page' | 'section'>,
  style: 'heading' | 'inline' = 'heading',
): string {
  const parts: string[] = [];
  if (passage.page !== undefined) parts.push(`${style === 'heading' ? 'Page' : 'page'} ${passage.page}`);
  if (passage.section?.trim()) parts.push(passage.section.trim());
  return parts.join(' · ');
}

/** How a turn names one of its passages: "[P1] Q3 report.pdf · page 2", or the removed source. */
export function passageRefText(ref: PassageRef, sourceName: string | undefined): string {
  if (ref.removed) return `[${ref.label}] a removed source`;
  const location = passageLocation(ref, 'inline');
  return `[${ref.label}] ${sourceName ?? 'a source'}${location ? ` · ${location}` : ''}`;
}

/** What is happening to a file on its way in, as the line under its bar says. */
export function uploadStageText(upload: { started: boolean; progress: SourceProgress | null }): string {
  if (!upload.started) return 'Waiting for the files before it';
  const progress = upload.progress;
  if (!progress) return 'Sending it to Keel…';
  const count = progress.total > 0 ? ` (${progress.done} of ${progress.total})` : '';
  switch (progress.stage) {
    case 'reading':
      return `Reading${count}`;
    case 'indexing':
      return `Cutting it into passages${count}`;
    case 'embedding':
      return `Embedding passages for search by meaning${count}`;
    case 'saving':
      return 'Saving';
    default:
      return missingCase(progress.stage);
  }
}
