import pino from 'pino';

export type Logger = pino.Logger;

// Personal data must not reach the logs, even by accident in a logged object.
const REDACTED = [
  '*.headName', '*.address', '*.phone', '*.email', '*.password', '*.passwordHash',
  'req.headers.authorization', 'req.headers.cookie', '*.household.headName', '*.household.address',
];

export function createLogger(level: string, name = 'april'): Logger {
  return pino({ name, level, redact: { paths: REDACTED, censor: '[masqué]' } });
}
