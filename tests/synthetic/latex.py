"""A `ReportSpec` as a LaTeX document (babel swedish, itemize, tabular/longtable), printed by pdfTeX.

LaTeX reports put a bare page number at the foot of each page (\\pagestyle{plain}) and nothing else,
draw itemize bullets from a maths font, hyphenate Swedish by babel's patterns and never break a line
after "/" unless told to.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.synthetic.seedtext import HEADING, PARAGRAPH, TABLE, TABLE1, TABLE2, Block, with_lists
from tests.synthetic.spec import SUMMARY_ONLY, ReportSpec, percent_of, swedish_number

CLASSES = ("article", "report")
FONTS = {"palatino": r"\usepackage{mathpazo}", "times": r"\usepackage{mathptmx}",
         "helvet": "\\usepackage[scaled]{helvet}\n\\renewcommand{\\familydefault}{\\sfdefault}",
         "charter": r"\usepackage{charter}"}
LATEX_TIMEOUT = 120


@dataclass(frozen=True)
class TexStyle:
    """How one LaTeX style sets a report (validated)."""

    name: str
    document_class: str  # "article" or "report"
    font: str  # a key of FONTS
    size: str  # "10pt", "11pt", "12pt"
    dash_items: bool = False  # itemize labelled "–" instead of the bullet
    booktabs: bool = True  # booktabs rules; otherwise \hline grids
    two_column_findings: bool = False
    to_unicode: bool = True  # \pdfgentounicode=1 (a ToUnicode map for every font)

    def __post_init__(self):
        if self.document_class not in CLASSES:
            raise ValueError(f"document_class={self.document_class!r}: choose one of {', '.join(CLASSES)}")
        if self.font not in FONTS:
            raise ValueError(f"font={self.font!r}: choose one of {', '.join(FONTS)}")
        if self.size not in ("10pt", "11pt", "12pt"):
            raise ValueError(f"size={self.size!r}: choose 10pt, 11pt or 12pt")


TEX_STYLES: dict[str, TexStyle] = {s.name: s for s in (
    TexStyle("tex-article", "article", "palatino", "11pt"),
    TexStyle("tex-report-times", "report", "times", "12pt", booktabs=False, to_unicode=False),
    TexStyle("tex-helvet-dash", "article", "helvet", "10pt", dash_items=True, two_column_findings=True),
    TexStyle("tex-charter", "report", "charter", "11pt", booktabs=False),
)}

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_SPECIAL_RE = re.compile(r"[\\&%$#_{}~^]")


def tex(text: str) -> str:
    """Text escaped for LaTeX."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)


def _preamble(spec: ReportSpec, style: TexStyle) -> str:
    toc = "\\pdfgentounicode=1\n\\input{glyphtounicode}\n" if style.to_unicode else ""
    label = "\\renewcommand{\\labelitemi}{--}\n" if style.dash_items else ""
    return (f"\\documentclass[a4paper,{style.size}]{{{style.document_class}}}\n"
            "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage[swedish]{babel}\n"
            f"{FONTS[style.font]}\n\\usepackage[margin=25mm]{{geometry}}\n\\usepackage{{array,longtable,booktabs}}\n"
            "\\usepackage{textcomp}\n\\DeclareUnicodeCharacter{2212}{\\textminus}\n"
            "\\DeclareUnicodeCharacter{2009}{\\,}\\DeclareUnicodeCharacter{00A0}{~}\n"
            f"{toc}{label}\\pagestyle{{plain}}\n\\setlength{{\\parindent}}{{0pt}}\\setlength{{\\parskip}}{{0.5em}}\n"
            f"\\pdfinfo{{/Title (Kommunkompassen {tex(spec.kommun)} {spec.year}) /Author (Sveriges Kommuner)}}\n"
            "\\pdfinfoomitdate=1\\pdftrailerid{}\n\\begin{document}\n")


def _rules(style: TexStyle) -> tuple[str, str, str]:
    """(top, middle, bottom) rules of a table."""
    return ("\\toprule", "\\midrule", "\\bottomrule") if style.booktabs else ("\\hline", "\\hline", "\\hline")


def _itemize(items: list[str]) -> str:
    if not items:
        return ""
    return "\\begin{itemize}\n" + "".join(f"\\item {tex(item)}\n" for item in items) + "\\end{itemize}\n"


