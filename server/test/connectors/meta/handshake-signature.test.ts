import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { answerHubChallenge } from '../../../src/connectors/meta/handshake.ts';
import { signMetaPayload, verifyMetaSignature } from '../../../src/connectors/meta/signature.ts';
import { AppError } from '../../../src/domain/errors.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return (error as AppError).code;
  }
  return 'none';
}

describe('Meta handshake and signatures', () => {
  describe('answerHubChallenge', () => {
    const query = {
      'hub.mode': 'subscribe',
      'hub.verify_token': 'dev-meta-verify',
      'hub.challenge': '1158201444',
    };

    it('returns the challenge when the verify token matches', () => {
      expect(answerHubChallenge(query, 'dev-meta-verify')).to.equal('1158201444');
    });

    it('refuses a wrong or missing verify token (forbidden)', () => {
      expect(codeOf(() => answerHubChallenge(query, 'other'))).to.equal('forbidden');
      expect(
        codeOf(() => answerHubChallenge({ ...query, 'hub.verify_token': undefined }, 'dev-meta-verify')),
      ).to.equal('forbidden');
    });

    it('rejects a request that is not a subscribe handshake (bad_request)', () => {
      expect(
        codeOf(() => answerHubChallenge({ ...query, 'hub.mode': 'unsubscribe' }, 'dev-meta-verify')),
      ).to.equal('bad_request');
      expect(codeOf(() => answerHubChallenge({ ...query, 'hub.challenge': '' }, 'dev-meta-verify'))).to.equal(
        'bad_request',
      );
    });
  });

  describe('verifyMetaSignature', () => {
    const secret = 'dev-meta-secret';
    // As Meta sends it: é escaped as \u00e9, / as \/.
    const escaped = Buffer.from(
      '{"object":"page","entry":[{"message":"Caf\\u00e9 \\ud83d\\ude00 https:\\/\\/x.example"}]}',
    );
    const unescaped = Buffer.from(
      '{"object":"page","entry":[{"message":"Café 😀 https://x.example"}]}',
      'utf8',
    );

    it('signs as hex HMAC-SHA256 with a sha256= prefix', () => {
      const hex = createHmac('sha256', secret).update(escaped).digest('hex');
      expect(signMetaPayload(secret, escaped)).to.equal(`sha256=${hex}`);
    });

    it('verifies the escaped-unicode bytes as received', () => {
      expect(verifyMetaSignature(secret, escaped, signMetaPayload(secret, escaped))).to.equal(true);
      expect(JSON.parse(escaped.toString())).to.deep.equal(JSON.parse(unescaped.toString()));
    });

    it('does not accept the signature of the same JSON in another encoding', () => {
      expect(verifyMetaSignature(secret, unescaped, signMetaPayload(secret, escaped))).to.equal(false);
    });

    it('verifies raw non-ASCII UTF-8 bodies too', () => {
      expect(verifyMetaSignature(secret, unescaped, signMetaPayload(secret, unescaped))).to.equal(true);
    });

    it('accepts upper-case hex, and rejects wrong secret, tampering, missing header and wrong length', () => {
      const good = signMetaPayload(secret, escaped);
      expect(verifyMetaSignature(secret, escaped, `sha256=${good.slice(7).toUpperCase()}`)).to.equal(true);
      expect(verifyMetaSignature(secret, escaped, signMetaPayload('other', escaped))).to.equal(false);
      expect(verifyMetaSignature(secret, Buffer.from(`${escaped.toString()} `), good)).to.equal(false);
      expect(verifyMetaSignature(secret, escaped, undefined)).to.equal(false);
      expect(verifyMetaSignature(secret, escaped, good.slice(0, -2))).to.equal(false);
      expect(verifyMetaSignature(secret, escaped, `sha1=${good.slice(7)}`)).to.equal(false);
    });
  });
});
