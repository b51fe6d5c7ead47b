/**
 * The words of a memory or a request, as the quick lexical checks compare them: lower case, no
 * punctuation, no stop words, with plural and verb endings trimmed so "prices" meets "price".
 */
const stopWords = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to too us was we were ' +
    'what when where which who why will with would you your about after also any all just more most now only other ' +
    'over should some such very remember keel'
  ).split(' '),
);

/** Words that flip a statement's meaning; two texts differing in them contradict each other. */
const negations = new Set([
  'not',
  'no',
  'never',
  'dont',
  "don't",
  'without',
  'stop',
  'avoid',
  'nobody',
  'none',
]);

export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function rawWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9%$€£.'-]+/)
    .map((word) => word.replace(/^[.'-]+|[.'-]+$/g, ''))
    .filter((word) => word !== '');
}

/** The content words of a text, stemmed, without repeats. */
export function contentWords(text: string): Set<string> {
  return new Set(
    rawWords(text)
      .filter((word) => !stopWords.has(word) && !negations.has(word))
      .map(stem),
  );
}

export function negated(text: string): boolean {
  return rawWords(text).some((word) => negations.has(word) || word.endsWith("n't"));
}

export function numbersIn(text: string): string[] {
  return (text.match(/\d+(?:[.,]\d+)?/g) ?? []).sort();
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** How the full-text index reads one term: stop words dropped, the rest stemmed. */
export function indexTerm(term: string): string | null {
  const word = term
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  if (word === '' || stopWords.has(word) || negations.has(word)) return null;
  return stem(word);
}
