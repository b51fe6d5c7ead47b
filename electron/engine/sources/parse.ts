/**
 * Reads a person's document on this machine into blocks of text, each with its place in the
 * document: a PDF's page, the heading a Word, Markdown or web page's text sits under, a CSV's rows,
 * a text file's lines. Parsing is done by well-kept libraries (unpdf over pdf.js, mammoth,
 * papaparse, hast-util-from-html, mdast-util-from-markdown); what is Keel's own is walking their
 * output into located blocks, and saying in words why a file cannot be read.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { SourceFormat } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { sourceFormatOfName, unsupportedKindReason } from '../../../shared/sourceFormats';
import { assertZipExpandsWithin, ZipRefusal, type ZipLimits } from './zipLimits';

/**
 * How much of a document is read at most, so a hostile file is refused before it can exhaust memory
 * or time (the worker that reads it has its own memory and time limits besides, `readInWorker.ts`).
 */
export interface ReadLimits {
  /** The most pages of one PDF. */
  pages: number;
  /** The most passages one source is cut into. */
  passages: number;
  /** How deeply the elements of a web page (or a Word document made one) may nest. */
  htmlDepth: number;
  /** How deeply quotes, lists and brackets of a Markdown file may nest. */
  markdownDepth: number;
  /** What a Word document (a zip) may unpack to. */
  zip: ZipLimits;
}

export const defaultReadLimits: ReadLimits = {
  pages: 2_000,
  passages: 20_000,
  htmlDepth: 256,
  markdownDepth: 32,
  zip: { partBytes: 50 * 2 ** 20, totalBytes: 200 * 2 ** 20, parts: 10_000 },
};

/** A run of text at one place of a document. */
export interface Block {
  page?: number;
  section?: string;
  text: string;
}

export interface Parsed {
  blocks: Block[];
  /** A PDF's page count. */
  pages?: number;
}

/** Reports pages (or steps) read so far out of a total. */
export type ReadProgress = (done: number, total: number) => void;

/** The format of a file from its name (its extension), or a message saying which kinds Keel reads. */
export function formatOf(fileName: string): SourceFormat {
  const format = sourceFormatOfName(fileName);
  if (format) return format;
  throw unreadable(fileName, unsupportedKindReason(fileName));
}

/** A file that cannot be read, named, with the reason in words. */
export function unreadable(fileName: string, reason: string, cause?: unknown): KeelError {
  return new KeelError('source-unreadable', `“${fileName}” could not be added: ${reason}.`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * A document's located blocks. The readers are loaded when first needed, so the worker reading a
 * text file does not start up pdf.js.
 */
export async function parseSource(
  bytes: Uint8Array,
  format: SourceFormat,
  fileName: string,
  progress: ReadProgress = () => undefined,
  limits: ReadLimits = defaultReadLimits,
): Promise<Parsed> {
  switch (format) {
    case 'pdf':
      return parsePdf(bytes, fileName, progress, limits);
    case 'docx':
      return parseDocx(bytes, fileName, limits);
    case 'markdown':
      return { blocks: await markdownBlocks(decodeText(bytes), fileName, limits) };
    case 'text':
      return { blocks: textBlocks(decodeText(bytes)) };
    case 'csv':
      return { blocks: await csvBlocks(decodeText(bytes), fileName) };
    case 'html':
      return { blocks: await htmlBlocks(decodeText(bytes), fileName, limits) };
  }
}

/** The reason given for a file whose structure is deeper or larger than a reader can safely take. */
export const tooComplex = 'it is too complex to read safely';

/** Reads a text format (a web page, Markdown) into located blocks, within `limits`. */
type TextReader = (text: string, fileName: string, limits?: ReadLimits) => Promise<Block[]>;

/** Refuses a file nested deeper than `limit` (as measured in one pass, before any reader walks it). */
function refuseNesting(fileName: string, depth: number, limit: number, what: string): void {
  if (depth > limit) throw unreadable(fileName, `${tooComplex}: its ${what} nest more than ${limit} deep`);
}

/**
 * A text file's characters: UTF-16 when it starts with its byte-order mark (Excel's "Unicode text"),
 * UTF-8 when it is valid UTF-8, and otherwise Windows-1252 (what older Windows programs write).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return decodeWindows1252(bytes);
  }
}

/**
 * Windows-1252 is Latin-1 except for 0x80–0x9F, where it has typographic signs (€ ‘ ’ “ ” – —…).
 * Node's decoder treats it as Latin-1, so those 32 are mapped here (the five it leaves undefined
 * stay as they are).
 */
const windows1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes)
    text += byte >= 0x80 && byte <= 0x9f ? windows1252High[byte - 0x80] : String.fromCharCode(byte);
  return text;
}

