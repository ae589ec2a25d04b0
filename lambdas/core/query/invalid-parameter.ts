import { LookoutError } from '../lookout-error.js';

/** The 400 every malformed query or path parameter gets; `message` starts with the parameter's name. */
export function invalidParameter(message: string): LookoutError {
  return new LookoutError(400, 'invalid_parameter', message);
}
