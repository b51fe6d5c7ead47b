/**
 * Sources through the engine's calls, on a real data folder and the fake Ollama: every format read
 * from small files the tests make, files that cannot be read beside good ones, the copy kept (and
 * sealed with encryption on), a repeat detected, passages in moves with their citations, scope walls,
 * pins and left-out sources, the budget, rename, and removal from disk, backups and index.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallInput } from '../../../shared/contract';
import type { Source } from '../../../shared/domain';
import { docxFile, encryptedPdfFile, pdfFile, scannedPdfFile } from '../../../tests/fixtures/sourceFiles';
import { recordEvents, upload, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';

const t = engineForEachTest({ sourceMaxBytes: 200_000, scryptCost: { N: 1024, r: 8, p: 1 } });

interface ChatBody {
  messages: { role: string; content: string }[];
  format?: unknown;
}

async function spaceWithLoop(name: string) {
  const space = value(await t.engine.call('createSpace', { name, kind: 'client' }));
  const loop = value(
    await t.engine.call('createLoop', { spaceId: space.id, title: `${name} pricing review` }),
  );
  return { space, loop };
}

async function add(
  spaceId: string,
  fileName: string,
  bytes: Uint8Array | string,
  more: Partial<CallInput<'addSource'>> = {},
) {
  const file = await upload(t.engine, 'source', bytes);
  return t.engine.call('addSource', { spaceId, fileName, file, ...more });
}

async function added(
  spaceId: string,
  fileName: string,
  bytes: Uint8Array | string,
  more = {},
): Promise<Source> {
  const result = value(await add(spaceId, fileName, bytes, more));
  expect(result.alreadyAdded).toBe(false);
  return result.source;
}

/** Asks for a move after the person's message; returns the finished turn and what the model was sent. */
async function ask(loopId: string, message: string, reply = 'An answer [P1].') {
  value(await t.engine.call('addTurn', { loopId, text: message }));
  t.fake.queueReply({ text: reply });
  const recorder = recordEvents(t.engine);
  const started = value(await t.engine.call('requestMove', { loopId, move: 'explore' }));
  const finished = await recorder.next('turn.finished', (event) => event.turn.id === started.id);
  recorder.stop();
  const chat = t.fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as ChatBody).format).at(-1)!
    .body as ChatBody;
  return { turn: finished.turn, sent: chat.messages.map((m) => m.content).join('\n') };
}

async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(join(t.dataDir, folder)).catch(() => [] as string[])).sort();
}

async function everythingOnDisk(): Promise<string> {
  const texts: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else texts.push((await readFile(path)).toString('latin1'));
    }
  };
  await walk(t.dataDir);
  return texts.join('\n');
}

const pricingPdf = () =>
  pdfFile([
    'Acme board pack, 2026.\nRevenue grew in every region.',
    'Churn fell to 4 percent in Rotterdam after the loyalty scheme.\nThe scheme costs 2 euros per member.',
  ]);
const planDocx = () =>
  docxFile([
    { heading: 'Background', paragraphs: ['Acme sells kitchen robots to restaurants.'] },
    {
      heading: 'Pricing',
      paragraphs: ['The list price rises 8 percent in March for new restaurant contracts.'],
    },
  ]);

