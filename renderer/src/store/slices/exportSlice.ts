/** A loop as a document the person takes away (Markdown or Word), always with their latest draft. */
import type { CallResult } from '../../../../shared/contract';
import { fail, type Result } from '../../../../shared/errors';
import type { KeelApi, KeelSliceCreator } from '../keelState';
import { settle } from '../settle';

export type ExportFormat = 'markdown' | 'docx';
export type ExportedFile = CallResult<'exportLoop'>;

export interface ExportSlice {
  /** The loop as a document, with the latest draft saved first. */
  exportLoop(loopId: string, format: ExportFormat, includeTimeline: boolean): Promise<Result<ExportedFile>>;
}

declare module '../keelState' {
  interface KeelSlices {
    export: ExportSlice;
  }
}

export function createExportSlice(api: KeelApi): KeelSliceCreator<ExportSlice> {
  return (_set, get) => ({
    exportLoop: async (loopId, format, includeTimeline) => {
      if (!(await get().flushDraft(loopId))) {
        const error = get().drafts[loopId]?.error;
        return fail({
          code: error?.code ?? 'internal',
          message:
            `The draft could not be saved first, so the export would miss your latest text. ${error?.message ?? ''}`.trim(),
        });
      }
      return settle(() => api.exportLoop({ loopId, format, includeTimeline }));
    },
  });
}
