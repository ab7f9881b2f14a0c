"""The cross-contributor report and its focused views, as terminal text, Markdown, HTML, JSON and CSV tables.

Every count shown comes with the quotes behind it; a quote is cited as ``paper-id:start-end`` (character
offsets into the paper's text), the address ``policykg explain`` and the graph's evidence nodes use.
All document text is escaped in HTML.
"""
from __future__ import annotations

import html as html_lib
import json
from collections.abc import Sequence

from ..model import Analysis, Evidence, GraphFacts, ThemeInfo
from .tabular import render

__all__ = ["render", "tables", "markdown", "html", "terminal", "as_json", "theme_table", "recommendation_table",
           "policy_table", "find_theme", "UnknownName"]

# Heat-map shades, from no attention to the heaviest; a reader sees the pattern without reading numbers.
SHADES = (" ", "░", "▒", "▓", "█")
QUOTE_LIMIT = 240
REPORT_POLICIES = 25  # the report lists the most cited; the policies table and view list all

Table = tuple[list[str], list[list[object]]]


class UnknownName(LookupError):
    """A theme, company or policy name that matches nothing; the message lists what exists."""


def cite(evidence: Evidence | None) -> str:
    return "" if evidence is None else f"{evidence.paper_id}:{evidence.start}-{evidence.end}"


def _quote(evidence: Evidence | None, limit: int = QUOTE_LIMIT) -> str:
    if evidence is None:
        return ""
    text = " ".join(evidence.quote.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shade(weight: float, top: float) -> str:
    if weight <= 0 or top <= 0:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + int((len(SHADES) - 2) * weight / top + 0.5))]


def find_theme(facts: GraphFacts, name: str) -> ThemeInfo:
    """A theme by code ("T02") or by (part of) its label or an alternative label, case-insensitively."""
    wanted = name.strip().lower()
    for theme in facts.themes:
        if theme.code.lower() == wanted:
            return theme
    matches = [t for t in facts.themes if any(wanted in label.lower() for label in (t.label, *t.alt_labels))]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(f"{t.code} {t.label}" for t in (matches or facts.themes))
    raise UnknownName(f"{'ambiguous' if matches else 'no'} theme {name!r}; themes: {known}")


# ------------------------------------------------------------------------------------------- tables


def recurrence_table(analysis: Analysis) -> Table:
    columns = ["rank", "theme", "label", "contributors", "central", "weight", "who", "quote", "evidence"]
    rows = [
        [rank, r.theme, r.label, len(r.contributors), len(r.central_contributors), round(r.weight, 1),
         "; ".join(r.contributors), _quote(r.evidence[0] if r.evidence else None), cite(r.evidence[0] if r.evidence else None)]
        for rank, r in enumerate(analysis.recurrence, 1)
    ]
    return columns, rows


def theme_table(facts: GraphFacts, analysis: Analysis, theme: str | None = None) -> Table:
    """All themes ranked by contributors, or one theme's contributors with their weight and strongest quote."""
    if theme is None:
        return recurrence_table(analysis)
    info = find_theme(facts, theme)
    columns = ["theme", "contributor", "paper", "weight", "central", "quote", "evidence"]
    rows = []
    for row in sorted(facts.paper_themes, key=lambda r: (-r.weight, r.contributor or "", r.paper_id)):
        if row.theme == info.code:
            first = row.evidence[0] if row.evidence else None
            rows.append([info.code, row.contributor or "", row.paper_id, round(row.weight, 1),
                         "yes" if row.central else "no", _quote(first), cite(first)])
    return columns, rows


def _matches_company(name: str | None, wanted: str) -> bool:
    return bool(name) and wanted.lower() in name.lower()


def recommendation_table(facts: GraphFacts, *, theme: str | None = None, company: str | None = None) -> Table:
    """Recommendations, optionally of one theme and/or one contributor, each with its quote."""
    code = find_theme(facts, theme).code if theme else None
    if company and not any(_matches_company(p.contributor, company) for p in facts.papers):
        known = ", ".join(sorted({p.contributor for p in facts.papers if p.contributor}))
        raise UnknownName(f"no contributor matches {company!r}; contributors: {known}")
    columns = ["contributor", "paper", "themes", "recommendation", "evidence"]
    rows = [
        [s.contributor or "", s.paper_id, " ".join(s.themes), " ".join(s.text.split()), cite(s.evidence)]
        for s in facts.statements
        if s.kind == "Recommendation" and (code is None or code in s.themes)
        and (company is None or _matches_company(s.contributor, company))
    ]
    return columns, sorted(rows, key=lambda r: (str(r[0]), str(r[1]), str(r[4])))