describe('reading each format', () => {
  // Each file is read in a worker of its own, which loads its reader first: seven files take a
  // while on a busy machine.
  it('reads PDF pages, Word and Markdown sections, text lines, CSV rows, web page sections and pasted text', async () => {
    const { space } = await spaceWithLoop('Acme');
    const recorder = recordEvents(t.engine);
    const pdf = await added(space.id, 'board-pack.pdf', await pricingPdf(), { uploadId: 'up-1' });
    const docx = await added(space.id, 'plan.docx', await planDocx());
    const markdown = await added(
      space.id,
      'notes.md',
      '# Interviews\n\nThe chef wants quieter robots.\n\n## Follow-up\n\nCall Ines about the pilot in Lyon.\n',
    );
    const text = await added(
      space.id,
      'memo.txt',
      'First paragraph about margins.\n\nSecond paragraph about staff.\n',
    );
    const csv = await added(
      space.id,
      'regions.csv',
      'region,revenue,churn\nNorth,120,5%\nSouth,95,"3,5%"\nRotterdam,80,4%\n',
    );
    const html = await added(
      space.id,
      'article.html',
      '<html><head><title>Saved</title><style>p{color:red}</style><script>alert(1)</script></head><body><nav>Menu</nav><h1>Market</h1><p>Robots are <b>booming</b> in Europe.</p><h2>Risks</h2><p>Supply chains remain fragile.</p><table><tr><th>Year</th><th>Units</th></tr><tr><td>2025</td><td>900</td></tr></table></body></html>',
    );
    const pasted = value(
      await t.engine.call('addSource', {
        spaceId: space.id,
        fileName: 'Call with the CFO',
        text: 'The CFO will not approve spend above 50k this quarter.',
      }),
    ).source;
    recorder.stop();

    expect(pdf).toMatchObject({ format: 'pdf', pages: 2, mimeType: 'application/pdf', usedInTurns: 0 });
    const pdfPassages = value(await t.engine.call('readSource', { sourceId: pdf.id })).passages;
    expect(pdfPassages.map((p) => p.page)).toEqual([1, 2]);
    expect(pdfPassages[1]!.text).toContain('Churn fell to 4 percent in Rotterdam');

    const docxPassages = value(await t.engine.call('readSource', { sourceId: docx.id })).passages;
    expect(docxPassages.find((p) => p.text.includes('rises 8 percent'))?.section).toBe('Pricing');
    expect(docxPassages.find((p) => p.text.includes('kitchen robots'))?.section).toBe('Background');
    expect(docx.format).toBe('docx');

    const mdPassages = value(await t.engine.call('readSource', { sourceId: markdown.id })).passages;
    expect(mdPassages.find((p) => p.text.includes('Call Ines'))?.section).toBe('Follow-up');
    expect(mdPassages.find((p) => p.text.includes('quieter robots'))?.section).toBe('Interviews');

    const textPassages = value(await t.engine.call('readSource', { sourceId: text.id })).passages;
    expect(textPassages[0]).toMatchObject({ section: 'Lines 1–3' });
    expect(textPassages[0]!.text).toContain('Second paragraph about staff.');

    const csvPassages = value(await t.engine.call('readSource', { sourceId: csv.id })).passages;
    expect(csvPassages).toHaveLength(1);
    expect(csvPassages[0]).toMatchObject({ section: 'Rows 2–4' });
    expect(csvPassages[0]!.text).toBe(
      'region, revenue, churn\nNorth, 120, 5%\nSouth, 95, 3,5%\nRotterdam, 80, 4%',
    );

    const htmlPassages = value(await t.engine.call('readSource', { sourceId: html.id })).passages;
    const htmlText = htmlPassages.map((p) => p.text).join('\n');
    expect(htmlText).not.toContain('alert');
    expect(htmlText).not.toContain('color:red');
    expect(htmlPassages.find((p) => p.text.includes('booming'))?.section).toBe('Market');
    expect(htmlPassages.find((p) => p.text.includes('2025 | 900'))?.section).toBe('Risks');

    expect(pasted).toMatchObject({ format: 'text', name: 'Call with the CFO', mimeType: 'text/plain' });

    const listed = value(await t.engine.call('listSources', { spaceId: space.id }));
    expect(listed.map((source) => source.name)).toEqual([
      'board-pack.pdf',
      'plan.docx',
      'notes.md',
      'memo.txt',
      'regions.csv',
      'article.html',
      'Call with the CFO',
    ]);
    // The PDF's pages were reported as they were read, under the upload's id.
    const reading = recorder.events.filter(
      (event) => event.type === 'source.progress' && event.progress.uploadId === 'up-1',
    );
    expect(reading.map((event) => event.type === 'source.progress' && event.progress.stage)).toContain(
      'reading',
    );
    expect(reading.some((event) => event.type === 'source.progress' && event.progress.total === 2)).toBe(
      true,
    );
  }, 60_000);

  it('splits a long document into passages that keep their page', async () => {
    const { space } = await spaceWithLoop('Acme');
    const sentence = 'The pilot in Lyon showed that restaurants value quiet machines above speed. ';
    const bytes = await pdfFile(['Short first page.', Array.from({ length: 40 }, () => sentence).join('\n')]);
    const source = await added(space.id, 'long.pdf', bytes);
    const passages = value(await t.engine.call('readSource', { sourceId: source.id })).passages;
    const second = passages.filter((p) => p.page === 2);
    expect(second.length).toBeGreaterThan(2);
    for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(1000);
    expect(source.passages).toBe(passages.length);
  });
});

