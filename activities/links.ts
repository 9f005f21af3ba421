/**
 * The product's addresses that mails point to, in one place: the pages (issue 6) may move them,
 * and only this file should have to follow.
 */
export function productLinks(publicUrl: string) {
  return {
    household: (householdId: string) => `${publicUrl}/menages/${householdId}`,
    /** The partner's answer page for one check request (the API behind it: GET /api/partner-checks). */
    partnerCheck: (taskId: string) => `${publicUrl}/partenaires/verifications/${taskId}`,
    task: (taskId: string) => `${publicUrl}/taches/${taskId}`,
    inbox: () => `${publicUrl}/taches`,
    committeeSession: (sessionId: string) => `${publicUrl}/comite/seances/${sessionId}`,
  };
}

export type ProductLinks = ReturnType<typeof productLinks>;
