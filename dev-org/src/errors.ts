/**
 * Salesforce's REST error shape: the body is `[{"message","errorCode","fields"}]` with an HTTP status.
 * Every failure the dev org reports is one of these; nothing else leaves the server (no stack traces).
 */
export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SalesforceError extends Error {
  readonly statusCode: number;
  readonly errorCode: string;
  readonly fields: string[] | undefined;

  constructor(statusCode: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.name = 'SalesforceError';
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.fields = fields;
  }

  toBody(): SalesforceErrorBody {
    return this.fields === undefined
      ? { message: this.message, errorCode: this.errorCode }
      : { message: this.message, errorCode: this.errorCode, fields: this.fields };
  }
}

/** The error entry of one record in sObject Collections results: `statusCode` holds the error code. */
export interface CollectionRecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function collectionRecordError(error: SalesforceError): CollectionRecordError {
  return { statusCode: error.errorCode, message: error.message, fields: error.fields ?? [] };
}
