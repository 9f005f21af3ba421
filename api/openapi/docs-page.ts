import type { JsonSchema, OpenApiDocument } from './document';

/**
 * The browsable view of the OpenAPI document: one server-rendered HTML page, no script, no
 * external resource (the content security policy forbids both), styled by /api/docs/style.css.
 */
const escape = (text: unknown): string =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!);

/** Inline `code` of the descriptions, the only markdown they use. */
const prose = (text: string): string => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const FORMATS: Record<string, string> = { uuid: 'UUID', date: 'date AAAA-MM-JJ', 'date-time': 'date et heure ISO 8601', email: 'adresse e-mail' };

function typeOf(schema: JsonSchema): string {
  if (typeof schema.format === 'string') return FORMATS[schema.format] ?? schema.format;
  if ('const' in schema) return `« ${String(schema.const)} »`;
  if (schema.oneOf || schema.anyOf) return 'au choix';
  const type = Array.isArray(schema.type) ? schema.type.join(' ou ') : schema.type;
  return ({ string: 'texte', number: 'nombre', integer: 'entier', boolean: 'vrai/faux', object: 'objet', array: 'liste', null: 'null' } as Record<string, string>)[String(type)] ?? String(type ?? 'valeur');
}

function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (Array.isArray(schema.enum)) out.push(`parmi : ${schema.enum.map((v) => `<code>${escape(v)}</code>`).join(', ')}`);
  if (schema.minLength === 1) out.push('non vide');
  else if (typeof schema.minLength === 'number' && schema.minLength > 1) out.push(`${schema.minLength} caractères au moins`);
  if (typeof schema.maxLength === 'number') out.push(`${schema.maxLength} caractères au plus`);
  if (typeof schema.minimum === 'number') out.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === 'number') out.push(`≤ ${schema.maximum}`);
  if (typeof schema.minItems === 'number') out.push(`${schema.minItems} élément(s) au moins`);
  if (typeof schema.maxItems === 'number') out.push(`${schema.maxItems} éléments au plus`);
  // Formats (UUID, date, e-mail) come with long generated patterns: the format says it better.
  if (typeof schema.pattern === 'string' && typeof schema.format !== 'string') out.push(`motif <code>${escape(schema.pattern)}</code>`);
  if ('default' in schema) out.push(`par défaut <code>${escape(JSON.stringify(schema.default))}</code>`);
  if (typeof schema.description === 'string') out.push(prose(schema.description));
  return out;
}

/** A schema as nested lists: each property with its type, whether it is required, its limits. */
export function renderSchema(schema: JsonSchema, depth = 0): string {
  if (depth > 8) return '<p>…</p>';
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) {
    return `<p>L'une des formes suivantes :</p><ol>${variants.map((v) => `<li>${describe(v, depth + 1)}</li>`).join('')}</ol>`;
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const parts: string[] = [];
  if (properties) {
    parts.push(`<ul class="schema">${Object.entries(properties).map(([name, property]) =>
      `<li><code class="name">${escape(name)}</code> ${required.has(name) ? '<span class="required">obligatoire</span>' : '<span class="optional">facultatif</span>'} — ${describe(property, depth + 1)}</li>`,
    ).join('')}</ul>`);
  }
  if (schema.propertyNames && typeof schema.additionalProperties === 'object') {
    parts.push(`<p>Clés ${describe(schema.propertyNames as JsonSchema, depth + 1)} ; valeurs :</p>${renderSchema(schema.additionalProperties as JsonSchema, depth + 1)}`);
  }
  if (schema.additionalProperties === false && properties) parts.push('<p class="note">Aucun autre champ n\'est accepté.</p>');
  return parts.join('');
}

function describe(schema: JsonSchema, depth: number): string {
  const head = `<span class="type">${escape(typeOf(schema))}</span>`;
  const limits = constraints(schema);
  const inline = `${head}${limits.length > 0 ? ` (${limits.join(' ; ')})` : ''}`;
  if (schema.type === 'array' && schema.items) return `${inline} de : ${describe(schema.items as JsonSchema, depth + 1)}`;
  if (schema.properties || schema.oneOf || schema.anyOf || schema.additionalProperties) return `${inline}${renderSchema(schema, depth)}`;
  return inline;
}

interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string }>;
}

const PLACES: Record<string, string> = { path: 'chemin', query: 'requête', header: 'en-tête' };

function renderOperation(method: string, path: string, op: Operation): string {
  const parameters = op.parameters ?? [];
  const body = op.requestBody?.content['application/json']?.schema;
  return `<section class="operation" id="${escape(op.operationId)}">
<h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p class="summary">${escape(op.summary)}</p>
${op.description.split('\n\n').map((p) => `<p>${prose(p)}</p>`).join('\n')}
${parameters.length > 0 ? `<h4>Paramètres</h4><ul class="schema">${parameters.map((p) =>
    `<li><code class="name">${escape(p.name)}</code> (${PLACES[p.in] ?? escape(p.in)}) ${p.required ? '<span class="required">obligatoire</span>' : '<span class="optional">facultatif</span>'} — ${describe(p.schema, 1)}${p.description ? ` — ${prose(p.description)}` : ''}</li>`,
  ).join('')}</ul>` : ''}
${body ? `<h4>Corps de la requête (JSON)</h4>${renderSchema(body)}` : ''}
<h4>Réponses</h4><dl class="responses">${Object.entries(op.responses).map(([status, r]) =>
    `<dt class="status s${escape(status[0])}">${escape(status)}</dt><dd>${prose(r.description)}</dd>`,
  ).join('')}</dl>
</section>`;
}

export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })));
  const sections = document.tags.map(({ name }) => {
    const ofTag = operations.filter(({ op }) => op.tags.includes(name));
    return `<section class="tag" id="${escape(slug(name))}"><h2>${escape(name)}</h2>
<ul class="toc">${ofTag.map(({ path, method, op }) => `<li><a href="#${escape(op.operationId)}"><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> ${escape(path)}</a> — ${escape(op.summary)}</li>`).join('')}</ul>
${ofTag.map(({ path, method, op }) => renderOperation(method, path, op)).join('\n')}</section>`;
  });
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)}</title>
<link rel="stylesheet" href="/api/docs/style.css">
</head>
<body>
<header>
<h1>${escape(document.info.title)}</h1>
<p>Version ${escape(document.info.version)}. ${prose(document.info.description)}</p>
<p>Authentification : un jeton d'accès personnel (<code>Authorization: Bearer april_…</code>), ou le cookie de session posé par <code>POST /api/session</code>, avec l'en-tête <code>X-CSRF-Token</code> pour toute requête qui modifie quelque chose. Document machine : <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<nav><ul>${document.tags.map(({ name }) => `<li><a href="#${escape(slug(name))}">${escape(name)}</a></li>`).join('')}</ul></nav>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

function slug(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export const DOCS_STYLESHEET = `body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.05rem; margin-bottom: .2rem; } h4 { margin: .8rem 0 .3rem; font-size: .95rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .3rem 1rem; list-style: none; padding: 0; }
.operation { border: 1px solid #ddd; border-radius: 6px; padding: .4rem 1rem .8rem; margin: 1rem 0; }
.summary { font-weight: 600; margin-top: 0; }
.method { display: inline-block; min-width: 4.2rem; text-align: center; border-radius: 4px; color: #fff; font: 600 .8rem monospace; padding: .1rem .3rem; }
.method.get { background: #1f6feb; } .method.post { background: #1a7f37; } .method.patch { background: #9a6700; } .method.delete { background: #cf222e; } .method.put { background: #8250df; }
code { background: #f3f3f3; padding: 0 .2rem; border-radius: 3px; }
.required { color: #cf222e; font-size: .85em; } .optional { color: #666; font-size: .85em; } .type { font-style: italic; }
.note { color: #666; font-size: .9em; } ul.schema { padding-left: 1.2rem; } .toc { font-size: .95em; }
dl.responses { display: grid; grid-template-columns: 3.5rem 1fr; gap: .2rem .5rem; } dt.status { font: 600 .9rem monospace; }
dt.s2 { color: #1a7f37; } dt.s4 { color: #9a6700; } dt.s5 { color: #cf222e; }
`;
