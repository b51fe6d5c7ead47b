/**
 * Cuts a document's located blocks into passages: neighbours at the same place (the same page or
 * section) are joined up to a passage's size, and a block longer than that is cut between sentences,
 * so every passage is short enough to quote and still says where it came from.
 */
import type { Block } from './parse';
import { passageChars } from './parse';

export interface Chunk {
  page?: number;
  section?: string;
  text: string;
}

export function chunkBlocks(blocks: readonly Block[], size = passageChars): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const block of blocks) {
    for (const piece of splitLong(block.text, size)) {
      const samePlace = current && current.page === block.page && current.section === block.section;
      if (current && samePlace && current.text.length + piece.length + 2 <= size) {
        current.text += `\n\n${piece}`;
        continue;
      }
      current = {
        ...(block.page !== undefined ? { page: block.page } : {}),
        ...(block.section !== undefined ? { section: block.section } : {}),
        text: piece,
      };
      chunks.push(current);
    }
  }
  return chunks;
}

/** A text cut between sentences (or, for one endless sentence, between words) into pieces of `size`. */
function splitLong(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+["”’)\]]*|\n+|$)\s*/g) ?? [text];
  const pieces: string[] = [];
  let piece = '';
  for (const sentence of sentences.flatMap((s) => (s.length > size ? byWords(s, size) : [s]))) {
    if (piece.length + sentence.length > size && piece.trim() !== '') {
      pieces.push(piece.trim());
      piece = '';
    }
    piece += sentence;
  }
  if (piece.trim() !== '') pieces.push(piece.trim());
  return pieces;
}

function byWords(text: string, size: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const word of text.split(/(?<=\s)/)) {
    if (piece.length + word.length > size && piece !== '') {
      pieces.push(piece);
      piece = '';
    }
    // A single "word" longer than a passage (a long URL, a base64 blob) is cut where it must be.
    let rest = word;
    while (rest.length > size) {
      pieces.push(rest.slice(0, size));
      rest = rest.slice(size);
    }
    piece += rest;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