def area_table_tex(spec: ReportSpec, style: TexStyle) -> str:
    from tests.synthetic.summary_only import area_table

    table = area_table(spec)
    narrow = spec.form == SUMMARY_ONLY
    name_column = "b{3.4cm}" if narrow else "p{7cm}"  # b: the numbers sit on the name's last line
    numbers = "".join(">{\\raggedleft\\arraybackslash}p{2.4cm}" if len(h) > 14 else "r" for h in table.header[1:])
    # a long header wraps in its column, as a word processor would, instead of running off the page
    top, mid, bottom = _rules(style)
    caption = spec.words(spec.wording.area_caption)
    lines = [f"\\textbf{{{tex(caption)}}}\\par\n" if caption else "",
             f"\\begin{{tabular}}{{{name_column}{numbers}}}\n{top}\n",
             " & ".join(f"\\textbf{{{tex(h)}}}" for h in table.header) + f" \\\\\n{mid}\n"]
    lines += [" & ".join(tex(c) for c in row) + " \\\\\n" for row in table.rows]
    lines.append(f"{mid}\n" + " & ".join(tex(c) for c in table.total) + f" \\\\\n{bottom}\n\\end{{tabular}}\\par\n")
    return "".join(lines)


def comparison_tex(spec: ReportSpec, style: TexStyle) -> str:
    count = len(spec.comparisons) + 1
    top, mid, bottom = _rules(style)
    width = f"{max(1.0, 12.5 / count - 0.45):.2f}cm"  # the columns and their padding fit the text width
    header = ["Kriterium", f"{spec.kommun} {spec.year}"] + [f"{c.kommun} {c.year}" for c in spec.comparisons]
    rows = [[str(n), swedish_number(spec.areas[n - 1].score)] + [swedish_number(c.scores[n - 1])
                                                                  for c in spec.comparisons] for n in range(1, 9)]
    total = ["Totalt", swedish_number(spec.total)] + [swedish_number(c.total) for c in spec.comparisons]
    out = [f"\\textbf{{{tex(spec.words(spec.wording.comparison_caption))}}}\\par\n{{\\small\n",
           f"\\begin{{tabular}}{{l*{{{count}}}{{>{{\\raggedright\\arraybackslash}}p{{{width}}}}}}}\n{top}\n",
           " & ".join(f"\\textbf{{{tex(h)}}}" for h in header) + f" \\\\\n{mid}\n"]
    out += [" & ".join(row) + " \\\\\n" for row in rows]
    out.append(f"{mid}\n" + " & ".join(total) + f" \\\\\n{bottom}\n\\end{{tabular}}}}\\par\n")
    return "".join(out)


def blocks_tex(blocks: list[Block], spec: ReportSpec, style: TexStyle) -> str:
    out: list[str] = []
    for block in with_lists(blocks):
        if isinstance(block, list):
            out.append(_itemize(block))
        elif block.kind == HEADING:
            out.append(f"\\subsubsection*{{{tex(block.text)}}}\n")
        elif block.kind == PARAGRAPH and block.text:
            out.append(tex(block.text) + "\n\n")
        elif block.kind == TABLE:
            out.append("\\begin{tabular}{lr}\n" + "".join(" & ".join(tex(c) for c in row) + " \\\\\n"
                                                         for row in block.rows) + "\\end{tabular}\n\n")
        elif block.kind == TABLE1:
            out.append(area_table_tex(spec, style) + "\n")
        elif block.kind == TABLE2 and spec.has_comparison_table and spec.comparisons:
            out.append(comparison_tex(spec, style) + "\n")
    return "".join(out)


def findings_tex(spec: ReportSpec, area, style: TexStyle) -> str:
    w = spec.wording
    heading = f"\\subsection*{{{tex(spec.words(w.findings_heading, number=area.number))}}}\n"
    if style.two_column_findings:
        column = "p{0.46\\textwidth}"
        return (heading + f"\\begin{{longtable}}{{{column}{column}}}\n\\textbf{{{tex(w.strengths)}}} & "
                f"\\textbf{{{tex(w.improvements)}}} \\\\\n"
                f"\\begin{{minipage}}[t]{{\\linewidth}}{_itemize(area.strengths)}\\end{{minipage}} &\n"
                f"\\begin{{minipage}}[t]{{\\linewidth}}{_itemize(area.improvements)}\\end{{minipage}} \\\\\n"
                "\\end{longtable}\n")
    return (heading + f"\\subsubsection*{{{tex(w.strengths)}}}\n" + _itemize(area.strengths)
            + f"\\subsubsection*{{{tex(w.improvements)}}}\n" + _itemize(area.improvements))