describe('files that cannot be read', () => {
  it('names each bad file and its reason, and still takes the good ones beside it', async () => {
    const { space } = await spaceWithLoop('Acme');
    const attempts = [
      { fileName: 'sealed.pdf', bytes: encryptedPdfFile(), reason: /protected with a password/ },
      { fileName: 'scan.pdf', bytes: await scannedPdfFile(), reason: /no text to read.*scan/ },
      {
        fileName: 'broken.pdf',
        bytes: '%PDF-1.4 this is not a real PDF',
        reason: /damaged or is not really a PDF/,
      },
      { fileName: 'broken.docx', bytes: 'PK\u0003\u0004 garbage', reason: /damaged or is not really a Word/ },
      { fileName: 'old.doc', bytes: 'anything', reason: /save it as \.docx/ },
      { fileName: 'huge.txt', bytes: 'x'.repeat(250_000), reason: /over the 0\.2 MB limit/ },
      { fileName: 'empty.txt', bytes: '   ', reason: /no text in it|empty/ },
    ];
    const good = await pricingPdf();
    const outcomes: Awaited<ReturnType<typeof add>>[] = [];
    for (const attempt of attempts) outcomes.push(await add(space.id, attempt.fileName, attempt.bytes));
    outcomes.push(await add(space.id, 'board-pack.pdf', good));

    attempts.forEach((attempt, at) => {
      const outcome = outcomes[at]!;
      expect(outcome.ok, attempt.fileName).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.code).toBe('source-unreadable');
      expect(outcome.error.message).toContain(`“${attempt.fileName}”`);
      expect(outcome.error.message).toMatch(attempt.reason);
    });
    expect(outcomes.at(-1)!.ok).toBe(true);
    const listed = value(await t.engine.call('listSources', { spaceId: space.id }));
    expect(listed.map((source) => source.name)).toEqual(['board-pack.pdf']);
    // Nothing of the failed files was kept: one list, one source's passages and its copy.
    expect(await filesUnder('sources')).toHaveLength(3);
  }, 60_000);
});

describe('the copy of the original', () => {
  it('keeps the file as it was added, detects the same file added again, and seals it when encryption is on', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const bytes = await planDocx();
    const source = await added(space.id, 'plan.docx', bytes);
    const copy = value(await t.engine.call('getSourceFile', { sourceId: source.id }));
    expect(copy.fileName).toBe('plan.docx');
    expect(Buffer.from(copy.base64, 'base64').equals(Buffer.from(bytes))).toBe(true);

    const again = value(await add(space.id, 'plan (1).docx', bytes, { loopId: loop.id }));
    expect(again).toMatchObject({ alreadyAdded: true, source: { id: source.id, name: 'plan.docx' } });
    expect(value(await t.engine.call('listSources', { spaceId: space.id }))).toHaveLength(1);

    // A file one loop has is another loop's only once added to it; added to the space, it is the space's.
    const memo = await pdfFile(['Board memo draft.']);
    const other = value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Hiring' }));
    const inLoop = await added(space.id, 'memo.pdf', memo, { loopId: loop.id });
    const inOther = await added(space.id, 'memo.pdf', memo, { loopId: other.id });
    expect(inOther.id).not.toBe(inLoop.id);
    // Searched once while it is the loop's: the index then knows it as the loop's.
    expect(value(await t.engine.call('search', { query: 'memo draft' }))).toHaveLength(2);
    const promoted = value(await add(space.id, 'memo.pdf', memo));
    expect(promoted.alreadyAdded).toBe(true);
    expect(promoted.source.loopId).toBeUndefined();
    const found = value(await t.engine.call('search', { query: 'memo draft' }));
    expect(found.filter((result) => result.sourceId === inLoop.id)).toEqual([
      expect.not.objectContaining({ loopId: expect.anything() }),
    ]);
    expect(
      value(await t.engine.call('listSources', { spaceId: space.id })).filter((s) => s.name === 'memo.pdf'),
    ).toHaveLength(2);

    value(await t.engine.call('setPassphrase', { passphrase: 'correct horse battery' }));
    await added(space.id, 'notes.md', '# Secret\n\nThe Zanzibar acquisition closes in May.');
    const disk = await everythingOnDisk();
    expect(disk).not.toContain('Zanzibar');
    expect(disk).not.toContain('rises 8 percent');
    expect(disk).not.toContain(Buffer.from('The list price').toString('base64').slice(0, 12));
    const sealedCopy = value(await t.engine.call('getSourceFile', { sourceId: source.id }));
    expect(sealedCopy.base64).toBe(copy.base64);
  });
});

