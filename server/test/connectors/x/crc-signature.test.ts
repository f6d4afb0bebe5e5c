import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { crcResponse } from '../../../src/connectors/x/crc.ts';
import { signXPayload, verifyXSignature } from '../../../src/connectors/x/signature.ts';

describe('X CRC and signatures', () => {
  describe('crcResponse', () => {
    it('answers sha256= + base64 HMAC-SHA256(consumer secret, crc_token)', () => {
      const expected = createHmac('sha256', 'dev-x-secret').update('challenge-123').digest('base64');
      expect(crcResponse('dev-x-secret', 'challenge-123')).to.deep.equal({
        response_token: `sha256=${expected}`,
      });
    });

    it('matches the example in X documentation form (44 base64 characters)', () => {
      const { response_token } = crcResponse('secret', 'token');
      expect(response_token).to.match(/^sha256=[A-Za-z0-9+/]{43}=$/);
      expect(crcResponse('other', 'token').response_token).to.not.equal(response_token);
    });
  });

  describe('verifyXSignature', () => {
    const secret = 'dev-x-secret';
    const body = Buffer.from('{"for_user_id":"1","tweet_create_events":[]}');

    it('accepts the signature of the exact body', () => {
      expect(verifyXSignature(secret, body, signXPayload(secret, body))).to.equal(true);
    });

    it('rejects a tampered body', () => {
      const tampered = Buffer.from(body.toString().replace('"1"', '"2"'));
      expect(verifyXSignature(secret, tampered, signXPayload(secret, body))).to.equal(false);
    });

    it('rejects a signature made with another secret', () => {
      expect(verifyXSignature(secret, body, signXPayload('not-the-secret', body))).to.equal(false);
    });

    it('rejects a missing header, a header without the sha256= prefix, and one of the wrong length', () => {
      const good = signXPayload(secret, body);
      expect(verifyXSignature(secret, body, undefined)).to.equal(false);
      expect(verifyXSignature(secret, body, good.slice('sha256='.length))).to.equal(false);
      expect(verifyXSignature(secret, body, `${good}AA`)).to.equal(false);
      expect(verifyXSignature(secret, body, good.slice(0, -4))).to.equal(false);
      expect(verifyXSignature(secret, body, '')).to.equal(false);
    });

    it('is computed over bytes, not characters: non-ASCII bodies verify', () => {
      const utf8 = Buffer.from('{"text":"Café ☕ 👍"}', 'utf8');
      expect(verifyXSignature(secret, utf8, signXPayload(secret, utf8))).to.equal(true);
      expect(
        verifyXSignature(secret, utf8, signXPayload(secret, Buffer.from(utf8.toString('latin1')))),
      ).to.equal(false);
    });
  });
});
