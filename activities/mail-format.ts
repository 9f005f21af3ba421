/** A day as people in Reims read it (the digest's date, due dates). */
export const frenchDate = (at: Date | string | number): string =>
  new Date(at).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

/** The calendar day in Paris, as YYYY-MM-DD: the digest's key, so that one day means one digest. */
export const parisDay = (at: Date | number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
