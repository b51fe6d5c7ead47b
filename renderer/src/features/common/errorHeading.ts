import { errorTitle, isErrorCode } from '../../../../shared/errors';

/** The title for an error code; a code this workspace does not know yet reads as a general failure. */
export function errorHeading(code: string): string {
  return errorTitle(isErrorCode(code) ? code : 'internal');
}
