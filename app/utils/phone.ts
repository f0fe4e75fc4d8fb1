// Mainland mobile numbers, the way people sign in and the way rosters list them.

/** A mainland mobile number (the only kind people sign in with). */
export const MOBILE = /^1[3-9]\d{9}$/;

/** A phone number as typed: full-width digits folded (NFKC), spaces, dashes and brackets dropped, a +86 / 0086 prefix dropped. */
export function normalisePhone(raw: string): string {
  let p = raw
    .normalize("NFKC")
    .trim()
    .replace(/[\s\-–—()（）]/g, "");
  if (/^(\+?86|0086)1\d{10}$/.test(p)) p = p.slice(p.length - 11);
  return p;
}
