import {
  createPrivateKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  X509Certificate,
} from 'node:crypto';
import { crc32 } from 'node:zlib';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import forge from 'node-forge';

/**
 * How PayPal signs a webhook delivery, and how its verify-webhook-signature API checks one.
 *
 * PayPal signs `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body>` (the
 * CRC32 as an unsigned decimal) with its private key, SHA256withRSA, and names the X.509
 * certificate of the public key in PAYPAL-CERT-URL. The CRC32 is over the exact bytes sent: a
 * listener that re-serializes the event (other key order, other whitespace, `1.0` read back as
 * `1`) asks about different bytes and gets FAILURE — PayPal's maintainers answer every such
 * report with "pass the raw body". This fake checks the same way: it reads `webhook_event` out
 * of the verify request as the raw text the caller sent, not as a parsed object.
 */
export interface SigningIdentity {
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  /** PEM of the self-signed X.509 certificate of the public key (what the cert URL serves). */
  certificatePem: string;
}

export const PAYPAL_AUTH_ALGO = 'SHA256withRSA';

let shared: SigningIdentity | undefined;

/**
 * The identity every fake in this process signs with (PayPal, too, signs every merchant's
 * deliveries with one certificate). Made on first use: an RSA key (node:crypto) and its
 * certificate (node-forge: node:crypto reads certificates but cannot issue one).
 */
export function sharedIdentity(): SigningIdentity {
  shared ??= newIdentity();
  return shared;
}

function newIdentity(): SigningIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }) as string,
  );
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const name = [{ name: 'commonName', value: 'messageverificationcerts.fake.paypal.local' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  cert.sign(forge.pki.privateKeyFromPem(pkcs1), forge.md.sha256.create());
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: forge.pki.certificateToPem(cert),
  };
}

/** The string PayPal signs for one delivery. */
export function signedString(
  transmissionId: string,
  time: string,
  webhookId: string,
  body: Buffer | string,
): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return `${transmissionId}|${time}|${webhookId}|${crc32(bytes) >>> 0}`;
}

export function signDelivery(
  identity: SigningIdentity,
  fields: { transmissionId: string; time: string; webhookId: string; body: string },
): string {
  return createSign('RSA-SHA256')
    .update(signedString(fields.transmissionId, fields.time, fields.webhookId, fields.body))
    .sign(createPrivateKey(identity.privateKeyPem), 'base64');
}

/**
 * The verify-webhook-signature answer for the raw text of a request to it: SUCCESS only when
 * the signature over the ids, the webhook id and the CRC32 of `webhook_event` exactly as the
 * caller wrote it verifies against the certificate at this fake's cert URL.
 */
export function verifyRequest(
  identity: SigningIdentity,
  rawRequest: string,
  certUrl: string,
): 'SUCCESS' | 'FAILURE' {
  const tree = parseTree(rawRequest);
  if (!tree || tree.type !== 'object') return 'FAILURE';
  const field = (name: string): string | undefined => {
    const node = findNodeAtLocation(tree, [name]);
    return node?.type === 'string' ? (node.value as string) : undefined;
  };
  const event = findNodeAtLocation(tree, ['webhook_event']);
  const [id, time, webhookId, sig] = [
    field('transmission_id'),
    field('transmission_time'),
    field('webhook_id'),
    field('transmission_sig'),
  ];
  if (!event || event.type !== 'object' || !id || !time || !webhookId || !sig) return 'FAILURE';
  // PayPal fetches the certificate only from its own hosts; here, only from this fake.
  if (field('auth_algo') !== PAYPAL_AUTH_ALGO || field('cert_url') !== certUrl) return 'FAILURE';
  const raw = rawRequest.slice(event.offset, event.offset + event.length);
  const key = new X509Certificate(identity.certificatePem).publicKey;
  const ok = createVerify('RSA-SHA256')
    .update(signedString(id, time, webhookId, raw))
    .verify(key, sig, 'base64');
  return ok ? 'SUCCESS' : 'FAILURE';
}