describe('passages in moves', () => {
  it('gives the relevant passages labelled with file and place, asks for citations, and records them on the turn', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const pdf = await added(space.id, 'board-pack.pdf', await pricingPdf());
    const docx = await added(space.id, 'plan.docx', await planDocx());
    const { turn, sent } = await ask(
      loop.id,
      'What did churn do in Rotterdam, and how does the March price rise land?',
    );

    expect(sent).toContain('[P');
    expect(sent).toMatch(/board-pack\.pdf, page 2\nChurn fell to 4 percent in Rotterdam/);
    expect(sent).toMatch(/plan\.docx, section “Pricing”\n/);
    expect(sent).toContain('cite its label in square brackets');
    expect(turn.passages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceId: pdf.id, page: 2 }),
        expect.objectContaining({ sourceId: docx.id, section: 'Pricing' }),
      ]),
    );
    turn.passages!.forEach((ref, at) => expect(ref.label).toBe(`P${at + 1}`));
    // Each label in the prompt is the one on the turn.
    for (const ref of turn.passages!) expect(sent).toContain(`[${ref.label}] `);

    const listed = value(await t.engine.call('listSources', { spaceId: space.id }));
    expect(listed.find((source) => source.id === pdf.id)?.usedInTurns).toBe(1);
    const loaded = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(loaded.turns.at(-1)!.passages).toEqual(turn.passages);
  });

  it('says a turn was given no passage when its loop has no sources', async () => {
    const { loop } = await spaceWithLoop('Acme');
    const { turn, sent } = await ask(loop.id, 'What should the pricing be?');
    expect(turn.passages).toEqual([]);
    expect(sent).not.toContain('Passages from my own documents');
  });

  it('keeps each space and loop behind its walls, leaves out what the person left out, and always gives a pinned source', async () => {
    const { space: acme, loop: acmeLoop } = await spaceWithLoop('Acme');
    const other = value(await t.engine.call('createLoop', { spaceId: acme.id, title: 'Acme hiring' }));
    const { space: globex, loop: globexLoop } = await spaceWithLoop('Globex');
    await added(globex.id, 'globex.md', 'Globex churn in Rotterdam is 9 percent; Globex pricing is secret.');
    const own = await added(
      acme.id,
      'loop-notes.md',
      'Rotterdam churn interview notes: owners love the scheme.',
      {
        loopId: acmeLoop.id,
      },
    );
    const shared = await added(acme.id, 'board-pack.pdf', await pricingPdf());
    const unrelated = await added(
      acme.id,
      'canteen.txt',
      'The canteen menu changes on Fridays: soup and bread.',
    );

    const first = await ask(acmeLoop.id, 'What happened to churn in Rotterdam?');
    expect(first.sent).not.toContain('Globex');
    expect(first.sent).toContain('owners love the scheme');
    expect(first.sent).not.toContain('canteen menu');
    expect(first.turn.passages!.map((ref) => ref.sourceId)).toEqual(
      expect.arrayContaining([own.id, shared.id]),
    );

    const inOther = await ask(other.id, 'What happened to churn in Rotterdam?');
    expect(inOther.sent).not.toContain('owners love the scheme');
    expect(inOther.sent).not.toContain('Globex');
    expect(inOther.sent).toContain('Churn fell to 4 percent');

    const inGlobex = await ask(globexLoop.id, 'What happened to churn in Rotterdam?');
    expect(inGlobex.sent).toContain('Globex churn in Rotterdam is 9 percent');
    expect(inGlobex.sent).not.toContain('Churn fell to 4 percent');
    expect(inGlobex.sent).not.toContain('owners love the scheme');

    value(
      await t.engine.call('setSourceInLoop', { sourceId: shared.id, loopId: acmeLoop.id, state: 'left-out' }),
    );
    const pinned = value(
      await t.engine.call('setSourceInLoop', {
        sourceId: unrelated.id,
        loopId: acmeLoop.id,
        state: 'pinned',
      }),
    );
    expect(pinned.pinnedIn).toEqual([acmeLoop.id]);
    const second = await ask(acmeLoop.id, 'And churn in Rotterdam now?');
    expect(second.sent).not.toContain('Churn fell to 4 percent');
    expect(second.sent).toContain('canteen menu changes on Fridays');
    expect(second.turn.passages![0]).toMatchObject({ sourceId: unrelated.id, label: 'P1' });

    // A loop's own source cannot be pinned to another loop; a space source of another space neither.
    const refused = await t.engine.call('setSourceInLoop', {
      sourceId: own.id,
      loopId: other.id,
      state: 'pinned',
    });
    expect(refused.ok).toBe(false);
    const walled = await t.engine.call('setSourceInLoop', {
      sourceId: shared.id,
      loopId: globexLoop.id,
      state: 'pinned',
    });
    expect(walled.ok).toBe(false);
  });

  it('fits the passages to a quarter of a small context and never past it', async () => {
    t.fake.configure({
      models: [
        { name: 'llama3.2:latest', contextLength: 2048 },
        { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
      ],
    });
    const { space, loop } = await spaceWithLoop('Acme');
    const paragraph = (n: number) =>
      `Rotterdam churn finding number ${n}: the loyalty scheme kept owners who were about to leave, and the staff noticed it in week ${n}.`;
    const long = Array.from({ length: 60 }, (_, n) => paragraph(n)).join('\n\n');
    const source = await added(space.id, 'findings.md', long);
    expect(source.passages).toBeGreaterThan(5);

    const { turn, sent } = await ask(
      loop.id,
      'What do the findings say about Rotterdam churn and the loyalty scheme?',
    );
    const given = turn.passages!.length;
    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThan(source.passages);
    const section = sent.slice(sent.indexOf('Passages from my own documents'));
    const passageText = section.slice(0, section.indexOf('When a claim rests'));
    // A quarter of a 2,048-token window, at about four characters a token.
    expect(passageText.length / 4).toBeLessThanOrEqual(512);

    // Pinned and too large to fit whole: its best passages still come, within the same budget.
    value(await t.engine.call('setSourceInLoop', { sourceId: source.id, loopId: loop.id, state: 'pinned' }));
    const pinned = await ask(loop.id, 'Anything about week 42?');
    expect(pinned.turn.passages!.length).toBe(given);
  });

  it('finds passages by meaning with the embedding model, and by words alone without it', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const embedded = await added(space.id, 'board-pack.pdf', await pricingPdf());
    expect(embedded.embedded).toBe(true);
    const embedsAfterAdd = t.fake.requests.filter((r) => r.path === '/api/embed').length;
    expect(embedsAfterAdd).toBeGreaterThan(0);
    const { turn } = await ask(loop.id, 'Churn in Rotterdam?');
    expect(turn.passages!.some((ref) => ref.page === 2)).toBe(true);
    expect(t.fake.requests.filter((r) => r.path === '/api/embed').length).toBeGreaterThan(embedsAfterAdd);

    t.fake.configure({ models: [{ name: 'llama3.2:latest' }] });
    const plain = await added(space.id, 'plan.docx', await planDocx());
    expect(plain.embedded).toBe(false);
    const { turn: later } = await ask(loop.id, 'How much does the list price rise in March?');
    expect(later.passages!.some((ref) => ref.sourceId === plain.id && ref.section === 'Pricing')).toBe(true);

    // Once the embedding model is back, the source added without it gets its vectors at the next move.
    t.fake.configure({
      models: [{ name: 'llama3.2:latest' }, { name: 'nomic-embed-text:latest', capabilities: ['embedding'] }],
    });
    await ask(loop.id, 'And the price rise again?');
    await expect
      .poll(
        async () =>
          value(await t.engine.call('listSources', { spaceId: space.id })).find((s) => s.id === plain.id)
            ?.embedded,
      )
      .toBe(true);
    const stored = JSON.parse(await readFile(join(t.dataDir, 'sources', `${plain.id}.json`), 'utf8')) as {
      vectors?: number[][];
    };
    expect(stored.vectors?.length).toBe(plain.passages);
  });
});

