import type { Nodes, Parent, Root, Text } from 'mdast';
import { hasCitations, splitCitations } from './citations';

/** Nodes whose text is not prose: a citation inside them stays as written (a link cannot hold a button). */
const skipped = new Set<Nodes['type']>(['link', 'linkReference', 'code', 'inlineCode']);

function markCitations(parent: Parent): void {
  const children = parent.children as Nodes[];
  for (let index = 0; index < children.length; index += 1) {
    const child = children[index]!;
    if (child.type === 'text') {
      if (!hasCitations(child.value)) continue;
      const pieces = splitCitations(child.value);
      if (pieces.every((piece) => 'text' in piece)) continue;
      const replacement: Text[] = pieces.map((piece) =>
        'text' in piece
          ? { type: 'text', value: piece.text }
          : {
              type: 'text',
              value: piece.marker,
              data: { hName: 'cite', hProperties: { dataLabels: piece.labels.join(' ') } },
            },
      );
      children.splice(index, 1, ...replacement);
      index += replacement.length - 1;
    } else if ('children' in child && !skipped.has(child.type)) {
      markCitations(child);
    }
  }
}

/**
 * A remark plugin: each citation marker in the text ([P1], [P1, P3]) becomes a `<cite>` element
 * carrying its labels (`data-labels="P1 P3"`), which the turn's Markdown renders as buttons that
 * open the passages. Markdown never makes `<cite>` otherwise, and raw HTML is dropped.
 */
export function remarkPassageCitations() {
  return (tree: Root) => markCitations(tree);
}
