/**
 * The checks made before a reader opens a file count what real documents hold as they are, so a
 * good file is never refused: a page's depth without the end tags its parser supplies, a Markdown
 * file's real nesting, and a Word document's real unpacked size.
 */
import { describe, expect, it } from 'vitest';
import { docxFile } from '../../../tests/fixtures/sourceFiles';
import { zipBombDocx } from '../../../tests/fixtures/hostileFiles';
import { htmlDepth, markdownDepth } from './parse';
import { assertZipExpandsWithin } from './zipLimits';

describe('htmlDepth', () => {
  it('counts elements as they nest, not the end tags a parser supplies, void elements or script text', () => {
    const page = [
      '<!doctype html><html><head><title>Plan</title><script>if (a < b) document.write("<div><div><div>")</script></head>',
      '<body><main><section><p>One<p>Two<br><img src="x.png"><ul><li>A<li>B</ul>',
      '<!-- <div><div> --><table><tr><td>1<td>2</table><svg><path d="M0"/></svg></section></main>',
    ].join('');
    // main > section > ul, or main > section > table, or main > section > svg
    expect(htmlDepth(page, 100)).toBe(3);
  });

  it('stops counting once past the limit', () => {
    expect(htmlDepth('<div>'.repeat(100_000), 256)).toBe(257);
  });
});

describe('markdownDepth', () => {
  it('counts nested quotes, list items and brackets left open', () => {
    const notes = [
      '# Interviews',
      '',
      '> The chef said:',
      '> > quieter robots',
      '',
      '- Pricing',
      '  - [Lyon pilot](https://example.invalid/[x])',
      '    - next step',
      '',
      'An aside [with [nested] brackets] and `code[0]`.',
    ].join('\n');
    expect(markdownDepth(notes, 32)).toBe(3);
  });

  it('starts brackets afresh at each paragraph', () => {
    expect(markdownDepth(`${'['.repeat(10)}\n\n${'['.repeat(10)}`, 32)).toBe(10);
    expect(markdownDepth('['.repeat(200_000), 32)).toBe(33);
  });
});

describe('assertZipExpandsWithin', () => {
  const limits = { partBytes: 50 * 2 ** 20, totalBytes: 200 * 2 ** 20, parts: 10_000 };

  it('passes a real Word document, counting what it unpacks to', async () => {
    const docx = await docxFile([{ heading: 'Pricing', paragraphs: ['The list price rises in March.'] }]);
    expect(assertZipExpandsWithin(docx, limits)).toBeGreaterThan(docx.length);
  });

  it('refuses a part that unpacks past the limit, whatever size it declares', () => {
    const small = { ...limits, partBytes: 2 * 2 ** 20 };
    expect(() => assertZipExpandsWithin(zipBombDocx('x', 3, { lying: true }), small)).toThrow(
      'a part of it expands to more than 2 MB when unpacked',
    );
    expect(() => assertZipExpandsWithin(zipBombDocx('x', 3), { ...limits, totalBytes: 2 ** 20 })).toThrow(
      'expands to more than 1 MB when unpacked',
    );
    expect(() => assertZipExpandsWithin(new TextEncoder().encode('PK\u0003\u0004 garbage'), limits)).toThrow(
      'the file is damaged',
    );
  });
});
