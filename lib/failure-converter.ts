import { DefaultFailureConverter } from '@temporalio/common';

// Loaded by path (also inside the workflow sandbox): failure messages and stack traces are moved
// into an encoded payload, so the payload codec encrypts them like everything else.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