def policy_table(analysis: Analysis, policy: str | None = None) -> Table:
    """Policies by how many contributors cite them: who, what they target, centrality, a quote."""
    chosen = analysis.policies
    if policy is not None:
        chosen = [p for p in chosen if policy.lower() in p.label.lower()]
        if not chosen:
            known = ", ".join(p.label for p in analysis.policies[:30])
            raise UnknownName(f"no cited policy matches {policy!r}; policies: {known}")
    columns = ["policy", "cited by", "contributors", "targets", "centrality", "quote", "evidence"]
    rows = []
    for p in chosen:
        quotes = p.evidence if policy is not None else p.evidence[:1]
        for i, quote in enumerate(quotes or (None,)):
            head = [p.label, len(p.cited_by), "; ".join(p.cited_by), "; ".join(p.targets), p.centrality] if i == 0 else ["", "", "", "", ""]
            rows.append([*head, _quote(quote), cite(quote)])
    return columns, rows


def heat_table(facts: GraphFacts, analysis: Analysis) -> Table:
    """Contributor × theme, shaded by weight relative to the contributor's own strongest theme."""
    codes = [t.code for t in facts.themes if any(r.theme == t.code for r in analysis.recurrence)]
    rows = []
    for name in analysis.contributors:
        top = max((analysis.heat.get((name, c), 0.0) for c in codes), default=0.0)
        rows.append([name, *(_shade(analysis.heat.get((name, c), 0.0), top) for c in codes)])
    return ["contributor", *codes], rows


def tables(facts: GraphFacts, analysis: Analysis) -> dict[str, Table]:
    """Every analysis result as a table, for CSV files under ``output/tables``."""
    out: dict[str, Table] = {"theme_recurrence": recurrence_table(analysis)}
    codes = [t.code for t in facts.themes]
    out["contributor_themes"] = (
        ["contributor", *codes],
        [[name, *(round(analysis.heat.get((name, c), 0.0), 1) for c in codes)] for name in analysis.contributors],
    )
    out["paper_themes"] = (
        ["paper", "contributor", "theme", "weight", "central", "sentences_cited", "first_evidence"],
        [[r.paper_id, r.contributor or "", r.theme, round(r.weight, 1), r.central, len(r.evidence),
          cite(r.evidence[0] if r.evidence else None)] for r in facts.paper_themes],
    )
    out["contributor_similarity"] = (
        ["contributor_a", "contributor_b", "score", "shared_themes"],
        [[s.a, s.b, s.score, " ".join(s.shared)] for s in analysis.similarities],
    )
    out["contributor_clusters"] = (
        ["cluster", "members"], [[i, "; ".join(m)] for i, m in enumerate(analysis.clusters, 1)]
    )
    out["consensus_recommendations"] = (
        ["group", "shared_words", "contributors", "contributor", "recommendation", "evidence"],
        [[g.key, g.label, len(g.contributors), s.contributor or "", " ".join(s.text.split()), cite(s.evidence)]
         for g in analysis.consensus for s in g.statements],
    )
    out["single_contributor_asks"] = (
        ["contributor", "recommendation", "evidence"],
        [[s.contributor or "", " ".join(s.text.split()), cite(s.evidence)] for s in analysis.single_asks],
    )
    out["policies"] = policy_table(analysis)
    out["emerging_themes"] = (
        ["phrase", "contributors", "who", "quote", "evidence"],
        [[e.label, len(e.contributors), "; ".join(e.contributors), _quote(e.evidence[0] if e.evidence else None),
          cite(e.evidence[0] if e.evidence else None)] for e in analysis.emerging],
    )
    if analysis.volume_shares:
        out["volume_theme_shares"] = (
            ["volume", "theme", "share_of_papers"], [[v, t, s] for (v, t), s in sorted(analysis.volume_shares.items())]
        )
    return out


# ------------------------------------------------------------------------------------------- profiles


