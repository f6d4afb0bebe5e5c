/**
 * Meta's subscription handshake: on setup Meta calls
 * `GET <callback>?hub.mode=subscribe&hub.verify_token=<ours>&hub.challenge=<n>` and expects the challenge
 * echoed back as the whole body. A wrong token must be refused, or anyone could subscribe us.
 */
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Returns the challenge to echo; throws `bad_request` for a malformed request and `forbidden` for a wrong token. */
export function answerHubChallenge(query: Record<string, unknown>, verifyToken: string): string {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof challenge !== 'string' || challenge === '') {
    throw new AppError('bad_request', 'Expected hub.mode=subscribe with hub.challenge and hub.verify_token', {
      hint: 'Meta calls GET /webhooks/meta?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… on setup.',
    });
  }
  if (typeof token !== 'string' || !sameSecret(token, verifyToken)) {
    throw new AppError('forbidden', 'hub.verify_token does not match', {
      hint: 'Enter the value of META_VERIFY_TOKEN as the "Verify token" in the Meta app webhook settings.',
    });
  }
  return challenge;
}
