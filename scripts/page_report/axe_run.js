// axe-core's violations of the given impacts (all of axe's default rules, or only `rules`):
// rule, impact, help and the offending nodes (target selector, html, failure summary).
async ([impacts, rules]) => {
  const options = {resultTypes: ['violations']};
  if (rules) options.runOnly = rules;
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter(n => impacts.includes(n.impact)).map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' '),
      html: n.html.slice(0, 160), summary: (n.failureSummary || '').slice(0, 300)}))
  })).filter(v => v.nodes.length);
}
