/** Checks shared by the accessibility and keyboard specs: axe in both themes, visible focus, paste, console. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** WCAG 2.2 AA, every level up to it. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** The rules of those tags whose outcome depends on the colours, and so on the theme. */
const colourRules = ['color-contrast', 'link-in-text-block'];

/**
 * Runs axe on the page as it is, in the light and then the dark theme (the system's choice, which the
 * app follows by default), and fails on any serious or critical violation; lesser ones are printed.
 * Soft, so one run names every problem of every screen.
 */
export async function checkAccessibility(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Only the violations are detailed (axe's passes are many and slow to serialise). The rules that
    // read colours run in both themes; the others see the same page in either, so they run once.
    const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
    const results = await (
      colorScheme === 'light' ? builder.withTags(wcagTags) : builder.withRules(colourRules)
    ).analyze();
    const blocking = results.violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    for (const violation of results.violations) {
      if (blocking.includes(violation)) continue;
      console.log(
        `axe (${violation.impact ?? 'no impact'}) ${screen}, ${colorScheme}: ${violation.id}: ${violation.help}` +
          ` — ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`,
      );
    }
    const described = blocking.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .map(
            (node) =>
              `    ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ')}`,
          )
          .join('\n'),
    );
    expect.soft(described, `serious or critical axe violations on ${screen} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** What `expectVisibleFocus` reads about the focused element, in one trip to the page. */
interface FocusReport {
  what: string;
  shown: boolean;
  onScreen: boolean;
  indicator: boolean;
}

/**
 * Whatever has the keyboard focus is shown, on screen, and shows that it has it: an outline of at
 * least 2px or a box shadow, as the style sheet gives `:focus-visible`.
 */
export async function expectVisibleFocus(page: Page, step: string): Promise<void> {
  // Retried for a moment: after a key that starts work (sending, saving) the focus settles once the
  // control it was on has been replaced.
  await expect(async () => {
    await expectFocusNowVisible(page, step);
  }).toPass({ timeout: 5_000, intervals: [100, 250, 500] });
}

async function expectFocusNowVisible(page: Page, step: string): Promise<void> {
  const report = await page.evaluate((): FocusReport | null => {
    // The page's own globals, typed loosely: this file is compiled for Node, without the DOM's types.
    interface Box {
      top: number;
      left: number;
      bottom: number;
      right: number;
      width: number;
      height: number;
    }
    interface Node {
      tagName: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
      getBoundingClientRect(): Box;
      checkVisibility(options: object): boolean;
    }
    const scope = globalThis as unknown as {
      document: { activeElement: Node | null; body: Node };
      innerWidth: number;
      innerHeight: number;
      getComputedStyle(node: Node): { outlineStyle: string; outlineWidth: string; boxShadow: string };
    };
    const element = scope.document.activeElement;
    if (!element || element === scope.document.body) return null;
    const box = element.getBoundingClientRect();
    const style = scope.getComputedStyle(element);
    const name = element.getAttribute('aria-label') ?? (element.textContent ?? '').trim().slice(0, 40);
    return {
      what: `${element.tagName.toLowerCase()} “${name}”`,
      shown: box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true }),
      onScreen: box.bottom > 0 && box.right > 0 && box.top < scope.innerHeight && box.left < scope.innerWidth,
      indicator:
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    };
  });
  expect(report, `something has the focus after: ${step}`).not.toBeNull();
  expect(report, `the focus is visible after: ${step}`).toEqual({
    what: report!.what,
    shown: true,
    onScreen: true,
    indicator: true,
  });
}

/**
 * Presses Tab, or Shift+Tab when `target` comes before the focus in the page, until `target` has the
 * focus, checking after every press that the focus is visible; fails after `most` presses.
 */
export async function tabTo(page: Page, target: Locator, most = 60) {
  const back = await target.evaluate((element) => {
    const scope = globalThis as unknown as {
      document: { activeElement: { compareDocumentPosition(other: unknown): number } | null };
    };
    const active = scope.document.activeElement;
    // 2 is Node.DOCUMENT_POSITION_PRECEDING: the target is before the focused element.
    return active !== null && (active.compareDocumentPosition(element) & 2) !== 0;
  });
  const key = back ? 'Shift+Tab' : 'Tab';
  for (let presses = 0; presses < most; presses++) {
    await page.keyboard.press(key);
    await expectVisibleFocus(page, `${key} towards ${target.toString()}`);
    const reached = await target.evaluate(
      (element) =>
        element ===
        (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
    );
    if (reached) return;
  }
  throw new Error(`${target.toString()} never took the focus with ${key}`);
}

/**
 * Every visible button, link, field and other control on the page is at least 24×24 CSS pixels
 * (WCAG 2.5.8). Links inside a sentence are exempt, as the criterion allows; so are the inputs only
 * screen readers meet (a visually hidden file input, whose visible target is its button). A field's
 * labels count as part of its target, since clicking them works the field.
 */
export async function expectTargetsAtLeast24(page: Page, screen: string): Promise<void> {
  const small = await page.evaluate(() => {
    interface Node {
      tagName: string;
      textContent: string | null;
      parentElement: Node | null;
      getAttribute(name: string): string | null;
      labels?: Iterable<Node>;
      getBoundingClientRect(): Box;
      checkVisibility(options: object): boolean;
    }
    interface Box {
      top: number;
      left: number;
      bottom: number;
      right: number;
      width: number;
      height: number;
    }
    const scope = globalThis as unknown as {
      document: { querySelectorAll(selector: string): Iterable<Node> };
      getComputedStyle(node: Node): { display: string };
    };
    const controls = scope.document.querySelectorAll(
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="checkbox"], [role="tab"], [role="option"]',
    );
    const found: string[] = [];
    for (const control of controls) {
      if (!control.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
      let box = control.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1) continue;
      // A checkbox's label toggles it too, so the target is the box and its label together.
      for (const label of control.labels ?? []) {
        const around = label.getBoundingClientRect();
        const top = Math.min(box.top, around.top);
        const left = Math.min(box.left, around.left);
        const bottom = Math.max(box.bottom, around.bottom);
        const right = Math.max(box.right, around.right);
        box = { top, left, bottom, right, width: right - left, height: bottom - top };
      }
      if (box.width >= 24 && box.height >= 24) continue;
      // A link in running text: the sentence sets its height, as WCAG 2.5.8's inline exception says.
      if (control.tagName === 'A' && scope.getComputedStyle(control).display === 'inline') continue;
      const name =
        control.getAttribute('aria-label') ?? (control.textContent ?? '').trim().slice(0, 40) ?? '';
      found.push(
        `${control.tagName.toLowerCase()} “${name || control.getAttribute('type') || ''}” ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
    }
    return found;
  });
  expect.soft(small, `controls smaller than 24×24 on ${screen}`).toEqual([]);
}