def summary_tex(spec: ReportSpec, style: TexStyle) -> str:
    w = spec.wording
    top, mid, bottom = _rules(style)
    out = [f"\\clearpage\n\\section*{{4. {tex(spec.summary_heading)}}}\n\\subsubsection*{{Kommunens resultat per område}}\n"
           "Nedan följer en redovisning av poäng på varje delfråga. Den sammanlagda poängen på varje huvudområde "
           "är 100 möjliga.\n\n"]
    header = " & ".join(f"\\textbf{{{tex(h)}}}" for h in ("Nr", "Delfråga", w.max_header, w.points_header,
                                                          w.percent_header))
    for area in spec.areas:
        out.append(f"\\subsubsection*{{Område {area.number} -- {tex(area.summary_name)}}}\n")
        out.append(f"\\begin{{longtable}}{{lp{{8.4cm}}rrr}}\n{top}\n{header} \\\\\n{mid}\n\\endhead\n")
        for q in area.questions:
            out.append(f"{q.id} & {tex(q.text)} & {q.max_points} & {swedish_number(q.points)} & "
                       f"{q.percent}\\,\\% \\\\\n")
        out.append(f"{mid}\n & {tex(w.sum_label)} & 100 & {swedish_number(area.score)} & "
                   f"{percent_of(area.score, 100)}\\,\\% \\\\\n{bottom}\n\\end{{longtable}}\n")
    return "".join(out)


def _title(spec: ReportSpec) -> str:
    from tests.synthetic.render import contents_lines, date_label

    contents = contents_lines(spec)
    return ("\\begin{titlepage}\nSektionen för Demokrati och styrning\n\n\\vspace*{30mm}\n"
            "{\\Huge\\bfseries Kommunkompassen\\par}\\vspace{6mm}\n{\\LARGE Analys\\par}\n"
            f"{{\\LARGE av {tex(spec.kommun)} Kommun\\par}}\\vspace{{4mm}}\n{{\\large {tex(date_label(spec, 'iso'))}\\par}}"
            "\\vspace{12mm}\n\\textbf{Innehåll:}\n\n" + "".join(f"{tex(line)}\n\n" for line in contents)
            + "\\vspace{15mm}\n" + "".join(f"{tex(e.name)}, {tex(e.organisation)}\n\n" for e in spec.evaluators)
            + "\\end{titlepage}\n")


def report_tex(spec: ReportSpec, style: TexStyle | str) -> str:
    """The whole report as one LaTeX document."""
    from tests.synthetic.summary_only import title_lines

    style = TEX_STYLES[style] if isinstance(style, str) else style
    out = [_preamble(spec, style)]
    if spec.form == SUMMARY_ONLY:
        title, subtitle, *rest = title_lines(spec)
        out.append(f"{{\\Huge\\bfseries {tex(title)}\\par}}\\vspace{{4mm}}\n{{\\LARGE {tex(subtitle)}\\par}}\n\n")
        out += [tex(line) + "\n\n" for line in rest]
        out += [tex(text) + "\n\n" for text in spec.intro[:-1]]
        out += [area_table_tex(spec, style), "\n", tex(spec.intro[-1]), "\n\\end{document}\n"]
        return "".join(out)
    out.append(_title(spec))
    out.append("\\section*{1 Vad är Kommunkompassen}\n" + blocks_tex(spec.chapter1, spec, style))
    out.append(f"\\clearpage\n\\section*{{2 {tex(spec.kommun)} kommun i förhållande till Kommunkompassen: "
               "En sammanfattande genomgång}\n" + blocks_tex(spec.chapter2, spec, style))
    out.append("\\clearpage\n\\section*{3 Detaljerad genomgång i förhållande till Kommunkompassens åtta områden}\n")
    for area in spec.areas:
        out.append(f"\\section*{{Område {area.number} {tex(area.name)}}}\n" + _itemize(area.prose_questions))
        out.append(blocks_tex(area.prose, spec, style) + findings_tex(spec, area, style))
    if spec.has_score_summary:
        out.append(summary_tex(spec, style))
    out.append("\\end{document}\n")
    return "".join(out)


def pdflatex_pdf(source: str, pdf: Path, runs: int = 1) -> Path:
    """Compile LaTeX `source` with pdfTeX into `pdf` (in a scratch folder, with a deadline per run)."""
    from tests.synthetic.producers.tools import run_tool

    pdf = Path(pdf)
    with tempfile.TemporaryDirectory(prefix="pdflatex-") as work:
        folder = Path(work)
        (folder / "report.tex").write_text(source, encoding="utf-8")
        for _ in range(runs):
            run_tool(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"], folder / "report.pdf",
                     timeout=LATEX_TIMEOUT, cwd=folder)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "report.pdf", pdf)
    return pdf
