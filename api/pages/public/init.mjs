// Progressive enhancement only: every page works without it. Loaded as a file (the CSP forbids
// inline scripts): marks the page as scripted, then lets govuk-frontend enhance its components.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
