/**
 * The built-in evaluation set for memory recall: five client spaces and a journal, each with its
 * own facts and many look-alike distractors, plus preferences kept everywhere (over 300 memories);
 * and over 60 queries: direct ones, paraphrases that share few words with the memory, facts that
 * were updated (only the newest may come), and scope traps (asked in a space that must not see it).
 * Generated the same way every run, from the tables below.
 */

export interface EvalMemory {
  key: string;
  space: string;
  text: string;
  /** A later text that updates this fact (it must supersede, and only it may be recalled). */
  update?: string;
}

export interface EvalQuery {
  space: string;
  text: string;
  /** The memory that should be in the top five; none for a scope trap. */
  expect?: string;
  type: 'direct' | 'paraphrase' | 'updated' | 'scope-trap';
}

const clients = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark'] as const;

/** Facts every client has, with a direct question and a paraphrase that avoids the fact's words. */
const factTemplates: {
  key: string;
  fact: (client: string, value: string) => string;
  values: readonly string[];
  direct: (client: string) => string;
  paraphrase: (client: string) => string;
  update?: (client: string, value: string) => string;
  updateValues?: readonly string[];
}[] = [
  {
    key: 'cfo',
    fact: (c, v) => `${c}'s CFO is ${v}, who signs off every budget`,
    values: ['Dana Reyes', 'Omar Haddad', 'Lena Fischer', 'Raj Mehta', 'Chloe Martin'],
    direct: (c) => `Who is the CFO at ${c}?`,
    paraphrase: (c) => `which finance chief at ${c} approves the spending`,
  },
  {
    key: 'budget',
    fact: (c, v) => `${c} has a consulting budget of ${v} this year`,
    values: ['2M', '750K', '1.2M', '400K', '3M'],
    direct: (c) => `What consulting budget does ${c} have?`,
    paraphrase: (c) => `how much money can ${c} spend on advisers`,
    update: (c, v) => `${c} has a consulting budget of ${v} this year`,
    updateValues: ['2.5M', '900K', '1.5M', '300K', '3.4M'],
  },
  {
    key: 'memo',
    fact: (c, v) => `${c}'s board wants memos ${v}`,
    values: [
      'under one page',
      'with the numbers first',
      'in plain language without jargon',
      'with a clear ask on top',
      'with three options compared',
    ],
    direct: (c) => `How should a board memo for ${c} be written?`,
    paraphrase: (c) => `format the directors at ${c} expect in a written briefing`,
  },
  {
    key: 'market',
    fact: (c, v) => `${c} is expanding into ${v} next year`,
    values: ['Germany', 'Brazil', 'Japan', 'the Nordics', 'Canada'],
    direct: (c) => `Which market is ${c} expanding into?`,
    paraphrase: (c) => `where does ${c} plan to grow abroad`,
  },
  {
    key: 'competitor',
    fact: (c, v) => `${c}'s main competitor is ${v}, which undercuts on price`,
    values: ['Vandelay', 'Hooli', 'Soylent', 'Cyberdyne', 'Wonka'],
    direct: (c) => `Who is ${c}'s main competitor?`,
    paraphrase: (c) => `rival firm that sells cheaper than ${c}`,
  },
  {
    key: 'risk',
    fact: (c, v) => `${c}'s leadership has a ${v} appetite for risk`,
    values: ['low', 'high', 'moderate', 'very low', 'growing'],
    direct: (c) => `What is ${c}'s appetite for risk?`,
    paraphrase: (c) => `how bold are ${c}'s executives willing to be`,
  },
  {
    key: 'pricing',
    fact: (c, v) => `${c} prices its product ${v}`,
    values: ['per seat', 'by usage', 'with a flat annual fee', 'in three tiers', 'per project'],
    direct: (c) => `How does ${c} price its product?`,
    paraphrase: (c) => `what do customers pay ${c} for, and how is it charged`,
  },
  {
    key: 'hq',
    fact: (c, v) => `${c} is headquartered in ${v}`,
    values: ['Rotterdam', 'Austin', 'Lyon', 'Osaka', 'Denver'],
    direct: (c) => `Where is ${c} headquartered?`,
    paraphrase: (c) => `which city is ${c}'s head office in`,
    update: (c, v) => `${c} is headquartered in ${v}`,
    updateValues: ['Amsterdam', 'Dallas', 'Paris', 'Tokyo', 'Boulder'],
  },
  {
    key: 'fiscal',
    fact: (c, v) => `${c}'s fiscal year ends in ${v}`,
    values: ['March', 'June', 'September', 'December', 'January'],
    direct: (c) => `When does ${c}'s fiscal year end?`,
    paraphrase: (c) => `which month closes the books at ${c}`,
  },
  {
    key: 'sponsor',
    fact: (c, v) => `Our sponsor at ${c} is ${v}, head of strategy`,
    values: ['Priya Nair', 'Tom Becker', 'Ines Duarte', 'Ken Sato', 'Maya Cohen'],
    direct: (c) => `Who is our sponsor at ${c}?`,
    paraphrase: (c) => `the person at ${c} who championed hiring us`,
  },
  {
    key: 'growth',
    fact: (c, v) => `${c} targets ${v} revenue growth`,
    values: ['15%', '8%', '25%', '5%', '12%'],
    direct: (c) => `What revenue growth does ${c} target?`,
    paraphrase: (c) => `how fast does ${c} want sales to rise`,
  },
  {
    key: 'decision',
    fact: (c, v) => `Decisions at ${c} are made ${v}`,
    values: [
      'by consensus of the executive team',
      'by the CEO alone',
      'by the board after two readings',
      'by the regional heads',
      'by a pricing committee',
    ],
    direct: (c) => `How are decisions made at ${c}?`,
    paraphrase: (c) => `who has the final say at ${c}`,
  },
];

