/**
 * How much of a network's payload the server keeps with each mention (`raw`, the audit copy that becomes
 * `Raw_Payload__c`). A webhook or stream delivers whatever the sender wrote: JSON.parse takes any depth,
 * but JSON.stringify (the queue, the CRM write) and every recursive walk overflow the stack at a few
 * thousand levels, so one deeply nested item would fail its whole delivery on every retry. An item beyond
 * these bounds is rejected on its own, with the reason, before anything stores it.
 */

/** Deeper than any real post (a quoted retweet with media is about 10 levels). */
export const MAX_PAYLOAD_DEPTH = 64;
/** The length of `Social_Post__c.Raw_Payload__c` (a long text area): the org refuses anything longer. */
export const MAX_PAYLOAD_CHARS = 131_072;

export type PayloadProblemKind = 'too_deep' | 'too_large' | 'not_json';

export interface PayloadProblem {
  kind: PayloadProblemKind;
  message: string;
}

export interface PayloadLimits {
  maxDepth: number;
  maxChars: number;
}

const DEFAULT_LIMITS: PayloadLimits = { maxDepth: MAX_PAYLOAD_DEPTH, maxChars: MAX_PAYLOAD_CHARS };

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Why `value` cannot be kept as a mention's payload, or null when it can. The walk is iterative, so it is
 * safe at any depth, and stops at the first bound crossed: it costs at most `maxChars` steps.
 */
export function payloadProblem(
  value: unknown,
  limits: PayloadLimits = DEFAULT_LIMITS,
): PayloadProblem | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let visited = 0;
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    // Every JSON value is at least one character: more values than characters allowed is too large.
    if (++visited > limits.maxChars) return tooLarge(limits, `more than ${limits.maxChars} values`);
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limits.maxDepth) {
      return {
        kind: 'too_deep',
        message: `nested more than ${limits.maxDepth} levels deep (at most ${limits.maxDepth})`,
      };
    }
    // Class instances (dates, byte arrays) serialize as themselves; only plain data is walked.
    const children = Array.isArray(current) ? current : isPlainObject(current) ? Object.values(current) : [];
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    return {
      kind: 'not_json',
      message: `cannot be kept as JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (text !== undefined && text.length > limits.maxChars) {
    return tooLarge(limits, `${text.length} characters as JSON`);
  }
  return null;
}

function tooLarge(limits: PayloadLimits, what: string): PayloadProblem {
  return {
    kind: 'too_large',
    message: `${what} (at most ${limits.maxChars}, the size of Raw_Payload__c)`,
  };
}