describe('search across everything', () => {
  it('finds the words of a source at their passage, and no longer once it is removed', async () => {
    const { space } = await spaceWithLoop('Acme');
    const source = await added(space.id, 'board-pack.pdf', await pricingPdf());
    const found = value(await t.engine.call('search', { query: 'loyalty scheme' }));
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'source',
        spaceId: space.id,
        sourceId: source.id,
        passageIndex: 1,
        title: 'board-pack.pdf',
      }),
    ]);
    expect(found[0]!.snippet).toContain('loyalty scheme');
    value(await t.engine.call('removeSource', { sourceId: source.id }));
    expect(value(await t.engine.call('search', { query: 'loyalty scheme' }))).toEqual([]);
  });
});

describe('export', () => {
  it('lists the sources a loop drew on, and each AI turn’s passages in the timeline', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const source = await added(space.id, 'board-pack.pdf', await pricingPdf());
    const { turn } = await ask(loop.id, 'What happened to churn in Rotterdam?');
    const label = turn.passages!.find((ref) => ref.sourceId === source.id && ref.page === 2)!.label;
    const exported = async () =>
      Buffer.from(
        value(
          await t.engine.call('exportLoop', { loopId: loop.id, format: 'markdown', includeTimeline: true }),
        ).base64,
        'base64',
      ).toString('utf8');

    const markdown = await exported();
    expect(markdown).toContain('## Sources\n\n- board-pack.pdf');
    expect(markdown).toMatch(new RegExp(`\\*Passages given:\\* .*\\[${label}\\] board-pack\\.pdf, page 2`));

    value(await t.engine.call('removeSource', { sourceId: source.id }));
    const after = await exported();
    expect(after).not.toContain('board-pack.pdf');
    expect(after).toContain(`[${label}] a removed source`);
  });
});

