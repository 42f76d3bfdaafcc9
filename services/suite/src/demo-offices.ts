// The demo's reward offices (as services/reward's seed makes them), apart from demo-keys so the
// demo OpenID provider's bundle (oidc-main.ts) does not pull in @bfi/http.
export const DEMO_OFFICES = [
  { id: 'minsk-nezavisimosti-10', name: 'MTS office, Minsk, Nezavisimosti Ave 10' },
  { id: 'gomel-sovetskaya-21', name: 'MTS office, Gomel, Sovetskaya St 21' },
] as const;
