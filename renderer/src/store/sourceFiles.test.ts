import { describe, expect, it } from 'vitest';
import { limits } from '../../../shared/contract';
import { fittedFileName, formatSourceSize, sourceFileProblem, sourceFormatOf } from './sourceFiles';

describe('sourceFormatOf', () => {
  it('knows a file by its extension, in any case, and else by its type', () => {
    expect(sourceFormatOf('Q3 Report.PDF')).toBe('pdf');
    expect(sourceFormatOf('brief.docx')).toBe('docx');
    expect(sourceFormatOf('notes.markdown')).toBe('markdown');
    expect(sourceFormatOf('notes.md')).toBe('markdown');
    expect(sourceFormatOf('log.txt')).toBe('text');
    expect(sourceFormatOf('churn.csv')).toBe('csv');
    expect(sourceFormatOf('page.htm')).toBe('html');
    expect(sourceFormatOf('README', 'text/plain; charset=utf-8')).toBe('text');
    expect(sourceFormatOf('.pdf')).toBeNull();
    expect(sourceFormatOf('photo.png', 'image/png')).toBeNull();
    expect(sourceFormatOf('old.doc', 'application/msword')).toBeNull();
  });
});

describe('formatSourceSize', () => {
  it('reads in the binary units the limit is counted in', () => {
    expect(formatSourceSize(0)).toBe('0 B');
    expect(formatSourceSize(900)).toBe('900 B');
    expect(formatSourceSize(1024)).toBe('1 KB');
    expect(formatSourceSize(812 * 1024 + 100)).toBe('812 KB');
    expect(formatSourceSize(4.25 * 1024 * 1024)).toBe('4.3 MB');
    expect(formatSourceSize(limits.sourceBytes)).toBe('50 MB');
  });
});

describe('sourceFileProblem', () => {
  it('refuses a file over the limit, of another kind, or empty, naming it', () => {
    expect(sourceFileProblem({ name: 'ok.pdf', bytes: limits.sourceBytes, mimeType: '' })).toBeNull();
    expect(sourceFileProblem({ name: 'big.pdf', bytes: limits.sourceBytes + 1, mimeType: '' })).toBe(
      'big.pdf is over the 50 MB limit: split it, or save a smaller copy, and add that.',
    );
    expect(sourceFileProblem({ name: 'scan.pdf', bytes: 80 * 1024 * 1024, mimeType: '' })).toBe(
      'scan.pdf is over the 50 MB limit (it is 80 MB): split it, or save a smaller copy, and add that.',
    );
    expect(sourceFileProblem({ name: 'clip.mov', bytes: 10, mimeType: 'video/quicktime' })).toMatch(
      /^clip\.mov was not added: Keel does not read \.mov files/,
    );
    // The reason comes from elsewhere: the sentence still ends with one full stop.
    expect(sourceFileProblem({ name: 'old.doc', bytes: 10, mimeType: '' })).toMatch(/[^.]\.$/);
    expect(sourceFileProblem({ name: 'blank.txt', bytes: 0, mimeType: '' })).toBe('blank.txt is empty.');
  });
});

describe('fittedFileName', () => {
  it('keeps a name within the limit, and its extension', () => {
    expect(fittedFileName('  report.pdf ')).toBe('report.pdf');
    const long = `${'a'.repeat(300)}.pdf`;
    const fitted = fittedFileName(long);
    expect(fitted).toHaveLength(limits.name);
    expect(fitted.endsWith('….pdf')).toBe(true);
  });
});
