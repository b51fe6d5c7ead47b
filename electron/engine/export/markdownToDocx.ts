/**
 * Turns Markdown into a Word document: headings, paragraphs with bold, italic, strike-through and
 * code, bullet and numbered lists, quotes, code blocks and tables. Parsed with mdast (the parser
 * behind react-markdown), so the export reads the Markdown exactly as the workspace shows it.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { PhrasingContent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

const headings = [
  HeadingLevel.TITLE,
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  code?: boolean;
}

export async function markdownToDocx(markdown: string, title: string): Promise<Buffer> {
  const tree: Root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const children = tree.children.flatMap((node) => block(node, 0));
  const document = new Document({
    title,
    creator: 'Keel',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}

function block(node: RootContent, depth: number): (Paragraph | Table)[] {
  switch (node.type) {
    case 'heading':
      return [
        new Paragraph({
          heading: headings[node.depth - 1] ?? HeadingLevel.HEADING_6,
          children: runs(node.children),
        }),
      ];
    case 'paragraph':
      return [new Paragraph({ children: runs(node.children), spacing: { after: 120 } })];
    case 'list':
      return node.children.flatMap((item, index) =>
        item.children.flatMap((child, childIndex) => {
          if (child.type === 'paragraph') {
            const marker = node.ordered ? `${(node.start ?? 1) + index}. ` : '';
            const prefix = childIndex === 0 && marker ? [new TextRun(marker)] : [];
            return [
              new Paragraph({
                children: [...prefix, ...runs(child.children)],
                ...(node.ordered
                  ? { indent: { left: 360 * (depth + 1) } }
                  : { bullet: { level: Math.min(depth, 8) } }),
              }),
            ];
          }
          return block(child, depth + 1);
        }),
      );
    case 'blockquote':
      return quote(node.children);
    case 'code':
      return [
        new Paragraph({
          children: node.value
            .split('\n')
            .map((line, index) => new TextRun({ text: line, font: 'Consolas', break: index > 0 ? 1 : 0 })),
          spacing: { after: 120 },
        }),
      ];
    case 'table':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: node.children.map(
            (row, rowIndex) =>
              new TableRow({
                tableHeader: rowIndex === 0,
                children: row.children.map(
                  (cell) =>
                    new TableCell({
                      children: [
                        new Paragraph({
                          children: runs(cell.children, rowIndex === 0 ? { bold: true } : {}),
                        }),
                      ],
                    }),
                ),
              }),
          ),
        }),
        new Paragraph({ children: [] }),
      ];
    case 'thematicBreak':
      return [
        new Paragraph({
          children: [],
          alignment: AlignmentType.CENTER,
          border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } },
        }),
      ];
    case 'html':
      return [new Paragraph({ children: [new TextRun(node.value)] })];
    default:
      return [];
  }
}

function quote(children: RootContent[]): Paragraph[] {
  return children.flatMap((child) =>
    child.type === 'paragraph'
      ? [
          new Paragraph({
            children: runs(child.children, { italics: true }),
            indent: { left: 720 },
            spacing: { after: 120 },
          }),
        ]
      : block(child, 0).filter((element): element is Paragraph => element instanceof Paragraph),
  );
}

function runs(nodes: PhrasingContent[], style: RunStyle = {}): TextRun[] {
  return nodes.flatMap((node): TextRun[] => {
    switch (node.type) {
      case 'text':
        return [textRun(node.value, style)];
      case 'strong':
        return runs(node.children, { ...style, bold: true });
      case 'emphasis':
        return runs(node.children, { ...style, italics: true });
      case 'delete':
        return runs(node.children, { ...style, strike: true });
      case 'inlineCode':
        return [textRun(node.value, { ...style, code: true })];
      case 'link':
        return [...runs(node.children, style), textRun(` (${node.url})`, style)];
      case 'break':
        return [new TextRun({ text: '', break: 1 })];
      default:
        return 'value' in node && typeof node.value === 'string' ? [textRun(node.value, style)] : [];
    }
  });
}

function textRun(text: string, style: RunStyle): TextRun {
  return new TextRun({
    text,
    ...(style.bold ? { bold: true } : {}),
    ...(style.italics ? { italics: true } : {}),
    ...(style.strike ? { strike: true } : {}),
    ...(style.code ? { font: 'Consolas' } : {}),
  });
}
