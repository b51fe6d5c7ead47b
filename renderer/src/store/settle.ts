import { fail, toErrorInfo, type Result } from '../../../shared/errors';

/**
 * Runs one engine call and always resolves to a `Result`: the contract's clients never throw, but a
 * broken bridge could, and the person should then read an error rather than lose their work.
 */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (error) {
    return fail(toErrorInfo(error));
  }
}