/** Look-alike facts: same client, same vocabulary, different subjects. */
const departments = ['sales', 'marketing', 'operations', 'legal', 'product', 'support', 'finance', 'HR'];
const distractorFacts = [
  (c: string, d: string) => `${c}'s ${d} team meets every Monday to review the pipeline`,
  (c: string, d: string) => `${c}'s ${d} lead prefers short status updates by email`,
  (c: string, d: string) => `${c}'s ${d} budget was frozen during the last restructuring`,
  (c: string, d: string) => `${c} plans to hire two people in ${d} next quarter`,
  (c: string, d: string) => `The ${d} function at ${c} reports into the COO`,
];

const everywhere = [
  'I prefer tables over long bullet lists',
  'I write recommendations first, then the reasoning',
  'Never present more than three options to a client',
  'I like pre-mortems before any big commitment',
  'Always state the confidence behind a recommendation',
  'I prefer British spelling in written documents',
  'Keep executive summaries under 150 words',
  'I distrust forecasts without a base rate',
  'Name the decision owner in every plan',
  'I avoid jargon like synergy and leverage',
  'Prefer examples from manufacturing clients',
  'Always separate facts from assumptions',
  'I prefer morning workshops to afternoon ones',
  'Quote figures in euros unless the client reports in dollars',
  'I like ending meetings with explicit next steps',
  'Never share one client’s figures with another',
  'I prefer plain charts without 3D effects',
  'Use first names in internal notes',
  'I check the calendar for school holidays before scheduling',
  'Prefer fewer, longer working sessions to many short calls',
];

const journal = [
  'I sleep badly before board meetings',
  'Running in the morning makes me calmer all day',
  'I procrastinate on writing when the audience is senior',
  'Long offsites leave me drained for two days',
  'I feel most creative on Sunday evenings',
  'Saying no to extra projects is hard for me',
  'I tend to overprepare for client calls',
  'Coffee after 3pm ruins my sleep',
  'Talking to my sister helps me untangle decisions',
  'I get irritable when meetings run over',
  'Writing by hand helps me think more slowly',
  'I avoid hard conversations on Fridays',
  'Walking after lunch clears my head',
  'I compare myself to peers after conferences',
  'Reading fiction at night helps me switch off',
];

export function buildEvalSet(): { memories: EvalMemory[]; queries: EvalQuery[] } {
  const memories: EvalMemory[] = [];
  const queries: EvalQuery[] = [];
  clients.forEach((client, clientIndex) => {
    for (const template of factTemplates) {
      const key = `${client}:${template.key}`;
      const value = template.values[clientIndex]!;
      const update = template.update?.(client, template.updateValues![clientIndex]!);
      memories.push({
        key,
        space: client,
        text: template.fact(client, value),
        ...(update ? { update } : {}),
      });
      if (update) {
        queries.push({ space: client, text: template.direct(client), expect: key, type: 'updated' });
      } else if (['cfo', 'memo', 'market', 'competitor', 'pricing', 'sponsor'].includes(template.key)) {
        queries.push({ space: client, text: template.direct(client), expect: key, type: 'direct' });
      }
      if (['cfo', 'memo', 'market', 'competitor', 'risk', 'fiscal'].includes(template.key)) {
        queries.push({ space: client, text: template.paraphrase(client), expect: key, type: 'paraphrase' });
      }
    }
    for (const department of departments) {
      distractorFacts.forEach((fact, factIndex) => {
        memories.push({
          key: `${client}:${department}:${factIndex}`,
          space: client,
          text: fact(client, department),
        });
      });
    }
    // A scope trap: another client's fact asked for in this client's space, with its exact words.
    const other = clients[(clientIndex + 1) % clients.length]!;
    queries.push({ space: client, text: `${other}'s CFO and budget`, type: 'scope-trap' });
    queries.push({ space: client, text: `Where is ${other} headquartered?`, type: 'scope-trap' });
  });
  everywhere.forEach((text, index) =>
    memories.push({ key: `everywhere:${index}`, space: 'everywhere', text }),
  );
  journal.forEach((text, index) => memories.push({ key: `journal:${index}`, space: 'Journal', text }));
  queries.push(
    {
      space: 'Acme',
      text: 'How many options should I show the client?',
      expect: 'everywhere:2',
      type: 'direct',
    },
    { space: 'Globex', text: 'executive summary length', expect: 'everywhere:6', type: 'direct' },
    {
      space: 'Journal',
      text: 'what happens to my sleep before board meetings',
      expect: 'journal:0',
      type: 'direct',
    },
    {
      space: 'Journal',
      text: 'why am I exhausted after company retreats',
      expect: 'journal:3',
      type: 'paraphrase',
    },
    { space: 'Journal', text: 'Acme budget', type: 'scope-trap' },
    { space: 'Initech', text: 'sleep before board meetings', type: 'scope-trap' },
  );
  return { memories, queries };
}
