/**
 * A loop as a clean Markdown document: the intent, the decision, the draft, the sources its AI turns
 * drew on and, when asked, the timeline (the versions the person kept, with their steering, and the
 * passages each AI turn was given). The Word export is made from this.
 */
import { decisionDossier } from '../../../shared/dossier';
import type { Decision, Loop, PassageRef, Space, Turn } from '../../../shared/domain';
import { currentVersionIds } from '../../../shared/loopLogic';
import { locationWords } from '../../../shared/passages';
import { describeDecision } from '../loops/DecisionService';

/**
 * `sourceNames` names the sources the turns cite (by id); a source missing from it was removed, and
 * is called so.
 */
export function loopMarkdown(
  loop: Loop,
  space: Space | undefined,
  includeTimeline: boolean,
  sourceNames: ReadonlyMap<string, string> = new Map(),
  memoryTexts: ReadonlyMap<string, string> = new Map(),
): string {
  const out: string[] = [`# ${loop.title}`];
  const where = space ? `${space.name} · ` : '';
  out.push(`*${where}exported from Keel on ${day(new Date().toISOString())}*`);

  out.push('## Intent');
  const intent = [
    ['Goal', loop.intent.goal],
    ['Context', loop.intent.context],
    ['Constraints', loop.intent.constraints],
    ['What good looks like', loop.intent.goodLooksLike],
  ].filter(([, value]) => value?.trim());
  out.push(
    intent.length ? intent.map(([label, value]) => `**${label}:** ${value}`).join('\n\n') : '*Not framed.*',
  );

  out.push('## Decision');
  out.push(
    loop.decision
      ? `${describeDecision(loop.decision, 'document')}${afterwards(loop.decision)}\n\n*Decided on ${day(loop.decision.decidedAt)}.*`
      : '*Not decided yet.*',
  );

  if (loop.decision) out.push(...dossierMarkdown(loop, loop.decision, sourceNames, memoryTexts, '##'));

  // Each decision taken back when the loop was reopened goes out with its own dossier, newest first.
  if (loop.pastDecisions.length > 0) {
    out.push('## Earlier decisions');
    for (const past of loop.pastDecisions.slice().reverse()) {
      const reopened = past.reopenedAt ? `, reopened ${day(past.reopenedAt)}` : '';
      out.push(`### Decided ${day(past.decidedAt)}${reopened}`);
      out.push(`${describeDecision(past, 'document')}${afterwards(past)}`);
      out.push(...dossierMarkdown(loop, past, sourceNames, memoryTexts, '####'));
    }
  }

  out.push('## Draft');
  out.push(loop.draft.trim() ? shiftHeadings(loop.draft.trim()) : '*No draft yet.*');

  const current = currentVersionIds(loop.turns);
  const shown = loop.turns.filter((turn) => current.has(turn.id) && turn.text.trim() !== '');
  const cited = [...new Set(shown.flatMap((turn) => (turn.passages ?? []).map((ref) => ref.sourceId)))];
  if (cited.length > 0) {
    out.push('## Sources');
    out.push(cited.map((sourceId) => `- ${sourceNames.get(sourceId) ?? 'A removed source'}`).join('\n'));
  }

  if (includeTimeline) {
    out.push('## Timeline');
    if (shown.length === 0) out.push('*Nothing yet.*');
    for (const turn of shown) {
      out.push(`### ${heading(turn)}`, shiftHeadings(turn.text.trim()));
      if (turn.passages && turn.passages.length > 0)
        out.push(`*Passages given:* ${turn.passages.map((ref) => passageLine(ref, sourceNames)).join('; ')}`);
    }
  }
  return `${out.join('\n\n')}\n`;
}

/** How the decision's forecasts resolved and its outcome review, as the person wrote them. */
function afterwards(decision: Decision): string {
  const lines: string[] = [];
  const resolved = decision.forecasts.filter((forecast) => forecast.resolution);
  if (resolved.length > 0) {
    const items = resolved.map((forecast) => {
      const resolution = forecast.resolution!;
      const note = resolution.note ? `: ${resolution.note}` : '';
      return `- ${forecast.statement}: resolved ${resolution.outcome} on ${day(resolution.at)}${note}`;
    });
    lines.push(`**Resolved:**\n\n${items.join('\n')}`);
  }
  if (decision.review) {
    lines.push(`**What happened:** ${decision.review.outcome}`);
    if (decision.review.lesson) lines.push(`**What was learned:** ${decision.review.lesson}`);
  }
  return lines.length > 0 ? `\n\n${lines.join('\n\n')}` : '';
}