def profiles(facts: GraphFacts, analysis: Analysis) -> list[dict[str, object]]:
    """One short profile per contributor: themes, recommendations, commitments, policies cited, presence."""
    labels = {t.code: t.label for t in facts.themes}
    out = []
    for name in analysis.contributors:
        themes = sorted(((c, w) for (n, c), w in analysis.heat.items() if n == name), key=lambda x: (-x[1], x[0]))
        asks = [s for s in facts.statements if s.contributor == name and s.kind == "Recommendation"]
        offers = [s for s in facts.statements if s.contributor == name and s.kind == "Commitment"]
        cited = sorted({c.label for c in facts.citations if c.contributor == name and c.kind == "Policy"})
        presence = sorted({l.object_label for l in facts.links if l.predicate == "operatesIn" and l.subject_label == name})
        out.append({
            "contributor": name,
            "papers": [p.id for p in facts.papers if p.contributor == name],
            "themes": [{"theme": c, "label": labels.get(c, c), "weight": round(w, 1)} for c, w in themes],
            "recommendations": [{"text": " ".join(s.text.split()), "evidence": cite(s.evidence)} for s in asks],
            "commitments": [{"text": " ".join(s.text.split()), "evidence": cite(s.evidence)} for s in offers],
            "policies_cited": cited,
            "presence": presence,
        })
    return out


# ------------------------------------------------------------------------------------------- documents


def _summary(facts: GraphFacts, analysis: Analysis) -> list[tuple[str, object]]:
    return [
        ("papers", len(facts.papers)),
        ("contributors", len(analysis.contributors)),
        ("themes raised", len(analysis.recurrence)),
        ("theme assignments", len(facts.paper_themes)),
        ("recommendations", sum(1 for s in facts.statements if s.kind == "Recommendation")),
        ("consensus groups", len(analysis.consensus)),
        ("policies cited", len(analysis.policies)),
        ("candidate themes", len(analysis.emerging)),
    ]


def _head(table: Table, limit: int) -> Table:
    return table[0], table[1][:limit]


def _sections(facts: GraphFacts, analysis: Analysis) -> list[tuple[str, Table]]:
    sections = [
        ("Top recurring themes", recurrence_table(analysis)),
        ("Contributor × theme heat map", heat_table(facts, analysis)),
        ("Consensus recommendations", tables(facts, analysis)["consensus_recommendations"]),
        (f"Policies cited (the {REPORT_POLICIES} most cited; all in tables/policies.csv)", _head(policy_table(analysis), REPORT_POLICIES)),
        ("Contributor clusters (Louvain, shared themes)", tables(facts, analysis)["contributor_clusters"]),
        ("Candidate themes (recurring key phrases outside the scheme)", tables(facts, analysis)["emerging_themes"]),
    ]
    if analysis.volume_shares:
        sections.append(("Theme shares by volume", tables(facts, analysis)["volume_theme_shares"]))
    return sections


def terminal(facts: GraphFacts, analysis: Analysis, *, width: int = 60) -> str:
    """Aligned text tables for a terminal."""
    out = [render(["measure", "count"], _summary(facts, analysis), "table")]
    for title, (columns, rows) in _sections(facts, analysis):
        out.append(f"\n{title}\n{'=' * len(title)}\n")
        out.append(render(columns, rows, "table", max_width=width) if rows else "(none)\n")
    return "".join(out)


def _md_cell(value: object) -> str:
    return " ".join(str("" if value is None else value).split()).replace("|", "\\|")


def _md_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    if not rows:
        return "(none)\n"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def markdown(facts: GraphFacts, analysis: Analysis) -> str:
    out = ["# Which themes recur across contributors\n\n", _md_table(["measure", "count"], _summary(facts, analysis))]
    out.append("\nEvidence is cited as `paper:start-end`, character offsets into the paper's text.\n")
    for title, (columns, rows) in _sections(facts, analysis):
        out.append(f"\n## {title}\n\n")
        out.append(_md_table(columns, rows))
    out.append("\n## Contributor profiles\n")
    for profile in profiles(facts, analysis):
        out.append(f"\n### {_md_cell(profile['contributor'])}\n\n")
        themes = ", ".join(f"{t['theme']} {t['label']} ({t['weight']})" for t in profile["themes"][:6])  # type: ignore[index]
        out.append(f"- papers: {', '.join(profile['papers'])}\n- themes: {_md_cell(themes) or '—'}\n")  # type: ignore[arg-type]
        out.append(f"- policies cited: {_md_cell(', '.join(profile['policies_cited'])) or '—'}\n")  # type: ignore[arg-type]
        out.append(f"- presence: {_md_cell(', '.join(profile['presence'])) or '—'}\n")  # type: ignore[arg-type]
        for kind in ("recommendations", "commitments"):
            items = profile[kind]
            out.append(f"- {kind} ({len(items)}):\n")  # type: ignore[arg-type]
            for item in items[:5]:  # type: ignore[index]
                out.append(f"  - “{_md_cell(item['text'])}” (`{item['evidence']}`)\n")
    return "".join(out)


