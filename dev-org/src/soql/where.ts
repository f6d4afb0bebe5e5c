/**
 * The parser gives WHERE/HAVING as a right-leaning chain with parenthesis counts on its conditions;
 * this rebuilds the boolean tree. SOQL has no AND/OR precedence: mixing them without parentheses is a
 * syntax error, and NOT applies to the condition or parenthesized group that follows it.
 */
import type {
  Condition,
  HavingClause,
  NegationCondition,
  ValueQueryCondition,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { SalesforceError } from '../errors.ts';

export type Atom = Exclude<Condition, NegationCondition> | ValueQueryCondition;

export type BoolExpr =
  { kind: 'atom'; atom: Atom } | { kind: 'not'; expr: BoolExpr } | { kind: 'and' | 'or'; items: BoolExpr[] };

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { atom: Atom };

interface Chain {
  left: unknown;
  operator?: string;
  right?: Chain;
}

function isAtom(value: unknown): value is Atom {
  return typeof value === 'object' && value !== null && ('field' in value || 'fn' in value);
}

function flatten(clause: Chain, out: Token[]): void {
  let node: Chain | undefined = clause;
  while (node) {
    const left = node.left as { openParen?: number; closeParen?: number } | null;
    if (isAtom(left)) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
      out.push({ atom: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
      if (node.operator === 'AND' || node.operator === 'OR') out.push(node.operator);
    } else {
      for (let i = 0; i < (left?.openParen ?? 0); i++) out.push('(');
      if (node.operator === 'NOT') out.push('NOT');
    }
    node = node.right;
  }
}

/** Builds the boolean tree; `syntaxError(token)` makes the MALFORMED_QUERY to throw. */
export function conditionTree(
  clause: WhereClause | HavingClause,
  syntaxError: (token: string) => SalesforceError,
): BoolExpr {
  const tokens: Token[] = [];
  flatten(clause as Chain, tokens);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const parseUnary = (): BoolExpr => {
    const token = tokens[pos++];
    if (token === 'NOT') return { kind: 'not', expr: parseUnary() };
    if (token === '(') {
      const inner = parseExpr();
      if (tokens[pos++] !== ')') throw syntaxError('<EOF>');
      return inner;
    }
    if (token === undefined) throw syntaxError('<EOF>');
    if (typeof token === 'string') throw syntaxError(token);
    return { kind: 'atom', atom: token.atom };
  };

  const parseExpr = (): BoolExpr => {
    const items = [parseUnary()];
    let op: 'AND' | 'OR' | undefined;
    for (let next = peek(); next === 'AND' || next === 'OR'; next = peek()) {
      if (op !== undefined && op !== next) throw syntaxError(next);
      op = next;
      pos++;
      items.push(parseUnary());
    }
    const [first] = items;
    if (op === undefined && first) return first;
    return { kind: op === 'OR' ? 'or' : 'and', items };
  };

  const tree = parseExpr();
  const rest = peek();
  if (rest !== undefined) throw syntaxError(typeof rest === 'string' ? rest : '<EOF>');
  return tree;
}