/** How many characters of an earlier draft the dossier quotes. */
const draftQuoteLimit = 2000;

/** What informed the decision, for a reader who was not in the loop (a client, a board). */
function dossierMarkdown(
  loop: Loop,
  decision: Decision,
  sourceNames: ReadonlyMap<string, string>,
  memoryTexts: ReadonlyMap<string, string>,
  level: '##' | '####',
): string[] {
  const dossier = decisionDossier(loop, decision);
  const out = [`${level} What informed the decision`];
  const excerpt = (turn: Turn) => {
    const text = turn.text.trim().replace(/\s+/g, ' ');
    return text.length > 400 ? `${text.slice(0, 399)}…` : text;
  };
  const parts: string[] = [];
  if (dossier.draftVersion) {
    const note = dossier.draftVersion.note ? ` (${dossier.draftVersion.note.toLowerCase()})` : '';
    parts.push(`**Draft at the time:** the version of ${day(dossier.draftVersion.createdAt)}${note}.`);
    // The draft of an earlier decision is not the document's own draft, so the reader sees it here.
    const text = dossier.draftVersion.text.trim();
    if (text !== '' && text !== loop.draft.trim()) {
      const quoted = text.length > draftQuoteLimit ? `${text.slice(0, draftQuoteLimit - 1)}…` : text;
      parts.push(
        quoted
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n'),
      );
    }
  }
  if (dossier.turns.length > 0) {
    parts.push(
      `**Turns kept or pinned:**\n\n${dossier.turns.map((turn) => `- *${heading(turn)}:* ${excerpt(turn)}`).join('\n')}`,
    );
  }
  if (dossier.challenges.length > 0) {
    parts.push(
      `**Challenges asked:**\n\n${dossier.challenges.map((turn) => `- *${day(turn.createdAt)}:* ${excerpt(turn)}`).join('\n')}`,
    );
  }
  if (dossier.passages.length > 0) {
    parts.push(
      `**Source passages:**\n\n${dossier.passages.map((ref) => `- ${passageLine(ref, sourceNames)}`).join('\n')}`,
    );
  }
  if (dossier.memoryIds.length > 0) {
    const memories = dossier.memoryIds.map((id) => `- ${memoryTexts.get(id) ?? 'A memory since forgotten'}`);
    parts.push(`**Memories drawn on:**\n\n${memories.join('\n')}`);
  }
  out.push(
    parts.length > 0 ? parts.join('\n\n') : '*Nothing was kept, pinned or challenged before deciding.*',
  );
  return out;
}

/** "[P1] Q3 review.pdf, page 2", as the prompt labelled it. */
function passageLine(ref: PassageRef, sourceNames: ReadonlyMap<string, string>): string {
  const name = ref.removed ? undefined : sourceNames.get(ref.sourceId);
  return name ? `[${ref.label}] ${name}, ${locationWords(ref)}` : `[${ref.label}] a removed source`;
}

function heading(turn: Turn): string {
  const who = turn.author === 'person' ? 'You' : `AI · ${turn.move}`;
  const notes: string[] = [];
  if (turn.steering?.state === 'set-aside') {
    notes.push(turn.steering.reason ? `set aside: ${turn.steering.reason}` : 'set aside');
  }
  if (turn.steering?.state === 'pinned') notes.push('pinned');
  if (turn.steering?.state === 'kept') notes.push('kept');
  if (turn.edited) notes.push('edited by you');
  if (turn.steer) notes.push(`steer: ${turn.steer}`);
  return `${who} · ${day(turn.createdAt)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** Headings inside the draft or a turn sit below the document's own (##), so the outline stays whole. */
function shiftHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return line;
      const match = /^(#{1,6})\s/.exec(line);
      if (!match) return line;
      const level = Math.min(6, match[1]!.length + 2);
      return `${'#'.repeat(level)}${line.slice(match[1]!.length)}`;
    })
    .join('\n');
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** A file name from the loop's title: letters, digits and dashes only. */
export function exportFileName(title: string, extension: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base || 'loop'}.${extension}`;
}
