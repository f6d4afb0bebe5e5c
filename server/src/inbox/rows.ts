/**
 * Shared by the parsers of org rows (BusinessHours, custom metadata): zod issues in one line that names
 * the record, so an admin can find and fix it.
 */
import type { z } from 'zod';
import { AppError } from '../domain/errors.ts';

/** `Order__c: expected a number; Queue__c: required`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** The record's name for messages: its DeveloperName (or Name), else its position in the list. */
export function rowName(row: unknown, key: 'DeveloperName' | 'Name', index?: number): string {
  if (row && typeof row === 'object') {
    const value = (row as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return index === undefined ? '(unnamed)' : `(row ${index + 1})`;
}

/** An AppError naming the record: `Social_Routing_Rule__mdt "Sales_Leads": Order__c: ...`. */
export function rowError(type: string, name: string, message: string, cause?: unknown): AppError {
  return new AppError('validation_failed', `${type} "${name}": ${message}`, {
    details: { type, record: name },
    hint: `Fix the ${type} record "${name}" in Setup.`,
    cause,
  });
}

/** A comma separated list: trimmed, blanks dropped. */
export function splitList(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
