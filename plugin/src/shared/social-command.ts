/**
 * What every `sf social` command shares beyond SfCommand: an org missing from the command line is answered
 * with what to do (`withOrgNextSteps`), and a `--json` error is the CLI's usual envelope without the parts
 * meant for us rather than for scripts: no stack trace, and no `"cause": "undefined"` when there is none.
 */
import type { SfError } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { withOrgNextSteps } from './org-errors.ts';

/** The error envelope sf-plugins-core builds (`SfCommandError.toJson()`): it alone has `commandName` and `stack`. */
function isErrorEnvelope(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && 'commandName' in json && 'stack' in json;
}

export abstract class SocialCommand<T> extends SfCommand<T> {
  protected override async catch(error: Error | SfError): Promise<never> {
    return super.catch(withOrgNextSteps(error));
  }

  public override logJson(json: unknown): void {
    if (!isErrorEnvelope(json)) return super.logJson(json);
    const { stack: _stack, cause, ...envelope } = json;
    super.logJson(cause === undefined || cause === 'undefined' ? envelope : { ...envelope, cause });
  }
}
