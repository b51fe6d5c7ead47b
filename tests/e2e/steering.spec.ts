import { checkAccessibility } from './accessibility';
import { expect, test } from './fixtures';
import { createSpaceAndLoop, lastChatMessages } from './workspace';

test('a person steers the AI’s turns, keeps a version, pins one and records a decision', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
  await createSpaceAndLoop(page, 'Northwind', 'Market entry');

  const timeline = page.getByRole('log', { name: 'Timeline' });
  const composer = page.getByRole('textbox', { name: 'Your message' });

  // The intent is framed in place.
  const intent = page.getByRole('region', { name: 'Intent' });
  await expect(intent).toContainText('What are you trying to achieve?');
  await intent.getByRole('button', { name: 'Edit intent' }).click();
  await intent.getByRole('textbox', { name: 'Goal' }).fill('Decide whether to enter Germany');
  await intent.getByRole('button', { name: 'Save intent' }).click();
  await expect(intent).toContainText('Decide whether to enter Germany');
  await expect(intent.getByRole('textbox', { name: 'Goal' })).toHaveCount(0);

  // An explore, set aside with a reason.
  fake.queueReply({ text: 'ALPHA generic options for any market' });
  await composer.fill('Should we enter Germany next year?');
  await composer.press('Enter');
  const explore = timeline.getByRole('article', { name: 'AI · explore' });
  await expect(explore).toContainText('ALPHA generic options');
  await expect(explore.getByRole('button', { name: 'Keep' })).toBeVisible();
  await explore.getByRole('button', { name: 'Set aside' }).click();
  const reason = explore.getByRole('textbox', { name: 'Why set it aside? (optional)' });
  await reason.fill('too generic');
  await reason.press('Enter');
  await expect(explore).toContainText('Set aside: too generic — not sent to the AI');
  await expect(explore.getByRole('button', { name: 'Bring back' })).toBeVisible();

  // A challenge: the set-aside explore is not in what the model reads.
  fake.queueReply({ text: 'BETA the hidden risk is distribution' });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('challenge');
  await page.getByRole('button', { name: 'Send' }).click();
  const challenge = timeline.getByRole('article', { name: 'AI · challenge' });
  await expect(challenge).toContainText('BETA the hidden risk');
  await expect(challenge).not.toContainText('Writing…');
  expect(lastChatMessages(fake)).toContain('Should we enter Germany next year?');
  expect(lastChatMessages(fake)).not.toContain('ALPHA generic options');

  // Edited by the person.
  await challenge.getByRole('button', { name: 'Edit' }).click();
  await challenge
    .getByRole('textbox', { name: 'Edit AI turn' })
    .fill('EDITED the real risk is distribution partners');
  await challenge.getByRole('button', { name: 'Save edit' }).click();
  await expect(challenge).toContainText('Edited by you');
  await expect(challenge).toContainText('EDITED the real risk');

  // Regenerated with a steer: the new version streams in place.
  fake.queueReply({ text: 'GAMMA a bolder challenge' });
  await challenge.getByRole('button', { name: 'Regenerate' }).click();
  await challenge.getByRole('button', { name: 'Bolder' }).click();
  await expect(challenge.getByRole('textbox', { name: 'Steer (optional)' })).toHaveValue('Bolder');
  await challenge.getByRole('textbox', { name: 'Steer (optional)' }).press('Enter');
  await expect(challenge).toContainText('Version 2 of 2');
  await expect(challenge).toContainText('GAMMA a bolder challenge');
  await expect(challenge).not.toContainText('Writing…');
  await expect(timeline.getByRole('article', { name: 'AI · challenge' })).toHaveCount(1);

  // Side by side, then back to the first version, kept.
  await challenge.getByRole('button', { name: 'Compare versions' }).click();
  await expect(challenge.getByRole('region', { name: 'Version 1' })).toContainText('EDITED the real risk');
  await expect(challenge.getByRole('region', { name: 'Version 2' })).toContainText('GAMMA');
  await challenge.getByRole('button', { name: 'Compare versions' }).click();
  await challenge.getByRole('button', { name: 'Previous version' }).click();
  await expect(challenge).toContainText('Version 1 of 2');
  await expect(challenge).toContainText('EDITED the real risk');
  await challenge.getByRole('button', { name: 'Keep this version' }).click();
  await expect(challenge.getByRole('button', { name: 'Keep this version' })).toHaveCount(0);
  await expect(challenge).toContainText('shown to the AI');

  // Pinned, it stays in what the model reads; the set-aside turn and the other version do not.
  await challenge.getByRole('button', { name: 'Pin' }).click();
  await expect(challenge).toContainText("Pinned — always in the AI's context");
  await expect(challenge.getByRole('button', { name: 'Unpin' })).toBeVisible();
  fake.queueReply({ text: 'DELTA the threads so far' });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('synthesize');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(timeline.getByRole('article', { name: 'AI · synthesize' })).toContainText('DELTA');
  const sent = lastChatMessages(fake);
  expect(sent).toContain('EDITED the real risk is distribution partners');
  expect(sent).not.toContain('ALPHA generic options');
  expect(sent).not.toContain('GAMMA a bolder challenge');

  // The decision: challenged first (the form keeps what was written), then recorded.
  await page.getByRole('button', { name: 'Decide' }).click();
  const form = page.getByRole('region', { name: 'Decision' });
  await form
    .getByRole('textbox', { name: 'Your choice' })
    .fill('Enter Germany through a distribution partner');
  await form.getByRole('textbox', { name: 'Rationale' }).fill('Largest market, partners carry the risk');
  await form.getByRole('textbox', { name: 'Options set aside' }).fill('Going direct');
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('70');
  await form.getByRole('textbox', { name: 'Prediction' }).fill('Break even in two years');
  await form.getByLabel('Review date').fill('2027-03-31');
  fake.queueReply({ text: 'EPSILON what if the partner fails' });
  await form.getByRole('button', { name: 'Challenge this decision first' }).click();
  await expect(timeline.getByRole('article', { name: 'AI · challenge' }).last()).toContainText('EPSILON');
  expect(lastChatMessages(fake)).toContain('Enter Germany through a distribution partner');
  await expect(form.getByRole('textbox', { name: 'Your choice' })).toHaveValue(
    'Enter Germany through a distribution partner',
  );
  await expect(timeline.getByRole('article', { name: 'AI · challenge' }).last()).not.toContainText(
    'Writing…',
  );

  // A confidence that is not a percentage is refused next to the field.
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('150');
  await form.getByRole('button', { name: 'Record decision' }).click();
  await expect(form.getByRole('alert')).toContainText(/100/);
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('70');
  await form.getByRole('button', { name: 'Record decision' }).click();

  const decision = page.getByRole('region', { name: 'Decision' });
  await expect(decision).toContainText('Enter Germany through a distribution partner');
  await expect(decision).toContainText('70%');
  await expect(decision).toContainText('Break even in two years');
  await expect(decision).toContainText('2027-03-31');
  await expect(page.getByRole('button', { name: 'Decide' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Loop stage' }).locator('[aria-current="step"]')).toHaveText(
    'Decide',
  );
  await expect(timeline.getByRole('article', { name: 'You' }).last()).toContainText('Decision:');

  // Reopened, the decision moves to the earlier ones.
  await decision.getByRole('button', { name: 'Reopen loop' }).click();
  await expect(page.getByRole('region', { name: 'Decision' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Decide' })).toBeVisible();
  await page.getByText('Earlier decisions (1)').click();
  await expect(page.getByRole('group').filter({ hasText: 'Earlier decisions' })).toContainText(
    'Enter Germany through a distribution partner',
  );

  // After a reload the steering, the versions and the edits are all still there.
  await page.reload();
  await page.getByRole('button', { name: 'Market entry' }).click();
  await expect(timeline.getByRole('article', { name: 'AI · explore' })).toContainText(
    'Set aside: too generic',
  );
  const reloaded = timeline.getByRole('article', { name: 'AI · challenge' }).first();
  await expect(reloaded).toContainText('Version 1 of 2');
  await expect(reloaded).toContainText('Edited by you');
  await expect(reloaded.getByRole('button', { name: 'Unpin' })).toBeVisible();
});

test('a template frames the loop and suggests its first move', async ({ page, launchHost }) => {
  const host = await launchHost();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New space' }).first().click();
  const spaceDialog = page.getByRole('dialog', { name: 'New space' });
  await spaceDialog.getByRole('textbox', { name: 'Space name' }).fill('Northwind');
  await spaceDialog.getByRole('combobox', { name: 'Kind' }).selectOption('client');
  await spaceDialog.getByRole('button', { name: 'Create space' }).click();
  await page.getByRole('button', { name: 'New loop in Northwind' }).click();
  const loopDialog = page.getByRole('dialog', { name: 'New loop' });
  await loopDialog.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'Pre-mortem' });
  await expect(loopDialog.getByRole('textbox', { name: 'Loop title' })).toHaveValue('Pre-mortem');
  await loopDialog.getByRole('button', { name: 'Create loop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pre-mortem' })).toBeVisible();
  await expect(page.getByText(/Suggested first move: /)).toBeVisible();

  // Its framing saved as the person's own template is offered for the next loop.
  await page
    .getByRole('region', { name: 'Intent' })
    .getByRole('button', { name: 'Save as template' })
    .click();
  const saveDialog = page.getByRole('dialog', { name: 'Save as template' });
  await saveDialog.getByRole('textbox', { name: 'Template name' }).fill('My pre-mortem');
  await expect(saveDialog.getByRole('radio', { name: 'Only in this space' })).toBeChecked();
  await checkAccessibility(page, 'save as template');
  await saveDialog.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'My pre-mortem' })).toBeVisible();
  // A second one for every space; only that one is offered in another space.
  await page
    .getByRole('region', { name: 'Intent' })
    .getByRole('button', { name: 'Save as template' })
    .click();
  await saveDialog.getByRole('textbox', { name: 'Template name' }).fill('Any pre-mortem');
  await saveDialog.getByRole('radio', { name: 'In every space' }).check();
  await saveDialog.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Any pre-mortem' })).toBeVisible();
  await page.getByRole('button', { name: 'New loop in Northwind' }).click();
  const offered = page.getByRole('dialog', { name: 'New loop' }).getByRole('option', { name: /\(yours\)$/ });
  await expect(offered).toHaveText(['My pre-mortem (yours)', 'Any pre-mortem (yours)']);
  await page.getByRole('dialog', { name: 'New loop' }).getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'New space' }).first().click();
  await spaceDialog.getByRole('textbox', { name: 'Space name' }).fill('Home');
  await spaceDialog.getByRole('button', { name: 'Create space' }).click();
  await page.getByRole('button', { name: 'New loop in Home' }).click();
  await expect(offered).toHaveText(['Any pre-mortem (yours)']);
});