describe('removal and the rest of the engine', () => {
  it('takes a removed source’s words out of the search index file at once, even after a restart', async () => {
    const { space } = await spaceWithLoop('Acme');
    const source = await added(space.id, 'board-pack.pdf', await pricingPdf());
    expect(value(await t.engine.call('search', { query: 'loyalty' }))).toHaveLength(1);
    await t.engine.close();
    t.engine = await t.open();
    value(await t.engine.call('removeSource', { sourceId: source.id }));
    const index = await readFile(join(t.dataDir, 'search', 'index.json'), 'utf8');
    expect(index).not.toContain('loyalty');
    expect(index).not.toContain(source.id);
  });

  it('wipes the place of a passage from a turn still streaming when its source is removed', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const source = await added(
      space.id,
      'deal.docx',
      await docxFile([{ heading: 'Zanzibar plan', paragraphs: ['The acquisition closes in May.'] }]),
    );
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'When does the acquisition close?' }));
    t.fake.configure({ chunkDelayMs: 40 });
    t.fake.queueReply({
      text: 'It closes in May, according to the plan [P1], as far as I can tell from it.',
    });
    const recorder = recordEvents(t.engine);
    const started = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.delta', (event) => event.turnId === started.id);
    value(await t.engine.call('removeSource', { sourceId: source.id }));
    const finished = await recorder.next('turn.finished', (event) => event.turn.id === started.id);
    recorder.stop();
    expect(finished.turn.passages).toEqual([{ label: 'P1', sourceId: source.id, index: 0, removed: true }]);
    const files = await readdir(join(t.dataDir, 'loops'));
    for (const name of files)
      expect(await readFile(join(t.dataDir, 'loops', name), 'utf8')).not.toContain('Zanzibar');
  });

  it('does not bring a removed source back when an earlier backup is restored', async () => {
    const { space } = await spaceWithLoop('Acme');
    const bytes = '# Depot\n\nThe Rotterdam depot ships 400 robots a week.';
    const source = await added(space.id, 'depot.md', bytes);
    const backup = value(await t.engine.call('backupNow', {}));
    value(await t.engine.call('removeSource', { sourceId: source.id }));
    value(await t.engine.call('restoreBackup', { backupId: backup.id }));
    expect(value(await t.engine.call('listSources', { spaceId: space.id }))).toEqual([]);
    // Added again, it is new: nothing of the removed one is left to call it a repeat.
    expect(value(await add(space.id, 'depot.md', bytes)).alreadyAdded).toBe(false);
  });

  it('stops a file being added when the folder is restored meanwhile, and nothing of it comes back', async () => {
    const { space } = await spaceWithLoop('Acme');
    const backup = value(await t.engine.call('backupNow', {}));
    await added(space.id, 'a.md', '# A\n\nFirst note.');
    t.fake.configure({ embedDelayMs: 300 });
    const long = Array.from({ length: 40 }, (_, n) =>
      `Paragraph ${n} about depots and robots. `.repeat(30),
    ).join('\n\n');
    const recorder = recordEvents(t.engine);
    const adding = t.engine.call('addSource', { spaceId: space.id, fileName: 'c.txt', text: long });
    await recorder.next('source.progress', (event) => event.progress.stage === 'embedding');
    recorder.stop();
    value(await t.engine.call('restoreBackup', { backupId: backup.id }));
    const outcome = await adding;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toContain('“c.txt”');
    expect(value(await t.engine.call('listSources', { spaceId: space.id }))).toEqual([]);
  });

  it('reads text files written as UTF-16 or in the old Windows encoding', async () => {
    const { space } = await spaceWithLoop('Acme');
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('city,churn\nMünchen,3%\n', 'utf16le'),
    ]);
    const csv = await added(space.id, 'cities.csv', utf16);
    expect(value(await t.engine.call('readSource', { sourceId: csv.id })).passages[0]).toMatchObject({
      section: 'Row 2',
      text: 'city, churn\nMünchen, 3%',
    });
    const cp1252 = Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, 0x20, 0x80, 0x35]); // "München €5"
    const text = await added(space.id, 'old.txt', cp1252);
    expect(value(await t.engine.call('readSource', { sourceId: text.id })).passages[0]!.text).toBe(
      'München €5',
    );
  });
});

