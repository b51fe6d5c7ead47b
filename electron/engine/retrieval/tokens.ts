/**
 * How many tokens a text takes in a prompt, estimated without the model's tokenizer: about four
 * characters a token, plus a few for the message around it. Budgets (memories, passages, history)
 * are all counted with this one estimate, so they add up.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}
