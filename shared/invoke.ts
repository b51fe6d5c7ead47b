/**
 * The door every call passes through, on any host: the call name is checked, the input is parsed
 * from `unknown` with its schema, and only then does a handler see it. Anything a handler throws
 * comes back as a `Result` with a code.
 */
import { contract, isCallName, type CallName, type KeelHandlers } from './contract';
import { fail, ok, toErrorInfo, type Result } from './errors';

export function parseCallInput(name: unknown, raw: unknown): Result<{ name: CallName; input: unknown }> {
  if (!isCallName(name)) {
    return fail({
      code: 'invalid-input',
      message: `Keel has no call named "${String(name)}".`,
      field: 'call',
    });
  }
  const parsed = contract[name].input.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
    const reason = issue ? issue.message : 'is not valid';
    return fail({ code: 'invalid-input', message: `The ${field} ${lowerFirst(reason)}.`, field });
  }
  return ok({ name, input: parsed.data });
}

/** Validates and runs one call against the handlers; never throws. */
export async function invokeCall(
  handlers: KeelHandlers,
  name: unknown,
  raw: unknown,
): Promise<Result<unknown>> {
  const parsed = parseCallInput(name, raw);
  if (!parsed.ok) return parsed;
  const handler = handlers[parsed.value.name] as (input: unknown) => Promise<unknown>;
  try {
    return ok(await handler(parsed.value.input));
  } catch (error) {
    return fail(toErrorInfo(error));
  }
}

function lowerFirst(text: string): string {
  const trimmed = text.replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
