/**
 * The steps of adding a source that do not touch the library's files: what format pasted text is,
 * how big a file is in words, how many sections it has, its vectors, and the progress reported.
 */
import type { SourceFormat, SourceProgress } from '../../../shared/domain';
import type { EventHub } from '../EventHub';
import type { ModelService } from '../model/ModelService';
import type { StoredPassages } from './sourceDocuments';

/** Vectors for every passage, in batches with progress; undefined without an embedding model. */
export async function embedPassages(
  models: ModelService,
  model: string,
  passages: readonly { text: string }[],
  progress: (done: number) => void,
): Promise<number[][] | undefined> {
  if (!(await models.canEmbed(model))) return undefined;
  const vectors: number[][] = [];
  try {
    for (let start = 0; start < passages.length; start += 16) {
      const batch = passages.slice(start, start + 16).map((passage) => passage.text);
      vectors.push(...(await models.embed(model, batch)));
      progress(vectors.length);
    }
  } catch {
    // Search by meaning is a bonus: without vectors the source is still found by its words.
    return undefined;
  }
  return vectors.length === passages.length ? vectors : undefined;
}

export function countSections(passages: StoredPassages['passages']): number {
  return new Set(passages.map((passage) => `${passage.page ?? ''}|${passage.section ?? ''}`)).size;
}

/** Pasted text is Markdown when its title says so, plain text otherwise. */
export function pastedFormat(title: string): SourceFormat {
  return /\.(md|markdown)$/i.test(title) ? 'markdown' : 'text';
}

export function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} MB`;
}

/**
 * Progress events, at most about ten a second (the first and last of each stage always go). Each
 * step first asks `goOn`, which throws to stop the work (Keel is closing).
 */
export function progressReporter(events: EventHub, uploadId: string, name: string, goOn: () => void) {
  let last = 0;
  let lastStage = '';
  return (stage: SourceProgress['stage'], done: number, total: number) => {
    goOn();
    const at = Date.now();
    if (stage === lastStage && at - last < 100 && done !== total) return;
    last = at;
    lastStage = stage;
    events.emit({ type: 'source.progress', progress: { uploadId, name, stage, done, total } });
  };
}