// ---- PDF ------------------------------------------------------------------------------------------

async function parsePdf(
  bytes: Uint8Array,
  fileName: string,
  progress: ReadProgress,
  limits: ReadLimits,
): Promise<Parsed> {
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes the buffer over; it gets its own copy. No font code is evaluated.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, verbosity: 0 });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw unreadable(
        fileName,
        'the PDF is protected with a password. Open it in your PDF reader, save a copy without the password, and add that copy',
        error,
      );
    }
    throw unreadable(fileName, 'the file is damaged or is not really a PDF', error);
  }
  try {
    if (pdf.numPages > limits.pages) {
      throw unreadable(
        fileName,
        `it has ${pdf.numPages.toLocaleString('en')} pages, more than the ${limits.pages.toLocaleString('en')} Keel reads from one PDF. Split it, or add only the part you need`,
      );
    }
    const blocks: Block[] = [];
    // Enough text for the most passages a source may have: past it the rest is not read.
    const maxChars = limits.passages * passageChars;
    let chars = 0;
    progress(0, pdf.numPages);
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      page.cleanup();
      for (const paragraph of paragraphs(text)) blocks.push({ page: number, text: paragraph });
      chars += text.length;
      if (chars > maxChars) throw tooManyPassages(fileName, limits);
      progress(number, pdf.numPages);
    }
    if (blocks.length === 0) {
      throw unreadable(
        fileName,
        'it has no text to read, only images: it looks like a scan. Keel reads text, not pictures; run it through text recognition (OCR) first and add the result',
      );
    }
    return { blocks, pages: pdf.numPages };
  } catch (error) {
    if (error instanceof KeelError) throw error;
    throw unreadable(fileName, 'part of the PDF is damaged', error);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

// ---- Word -----------------------------------------------------------------------------------------

/** The first bytes of an OLE compound file: an old .doc, or a .docx sealed with a password. */
const oleMagic = [0xd0, 0xcf, 0x11, 0xe0];

async function parseDocx(bytes: Uint8Array, fileName: string, limits: ReadLimits): Promise<Parsed> {
  if (oleMagic.every((byte, index) => bytes[index] === byte)) {
    throw unreadable(
      fileName,
      'it is protected with a password, or is an older Word file (.doc). Open it in Word, save it as .docx without a password, and add that copy',
    );
  }
  const notWord = 'the file is damaged or is not really a Word document (.docx)';
  try {
    assertZipExpandsWithin(bytes, limits.zip);
  } catch (error) {
    if (!(error instanceof ZipRefusal)) throw error;
    throw unreadable(fileName, error.message === 'the file is damaged' ? notWord : error.message, error);
  }
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    // Pictures are left out (Keel reads text): unread, they are never unpacked nor copied as data.
    const noImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));
    html = (
      await mammoth.convertToHtml(
        { buffer: Buffer.from(bytes) },
        { convertImage: noImages, externalFileAccess: false },
      )
    ).value;
  } catch (error) {
    if (error instanceof RangeError) throw unreadable(fileName, tooComplex, error);
    throw unreadable(fileName, notWord, error);
  }
  const blocks = await htmlBlocks(html, fileName, limits);
  if (blocks.length === 0) throw unreadable(fileName, 'the document has no text in it');
  return { blocks };
}

// ---- HTML -----------------------------------------------------------------------------------------

/** Elements whose content is not text a person reads on the page. */
const skipped = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'head',
  'iframe',
  'object',
  'canvas',
]);
const headings = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that end a run of text (blocks of the page); others (b, a, span…) are inline. */
const blockLevel = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'tr',
  'figure',
  'figcaption',
  'br',
  'hr',
  'address',
  'details',
  'summary',
]);

