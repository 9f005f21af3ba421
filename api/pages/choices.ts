import {
  CONTACT_CHANNELS, CONTACT_OUTCOMES, MAINSTREAM_SCHEMES, OUTCOMES, PARTNER_ANSWERS, PROCEDURE_EVENT_TYPES, REJECT_REASONS,
  SUPPORT_DOMAINS, SUPPORT_STATUSES, TIME_SLOTS, TRACKS,
} from '../../domain/household/vocabulary';

/** The process's code lists, for the templates that draw choices themselves (the committee's batch page). */
export const CHOICES = {
  partnerAnswers: PARTNER_ANSWERS, tracks: TRACKS, schemes: MAINSTREAM_SCHEMES, rejectReasons: REJECT_REASONS,
  slots: TIME_SLOTS, channels: CONTACT_CHANNELS, contactOutcomes: CONTACT_OUTCOMES, procedureTypes: PROCEDURE_EVENT_TYPES,
  outcomes: OUTCOMES, domains: SUPPORT_DOMAINS, supportStatuses: SUPPORT_STATUSES,
};
