import { defineSearchAttributeKey } from '@temporalio/common';

// Process facts only: Temporal stores search attributes unencrypted, so never a name or address.
export const phaseSearchAttribute = defineSearchAttributeKey('AprilPhase', 'KEYWORD');
export const trackSearchAttribute = defineSearchAttributeKey('AprilTrack', 'KEYWORD');
export const landlordSearchAttribute = defineSearchAttributeKey('AprilLandlord', 'KEYWORD');
export const educatorSearchAttribute = defineSearchAttributeKey('AprilEducator', 'KEYWORD');

export const householdSearchAttributes = [
  phaseSearchAttribute,
  trackSearchAttribute,
  landlordSearchAttribute,
  educatorSearchAttribute,
];