/** The text of a web page (or of a Word document made HTML), each run under its nearest heading. */
export const htmlBlocks: TextReader = async (html, fileName, limits = defaultReadLimits) => {
  // The parser and the walk below go down the tree one call per level: too deep a tree is refused
  // first, and takes the parser minutes (and overflows the stack) otherwise.
  const depth = htmlDepth(html, limits.htmlDepth);
  refuseNesting(fileName, depth, limits.htmlDepth, 'elements');
  const { fromHtml } = await import('hast-util-from-html');
  const tree: Root = fromHtml(html);
  const blocks: Block[] = [];
  let section: string | undefined;
  let buffer = '';
  const flush = () => {
    const text = buffer.replace(/[ \t\r\n\f]+/g, ' ').trim();
    buffer = '';
    if (text !== '') blocks.push({ ...(section ? { section } : {}), text });
  };
  const walk = (nodes: readonly (RootContent | ElementContent)[]) => {
    for (const node of nodes) {
      if (node.type === 'text') buffer += node.value;
      if (node.type !== 'element') continue;
      const tag = node.tagName;
      if (skipped.has(tag)) continue;
      if (headings.has(tag)) {
        flush();
        const title = textOf(node).replace(/\s+/g, ' ').trim();
        if (title !== '') {
          section = title.slice(0, 200);
          blocks.push({ section, text: title });
        }
        continue;
      }
      if (tag === 'tr') {
        flush();
        buffer = node.children
          .filter((cell): cell is Element => cell.type === 'element')
          .map((cell) => textOf(cell).trim())
          .join(' | ');
        flush();
        continue;
      }
      const isBlock = blockLevel.has(tag);
      if (isBlock) flush();
      walk(node.children);
      if (isBlock) flush();
      else if (tag === 'td' || tag === 'th') buffer += ' ';
    }
  };
  walk(tree.children);
  flush();
  return blocks;
};

/** Elements that never hold others, and those whose end the parser supplies itself. */
const voidElements = new Set(
  'area base br col embed hr img input link meta param source track wbr keygen basefont bgsound frame'.split(
    ' ',
  ),
);
const optionalEnd = new Set(
  'p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rtc rp html head body'.split(
    ' ',
  ),
);
/** Elements whose content is text, not tags, up to their end tag. */
const rawText = new Set('script style textarea title xmp noscript noembed noframes iframe'.split(' '));
const tagAt = /<(\/?)([a-zA-Z][^\s/<>]*)([^<>]*)>/y;

/**
 * How deeply a page's elements nest, counted from its tags in one pass (stopping once past
 * `limit`): end tags a parser supplies itself (p, li, td…) and void elements are not counted, so a
 * well-made page counts its real depth, and a page of unclosed tags counts high.
 */
export function htmlDepth(html: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let at = html.indexOf('<');
  while (at !== -1 && deepest <= limit) {
    if (html.startsWith('<!--', at)) {
      const close = html.indexOf('-->', at + 4);
      if (close === -1) break;
      at = html.indexOf('<', close + 3);
      continue;
    }
    tagAt.lastIndex = at;
    const tag = tagAt.exec(html);
    if (!tag) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    const name = tag[2]!.toLowerCase();
    let next = at + tag[0].length;
    if (tag[1] === '/') depth = Math.max(0, depth - 1);
    else if (rawText.has(name)) {
      const end = new RegExp(`</${name}`, 'ig');
      end.lastIndex = next;
      const found = end.exec(html);
      if (!found) break;
      next = found.index + found[0].length;
    } else if (!voidElements.has(name) && !optionalEnd.has(name) && !tag[3]!.endsWith('/')) {
      depth += 1;
      deepest = Math.max(deepest, depth);
    }
    at = html.indexOf('<', next);
  }
  return deepest;
}

function textOf(node: Element): string {
  let text = '';
  for (const child of node.children) {
    if (child.type === 'text') text += child.value;
    else if (child.type === 'element' && !skipped.has(child.tagName)) text += textOf(child);
  }
  return text;
}

// ---- Markdown ---------------------------------------------------------------------------------------

