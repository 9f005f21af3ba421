import { z } from 'zod';

// People read validation messages (operators at start-up, users of the API): zod speaks French,
// and a missing field is said plainly rather than as "undefined received". Imported for its effect.
z.config(z.locales.fr());
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'champ obligatoire' : undefined),
});

export { z };