/**
 * With reduced motion asked for, nothing on the page (or its ::before/::after) animates or
 * transitions: every computed duration is 0.
 */
export async function expectNoMotion(page: Page, screen: string): Promise<void> {
  const moving = await page.evaluate(() => {
    interface Node {
      tagName: string;
      className: unknown;
    }
    const scope = globalThis as unknown as {
      document: { querySelectorAll(selector: string): Iterable<Node> };
      getComputedStyle(
        node: Node,
        pseudo?: string,
      ): { animationName: string; animationDuration: string; transitionDuration: string };
    };
    const found: string[] = [];
    const runs = (durations: string) => durations.split(',').some((duration) => parseFloat(duration) > 0);
    for (const element of scope.document.querySelectorAll('*')) {
      for (const pseudo of [undefined, '::before', '::after']) {
        const style = scope.getComputedStyle(element, pseudo);
        const animated = style.animationName !== 'none' && runs(style.animationDuration);
        if (animated || runs(style.transitionDuration)) {
          found.push(`${element.tagName.toLowerCase()}.${String(element.className)}${pseudo ?? ''}`);
        }
      }
    }
    return found;
  });
  expect.soft(moving, `things still moving with reduced motion on ${screen}`).toEqual([]);
}

/**
 * Pastes `text` into `field` as a person would: onto the clipboard, then Ctrl+V in the focused field.
 * Needs the clipboard permissions granted to the page's context.
 */
export async function pasteInto(page: Page, field: Locator, text: string): Promise<void> {
  await page.evaluate(async (value) => {
    const scope = globalThis as unknown as {
      navigator: { clipboard: { writeText(text: string): Promise<void> } };
    };
    await scope.navigator.clipboard.writeText(value);
  }, text);
  await field.focus();
  await page.keyboard.press('Control+V');
}

/** Every console error and uncaught page error from now on, as text. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}
