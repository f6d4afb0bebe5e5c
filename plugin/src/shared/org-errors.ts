/**
 * `Flags.requiredOrg()` fails with "No default environment found" and no next step when neither
 * --target-org nor a default org is given; our commands answer that case with what to do (log in, then
 * name the org or set a default), in plain output and in --json alike.
 */
import { SfError } from '@salesforce/core';
import { errors } from './messages.ts';

export function withOrgNextSteps(error: Error): Error {
  if (error instanceof SfError && error.name === 'NoDefaultEnvError') {
    return errors.createError('error.NoOrg');
  }
  return error;
}