/** Each top-level part of a Markdown file (its source text) under the heading it follows. */
export const markdownBlocks: TextReader = async (markdown, fileName, limits = defaultReadLimits) => {
  // The Markdown reader's work grows much faster than the nesting: 200 levels of lists take it
  // seconds, and 200,000 open brackets minutes.
  const depth = markdownDepth(markdown, limits.markdownDepth);
  refuseNesting(fileName, depth, limits.markdownDepth, 'quotes, lists or brackets');
  const [{ fromMarkdown }, { gfmFromMarkdown }, { gfm }] = await Promise.all([
    import('mdast-util-from-markdown'),
    import('mdast-util-gfm'),
    import('micromark-extension-gfm'),
  ]);
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const blocks: Block[] = [];
  let section: string | undefined;
  for (const node of tree.children) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const text = markdown.slice(start, end).trim();
    if (text === '') continue;
    if (node.type === 'heading') {
      section = text
        .replace(/^#+\s*/, '')
        .replace(/\s*#*$/, '')
        .slice(0, 200);
      blocks.push({ section, text });
      continue;
    }
    blocks.push({ ...(section ? { section } : {}), text });
  }
  return blocks;
};

/**
 * How deeply a Markdown file nests, in one pass (stopping once past `limit`): quote marks and list
 * items at the start of a line (a nested item is indented two or more columns per level), and
 * brackets left open within a paragraph (a link's text cannot span paragraphs).
 */
export function markdownDepth(markdown: string, limit: number): number {
  let deepest = 0;
  let open = 0;
  let lineStart = true;
  let quotes = 0;
  let indent = 0;
  let blank = true;
  for (let at = 0; at < markdown.length && deepest <= limit; at += 1) {
    const char = markdown[at]!;
    if (char === '\n') {
      if (blank) open = 0;
      lineStart = true;
      blank = true;
      quotes = 0;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (char === ' ' || char === '\t') {
        indent += char === '\t' ? 4 : 1;
        continue;
      }
      if (char === '>') {
        quotes += 1;
        deepest = Math.max(deepest, quotes);
        continue;
      }
      lineStart = false;
      const item = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/.test(markdown.slice(at, at + 11));
      if (item) deepest = Math.max(deepest, quotes + Math.floor(indent / 2) + 1);
    }
    if (char !== ' ' && char !== '\t' && char !== '\r') blank = false;
    if (char === '\\') at += 1;
    else if (char === '[') deepest = Math.max(deepest, (open += 1));
    else if (char === ']') open = Math.max(0, open - 1);
  }
  return deepest;
}

// ---- plain text and CSV -----------------------------------------------------------------------------

/** How much text a passage holds at most, in characters (about 250 tokens). */
export const passageChars = 1000;

/** Paragraphs of a text file, grouped into passages located by their lines. */
export function textBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let from = 0;
  let last = 0;
  let current: string[] = [];
  let currentLength = 0;
  const flush = () => {
    const body = current.join('\n').trim();
    if (body !== '') blocks.push({ section: `Lines ${from + 1}–${last + 1}`, text: body });
    current = [];
    currentLength = 0;
  };
  lines.forEach((line, index) => {
    const blank = line.trim() === '';
    if (current.length === 0 && blank) return;
    // A blank line after enough text ends the passage: passages end between paragraphs.
    if (blank && currentLength > passageChars / 2) return flush();
    if (currentLength + line.length > passageChars && currentLength > 0) flush();
    if (current.length === 0) from = index;
    current.push(line);
    currentLength += line.length + 1;
    if (!blank) last = index;
  });
  flush();
  return blocks;
}

/**
 * A table's rows in groups, each group carrying the header row so a passage reads on its own;
 * located by row numbers as a spreadsheet counts them (the header is row 1).
 */
export async function csvBlocks(text: string, fileName: string): Promise<Block[]> {
  const { default: Papa } = await import('papaparse');
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  if (rows.length === 0) throw unreadable(fileName, 'the table is empty');
  if (parsed.errors.length > 0 && rows.length <= 1) {
    throw unreadable(fileName, `the table could not be read (${parsed.errors[0]!.message})`);
  }
  const header = rows[0]!.join(', ');
  const blocks: Block[] = [];
  let group: string[] = [];
  let groupStart = 2;
  let length = 0;
  const flush = (lastRow: number) => {
    if (group.length === 0) return;
    const section = groupStart === lastRow ? `Row ${lastRow}` : `Rows ${groupStart}–${lastRow}`;
    blocks.push({ section, text: [header, ...group].join('\n') });
    group = [];
    length = 0;
  };
  rows.slice(1).forEach((row, index) => {
    const rowNumber = index + 2;
    const line = row.join(', ');
    if (length + line.length > passageChars - header.length && group.length > 0) {
      flush(rowNumber - 1);
      groupStart = rowNumber;
    }
    if (group.length === 0) groupStart = rowNumber;
    group.push(line);
    length += line.length + 1;
  });
  flush(rows.length);
  if (blocks.length === 0) blocks.push({ section: 'Row 1', text: header });
  return blocks;
}

/** The reason a document holding more text than a source may have is refused. */
export function tooManyPassages(fileName: string, limits: ReadLimits): KeelError {
  return unreadable(
    fileName,
    `it holds more text than Keel reads from one source (over ${limits.passages.toLocaleString('en')} passages). Split it, or add only the part you need`,
  );
}

/** Paragraphs of a page's text: runs separated by blank lines, or every line when there are none. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.replace(/[ \t]+/g, ' ').trim())
    .filter((part) => part !== '');
}
