import { expect } from 'chai';
import { Mention } from '../../src/domain/mention.ts';
import { MAX_PAYLOAD_CHARS, MAX_PAYLOAD_DEPTH, payloadProblem } from '../../src/domain/payload-bounds.ts';

/** `{"a":{"a":…}}`, `levels` objects deep, built without recursion. */
export function nested(levels: number): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  let current = top;
  for (let i = 1; i < levels; i++) {
    const next: Record<string, unknown> = {};
    current['a'] = next;
    current = next;
  }
  return top;
}

describe('payload bounds (what a mention keeps as raw)', () => {
  it('accepts ordinary payloads up to the depth and size limits', () => {
    expect(payloadProblem({ tweet: { user: { entities: { url: [{ a: 1 }] } } } })).to.equal(null);
    expect(payloadProblem(nested(MAX_PAYLOAD_DEPTH))).to.equal(null);
    expect(payloadProblem('x'.repeat(MAX_PAYLOAD_CHARS - 2))).to.equal(null);
    expect(payloadProblem(undefined)).to.equal(null);
  });

  it('refuses a payload nested deeper than the limit, at any depth, without overflowing the stack', () => {
    expect(payloadProblem(nested(MAX_PAYLOAD_DEPTH + 1))?.kind).to.equal('too_deep');
    const deep = payloadProblem(nested(200_000));
    expect(deep?.kind).to.equal('too_deep');
    expect(deep?.message).to.include(`${MAX_PAYLOAD_DEPTH} levels`);
    const arrays: unknown[] = [];
    let current = arrays;
    for (let i = 0; i < 10_000; i++) {
      const next: unknown[] = [];
      current.push(next);
      current = next;
    }
    expect(payloadProblem(arrays)?.kind).to.equal('too_deep');
  });

  it('refuses a payload larger than Raw_Payload__c, and one that is not JSON', () => {
    const large = payloadProblem({ text: 'x'.repeat(MAX_PAYLOAD_CHARS) });
    expect(large?.kind).to.equal('too_large');
    expect(large?.message).to.include('Raw_Payload__c');
    expect(payloadProblem(Array.from({ length: MAX_PAYLOAD_CHARS + 1 }, () => 0))?.kind).to.equal(
      'too_large',
    );
    expect(payloadProblem({ n: 10n })?.kind).to.equal('not_json');
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(payloadProblem(cycle)?.kind).to.equal('too_deep');
  });

  it('is part of every Mention: a too deep raw never reaches the queue', () => {
    const result = Mention.safeParse({
      network: 'x',
      id: '1',
      author: { id: '42', handle: 'ann' },
      text: 'hi',
      createdAt: '2025-01-02T03:04:05.000Z',
      raw: nested(5000),
    });
    expect(result.success).to.equal(false);
    expect(result.error!.issues[0]).to.deep.include({ path: ['raw'] });
    expect((result.error!.issues[0] as { params?: { kind?: string } }).params?.kind).to.equal('too_deep');
  });
});
