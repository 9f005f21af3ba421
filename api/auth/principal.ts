import type { Role } from '../../generated/prisma/client';

/** Who is making the request: a signed-in person (session cookie) or an integration (API token). */
export interface Principal {
  id: string;
  role: Role;
  email: string;
  displayName: string;
  /** Set for landlord agents: the only landlord whose households they see. */
  landlordId: string | null;
  /** Set for partner workers: the only organisation whose checks and handoffs they see. */
  partnerOrganisationId: string | null;
}

export interface Authentication {
  kind: 'session' | 'token';
  /** Session id (hash of the cookie) or API token id. */
  id: string;
  /** For sessions: the synchroniser token every unsafe request must echo. */
  csrfToken?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    authentication?: Authentication;
  }
}
