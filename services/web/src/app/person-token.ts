// The web's side of person tokens: it signs, for each call made as a signed-in person, a JWT
// the called service verifies (@bfi/http person-token.ts) — ES256, 5 minutes, one audience.
// The public half is published as a JWKS at /.well-known/person-keys.json.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWK } from 'jose';
import type { Person } from './people';

export const PERSON_TOKEN_TTL_SECONDS = 300;

export class PersonTokenSigner {
  private readonly privateKey: KeyObject;
  readonly kid: string;

  constructor(
    keyText: string,
    readonly issuer: string,
  ) {
    const text = keyText.trim();
    this.privateKey = text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JWK & { kty: string }, format: 'jwk' })
      : createPrivateKey(text);
    const spki = createPublicKey(this.privateKey).export({ type: 'spki', format: 'der' });
    this.kid = createHash('sha256').update(spki).digest('base64url').slice(0, 16);
  }

  /** A token of `person` for `audience` (the service's name), valid for 5 minutes. */
  sign(person: Person, audience: string): Promise<string> {
    return new SignJWT({
      name: person.name,
      role: person.role,
      ...(person.officeId ? { office_id: person.officeId } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setSubject(person.sub)
      .setIssuedAt()
      .setExpirationTime(`${PERSON_TOKEN_TTL_SECONDS}s`)
      .sign(this.privateKey);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(createPublicKey(this.privateKey));
    return { keys: [{ ...jwk, kid: this.kid, alg: 'ES256', use: 'sig' }] };
  }
}
