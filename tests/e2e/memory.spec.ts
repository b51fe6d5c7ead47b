/**
 * Memory as a person meets it: a lesson learned in one loop is used (and shown) in the next loop of
 * the same client, never in another client's loop; "Remember that…" in the composer is kept and can
 * be forgotten from the memory page.
 */
import { expect, test } from './fixtures';
import { askExplore as ask, createSpaceAndLoop, lastChatMessages, newLoopIn } from './workspace';

const lesson = 'Acme wants board memos under one page';

test('a lesson learned for one client is used in its next loop, never in another client’s', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme', 'Q1 board pack');
  await ask(
    page,
    fake,
    'The last board memo ran to four pages and nobody read it.',
    'OPTIONS: cut the appendix.',
  );

  // Learn: the AI proposes, the person accepts; only then is it remembered.
  fake.queueReply({
    json: { lessons: [{ kind: 'preference', text: lesson, scope: 'space', turns: ['T1'] }] },
  });
  await page.getByRole('button', { name: 'Learn' }).click();
  const lessons = page.getByRole('region', { name: 'Lessons' });
  await expect(lessons.getByRole('textbox', { name: 'Lesson' })).toHaveValue(lesson);
  await expect(lessons).toContainText('nobody read it');
  await lessons.getByRole('button', { name: 'Accept' }).click();
  await expect(lessons.getByRole('status')).toContainText('Remembered as a new memory.');
  const timeline = page.getByRole('log', { name: 'Timeline' });
  await expect(timeline.getByRole('article', { name: 'You' }).last()).toContainText(`Learned: ${lesson}`);

  // The next loop for the same client is given the lesson, and says so.
  await newLoopIn(page, 'Acme', 'Q2 board pack');
  const used = await ask(
    page,
    fake,
    'How long should the board memos for Q2 be?',
    'A one-page memo with an appendix.',
  );
  await used.getByRole('button', { name: 'Memories used (1)' }).click();
  await expect(used.getByRole('list', { name: 'Memories used' })).toContainText(lesson);
  expect(lastChatMessages(fake)).toContain(lesson);

  // Another client's loop never sees it.
  await createSpaceAndLoop(page, 'Globex', 'Globex board pack');
  const other = await ask(page, fake, 'How long should the board memos be?', 'Two pages is common.');
  await expect(other.getByRole('button', { name: /Memories used/ })).toHaveCount(0);
  expect(lastChatMessages(fake)).not.toContain(lesson);
});

test('“Remember that…” in the composer is kept, listed on the memory page and forgotten from there', async ({
  page,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme', 'Board pack');

  await page.getByRole('textbox', { name: 'Your message' }).fill("Remember that Acme's CFO is Dana");
  await page.getByRole('button', { name: 'Add note' }).click();
  const said = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'You' }).last();
  await expect(said.getByRole('button', { name: 'Remembered' })).toBeVisible();

  // The sidebar's Memory opens the page; the memory is listed there.
  await page.getByRole('button', { name: 'Memory', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Memories' });
  await expect(list).toContainText('CFO is Dana');

  // Search narrows the list.
  await page.getByRole('searchbox', { name: 'Search memories' }).fill('nothing like this');
  await expect(page.getByText('No memory matches.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search memories' }).fill('Dana');
  await expect(list).toContainText('CFO is Dana');

  // Forget it, after saying it is for good.
  await list.getByRole('button', { name: /CFO is Dana/ }).click();
  const details = page.getByRole('region', { name: 'Memory details' });
  await expect(details.getByRole('textbox', { name: 'Memory text' })).toHaveValue(/CFO is Dana/);
  await details.getByRole('button', { name: 'Forget' }).click();
  const confirm = page.getByRole('dialog', { name: 'Forget this memory?' });
  await expect(confirm).toContainText('deleted for good');
  await confirm.getByRole('button', { name: 'Forget' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Memories' })).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search memories' }).fill('');
  await expect(page.getByText('Keel remembers nothing yet.', { exact: false })).toBeVisible();

  // The command palette opens the page too.
  await page.getByRole('button', { name: 'Close memory' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Type a command' }).fill('Open memory');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toBeVisible();
});

test('a journal looks for patterns over a period, and one pattern is kept as a memory', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Journal', 'November', 'journal');
  const moveChoice = page.getByRole('combobox', { name: 'AI move' });
  await moveChoice.selectOption('patterns');
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);

  fake.queueReply({ text: 'You write about sleep when deadlines near [E1].\n\nA second theme.' });
  await page.getByRole('textbox', { name: 'Your message' }).fill('Slept badly again before the deadline.');
  await page.getByRole('button', { name: 'Send' }).click();
  const turn = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · patterns' });
  await expect(turn).toContainText('A second theme');
  await turn.getByRole('button', { name: 'Keep a pattern as a memory' }).click();
  await expect(turn.getByRole('textbox', { name: 'Pattern' })).toHaveValue(
    'You write about sleep when deadlines near.',
  );
  await turn.getByRole('button', { name: 'Remember' }).click();
  await expect(turn.getByRole('status')).toContainText('Remembered as a new memory.');

  // Patterns belong to journals: a client's composer does not offer it.
  await createSpaceAndLoop(page, 'Acme', 'Board pack');
  const clientMoves = page.getByRole('combobox', { name: 'AI move' });
  await expect(clientMoves.getByRole('option', { name: 'Explore' })).toHaveCount(1);
  await expect(clientMoves.getByRole('option', { name: 'Patterns' })).toHaveCount(0);
});