def _h(value: object) -> str:
    return html_lib.escape(" ".join(str("" if value is None else value).split()), quote=True)


def _html_table(columns: Sequence[str], rows: Sequence[Sequence[object]], *, heat: bool = False) -> str:
    if not rows:
        return "<p>(none)</p>\n"
    head = "".join(f"<th>{_h(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if heat and i > 0:
                level = SHADES.index(value) if value in SHADES else 0
                cells.append(f'<td class="h{level}" title="{_h(columns[i])}">{_h(value) if level else ""}</td>')
            else:
                cells.append(f"<td>{_h(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n"


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:90em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;font-size:.9em}th{background:#f3f3f3}
td.h0{background:#fff}td.h1{background:#dbe9f6}td.h2{background:#9ecae1}td.h3{background:#4292c6;color:#fff}
td.h4{background:#08519c;color:#fff}"""


def html(facts: GraphFacts, analysis: Analysis) -> str:
    """A standalone HTML page; every piece of document text is escaped."""
    out = ["<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>policykg report</title>",
           f"<style>{_STYLE}</style></head><body>\n<h1>Which themes recur across contributors</h1>\n",
           _html_table(["measure", "count"], _summary(facts, analysis)),
           "<p>Evidence is cited as <code>paper:start-end</code>, character offsets into the paper's text.</p>\n"]
    for title, (columns, rows) in _sections(facts, analysis):
        out.append(f"<h2>{_h(title)}</h2>\n")
        out.append(_html_table(columns, rows, heat=title.startswith("Contributor ×")))
    out.append("<h2>Contributor profiles</h2>\n")
    for profile in profiles(facts, analysis):
        out.append(f"<h3>{_h(profile['contributor'])}</h3>\n<ul>")
        themes = ", ".join(f"{t['theme']} {t['label']} ({t['weight']})" for t in profile["themes"][:6])  # type: ignore[index]
        out.append(f"<li>themes: {_h(themes) or '—'}</li>")
        out.append(f"<li>policies cited: {_h(', '.join(profile['policies_cited'])) or '—'}</li>")  # type: ignore[arg-type]
        out.append(f"<li>presence: {_h(', '.join(profile['presence'])) or '—'}</li>")  # type: ignore[arg-type]
        for kind in ("recommendations", "commitments"):
            items = profile[kind]
            out.append(f"<li>{kind} ({len(items)})<ul>")  # type: ignore[arg-type]
            out.extend(f"<li>“{_h(i['text'])}” <code>{_h(i['evidence'])}</code></li>" for i in items[:5])  # type: ignore[index]
            out.append("</ul></li>")
        out.append("</ul>\n")
    out.append("</body></html>\n")
    return "".join(out)


def as_json(facts: GraphFacts, analysis: Analysis) -> str:
    """The report's content as JSON: the same numbers, each with its evidence."""

    def quotes(evidence: Sequence[Evidence]) -> list[dict[str, object]]:
        return [{"evidence": cite(e), "quote": e.quote} for e in evidence]

    data = {
        "summary": dict(_summary(facts, analysis)),
        "themes": [
            {"theme": r.theme, "label": r.label, "contributors": list(r.contributors),
             "central_contributors": list(r.central_contributors), "weight": round(r.weight, 1), "quotes": quotes(r.evidence)}
            for r in analysis.recurrence
        ],
        "heat": {name: {c: round(w, 1) for (n, c), w in sorted(analysis.heat.items()) if n == name} for name in analysis.contributors},
        "clusters": [list(c) for c in analysis.clusters],
        "similarities": [{"a": s.a, "b": s.b, "score": s.score, "shared": list(s.shared)} for s in analysis.similarities],
        "consensus": [
            {"group": g.key, "shared_words": g.label, "contributors": list(g.contributors),
             "asks": [{"contributor": s.contributor, "text": s.text, "evidence": cite(s.evidence)} for s in g.statements]}
            for g in analysis.consensus
        ],
        "single_contributor_asks": len(analysis.single_asks),
        "policies": [
            {"policy": p.label, "iri": p.iri, "cited_by": list(p.cited_by), "targets": list(p.targets),
             "centrality": p.centrality, "quotes": quotes(p.evidence)}
            for p in analysis.policies
        ],
        "candidate_themes": [
            {"phrase": e.label, "contributors": list(e.contributors), "quotes": quotes(e.evidence)} for e in analysis.emerging
        ],
        "volume_theme_shares": [{"volume": v, "theme": t, "share": s} for (v, t), s in sorted(analysis.volume_shares.items())],
        "profiles": profiles(facts, analysis),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

