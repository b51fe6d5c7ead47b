import { describe, expect, it } from 'vitest';
import { passageLocation, passageRefText, sourceExtent, sourceUse, uploadStageText } from './sourceLabels';

describe('passageLocation', () => {
  it('names a page, a section, or both, as a heading or after a name', () => {
    expect(passageLocation({ page: 2 })).toBe('Page 2');
    expect(passageLocation({ page: 2 }, 'inline')).toBe('page 2');
    expect(passageLocation({ section: 'Rows 2–41' })).toBe('Rows 2–41');
    expect(passageLocation({ page: 3, section: ' Costs ' }, 'inline')).toBe('page 3 · Costs');
    expect(passageLocation({})).toBe('');
  });
});

describe('passageRefText', () => {
  it('reads as the turn lists it', () => {
    expect(passageRefText({ label: 'P1', sourceId: 's', index: 1, page: 2 }, 'Q3 report.pdf')).toBe(
      '[P1] Q3 report.pdf · page 2',
    );
    expect(passageRefText({ label: 'P2', sourceId: 's', index: 0, section: 'Pricing' }, 'brief.docx')).toBe(
      '[P2] brief.docx · Pricing',
    );
    expect(passageRefText({ label: 'P3', sourceId: 's', index: 0 }, undefined)).toBe('[P3] a source');
    expect(passageRefText({ label: 'P4', sourceId: 's', index: 0, removed: true }, 'gone.pdf')).toBe(
      '[P4] a removed source',
    );
  });
});

describe('sourceExtent and sourceUse', () => {
  it('count pages for a PDF and sections otherwise, and the turns that used it', () => {
    expect(sourceExtent({ format: 'pdf', pages: 1, sections: 1 })).toBe('1 page');
    expect(sourceExtent({ format: 'pdf', pages: 12, sections: 12 })).toBe('12 pages');
    expect(sourceExtent({ format: 'csv', sections: 3 })).toBe('3 sections');
    expect(sourceExtent({ format: 'text', sections: 1 })).toBe('1 section');
    expect(sourceUse(0)).toBe('Not used yet');
    expect(sourceUse(1)).toBe('Used in 1 turn');
    expect(sourceUse(7)).toBe('Used in 7 turns');
  });
});

describe('uploadStageText', () => {
  it('says where a file on its way in stands', () => {
    expect(uploadStageText({ started: false, progress: null })).toBe('Waiting for the files before it');
    expect(uploadStageText({ started: true, progress: null })).toBe('Sending it to Keel…');
    const progress = { uploadId: 'u', name: 'a.pdf', done: 3, total: 10 };
    expect(uploadStageText({ started: true, progress: { ...progress, stage: 'reading' } })).toBe(
      'Reading (3 of 10)',
    );
    expect(uploadStageText({ started: true, progress: { ...progress, stage: 'indexing', total: 0 } })).toBe(
      'Cutting it into passages',
    );
    expect(uploadStageText({ started: true, progress: { ...progress, stage: 'embedding' } })).toBe(
      'Embedding passages for search by meaning (3 of 10)',
    );
    expect(uploadStageText({ started: true, progress: { ...progress, stage: 'saving' } })).toBe('Saving');
  });
});