describe('managing sources', () => {
  it('renames a source, and the next move cites it by its new name', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const source = await added(space.id, 'board-pack.pdf', await pricingPdf());
    const renamed = value(
      await t.engine.call('renameSource', { sourceId: source.id, name: 'Board pack Q3' }),
    );
    expect(renamed).toMatchObject({ name: 'Board pack Q3', fileName: 'board-pack.pdf' });
    const { sent } = await ask(loop.id, 'Churn in Rotterdam?');
    expect(sent).toContain('Board pack Q3, page 2');
  });

  it('removes a source for good: from the folder, the backups and the index, and from the turns that cited it', async () => {
    const { space, loop } = await spaceWithLoop('Acme');
    const source = await added(space.id, 'board-pack.pdf', await pricingPdf());
    const kept = await added(space.id, 'plan.docx', await planDocx());
    const { turn } = await ask(loop.id, 'Churn in Rotterdam?');
    expect(turn.passages!.some((ref) => ref.sourceId === source.id)).toBe(true);
    value(await t.engine.call('backupNow', {}));
    const [backup] = value(await t.engine.call('listBackups', {}));
    expect(await readdir(join(t.dataDir, 'backups', backup!.id, 'sources'))).toContain(
      `${source.id}.file.json`,
    );

    value(await t.engine.call('removeSource', { sourceId: source.id }));

    const left = await filesUnder('sources');
    expect(left.filter((name) => name.startsWith(source.id))).toEqual([]);
    expect(left).toContain(`${kept.id}.file.json`);
    const inBackup = await readdir(join(t.dataDir, 'backups', backup!.id, 'sources'));
    expect(inBackup.filter((name) => name.startsWith(source.id))).toEqual([]);
    expect(await everythingOnDisk()).not.toContain('Churn fell to 4 percent');

    const cited = value(await t.engine.call('getLoop', { loopId: loop.id })).turns.find(
      (x) => x.id === turn.id,
    )!;
    const ref = cited.passages!.find((candidate) => candidate.sourceId === source.id)!;
    expect(ref).toEqual({ label: ref.label, sourceId: source.id, index: ref.index, removed: true });

    const { sent, turn: after } = await ask(loop.id, 'Churn in Rotterdam, again?');
    expect(sent).not.toContain('Churn fell to 4 percent');
    expect(after.passages!.every((candidate) => candidate.sourceId !== source.id)).toBe(true);
    expect((await t.engine.call('readSource', { sourceId: source.id })).ok).toBe(false);

    // After a restart the index is made again from what is on disk: the source stays gone.
    await t.engine.close();
    t.engine = await t.open();
    expect(value(await t.engine.call('listSources', { spaceId: space.id })).map((s) => s.id)).toEqual([
      kept.id,
    ]);
    const restarted = await ask(loop.id, 'Churn in Rotterdam, once more?');
    expect(restarted.sent).not.toContain('Churn fell to 4 percent');
  });
});
