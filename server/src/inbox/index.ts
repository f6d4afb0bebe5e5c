/**
 * The social inbox's domain: business hours, priority, routing, reply-time targets, statuses and
 * escalation. Pure: no I/O; the org's rows come in as SOQL returns them and are parsed here.
 */
export * from './business-hours.ts';
export * from './priority.ts';
export * from './keywords.ts';
export * from './routing.ts';
export * from './targets.ts';
export * from './inbox-status.ts';
