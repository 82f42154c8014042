"""Charts of evaluations: the numbers come from `chart_data` (pure reading), drawing from `draw`.

Three kinds, titles and labels in Swedish:
- profile: one evaluation's eight area scores beside the reference value (median or mean), like
  the report's own figure;
- trend: each area's score over a municipality's evaluations (areas matched by theme);
- distribution: every evaluation's score in one area of a framework generation, one marked.
"""
from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kompass.errors import KompassError
from outputs.data import (REFERENCE_LABELS, choose_evaluation, chosen_scores, database_median, evaluations_of,
                          scores_in_area, sources_caption, swedish_number)

PROFILE, TREND, DISTRIBUTION = "profile", "trend", "distribution"
FORMATS = ("png", "svg")
MAX_BARS = 40          # more evaluations than this: a histogram with the marked one drawn in, not a bar each
SCORE_COLOUR, REFERENCE_COLOUR, OTHER_COLOUR = "#1f5f8b", "#b9b9b9", "#9fbcd1"


class UnsupportedChartFormat(KompassError):
    """The output file's suffix names a format the charts cannot be written in."""


class AreaNotFound(KompassError):
    """No evaluation in the database has a score in the area asked for."""


class AmbiguousArea(KompassError):
    """--area N without a municipality or --framework, where N means different areas in several generations."""


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class ChartData:
    """Everything a chart shows: the plotted numbers, their labels and where they come from."""
    kind: str
    title: str
    labels: list[str]                 # one per position on the category axis
    series: list[Series]
    caption: str                      # the sources of the numbers
    value_label: str = "Poäng (max 100)"
    marked: int | None = None         # distribution: index of the marked evaluation in `labels`
    evaluations: list[str] = field(default_factory=list)


def chart_data(db: sqlite_utils.Database, kommun: str | None = None, *, year: int | None = None,
               area: int | None = None, framework: str | None = None) -> ChartData:
    """The numbers behind `kompass chart`: a profile, a trend or (with `area`) a distribution."""
    if area is not None:
        return distribution_data(db, area, kommun=kommun, year=year, framework=framework)
    if kommun is None:
        raise KompassError("name a municipality, or give --area N for the distribution of an area")
    evaluations = evaluations_of(db, kommun)
    scored = [e for e in evaluations if e.areas_known]
    if year is None and len(scored) > 1:
        return trend_data(db, scored)
    return profile_data(db, choose_evaluation(evaluations, year).id)


def profile_data(db: sqlite_utils.Database, evaluation_id: str) -> ChartData:
    """One evaluation's area scores beside their reference values (the report's or the database median)."""
    rows = chosen_scores(db, evaluation_id)
    if not rows:
        raise AreaNotFound(f"{evaluation_id}: this evaluation has only a total, no area scores to draw")
    first = rows[0]
    references, kinds = [], set()
    for row in rows:
        if row["reference"] is not None:
            references.append(row["reference"])
            kinds.add(REFERENCE_LABELS.get(row["reference_kind"], row["reference_kind"] or "Referens"))
        else:
            value, n = database_median(db, row["framework"], row["area"])
            references.append(value)
            kinds.add(f"Median i databasen (n = {n})")
    return ChartData(
        kind=PROFILE, title=f"Kommunkompassen {first['kommun']} {first['year']}: poäng per område",
        labels=[f"{r['area']}. {r['area_name'] or ''}".strip() for r in rows],
        series=[Series(f"{first['kommun']} {first['year']}", [r["score"] for r in rows]),
                Series(" / ".join(sorted(kinds)), references)],
        caption=sources_caption(db, rows), evaluations=[evaluation_id])


def trend_data(db: sqlite_utils.Database, evaluations) -> ChartData:
    """Each area's chosen score over the evaluations, areas matched across generations by theme."""
    by_theme: dict[str, dict[str, float]] = {}
    names: dict[str, str] = {}
    all_rows = []
    for evaluation in evaluations:
        for row in chosen_scores(db, evaluation.id):
            by_theme.setdefault(row["theme"], {})[evaluation.id] = row["score"]
            names[row["theme"]] = f"{row['area']}. {row['area_name']}"  # the latest generation's name
            all_rows.append(row)
    frameworks = {e.framework for e in evaluations}
    suffix = " (områden matchade via tema, ungefärligt)" if len(frameworks) > 1 else ""
    if len(frameworks) > 1:  # area numbers differ between generations: name the series by theme
        names = {row["theme"]: row["theme_name"] for row in all_rows}
    return ChartData(
        kind=TREND, title=f"Kommunkompassen {evaluations[0].kommun}: poäng per område över tid{suffix}",
        labels=[str(e.year) for e in evaluations],
        series=[Series(names[theme], [scores.get(e.id) for e in evaluations])
                for theme, scores in sorted(by_theme.items(), key=lambda item: names[item[0]])],
        caption=sources_caption(db, all_rows), evaluations=[e.id for e in evaluations])


def distribution_data(db: sqlite_utils.Database, area: int, *, kommun: str | None = None, year: int | None = None,
                      framework: str | None = None) -> ChartData:
    """Every evaluation's score in one area of a generation, best first, with one evaluation marked."""
    marked = choose_evaluation(evaluations_of(db, kommun), year) if kommun else None
    framework = framework or (marked.framework if marked else _only_framework(db, area))
    rows = scores_in_area(db, framework, area)
    if not rows:
        raise AreaNotFound(f"area {area}: no evaluation in framework {framework} has a score in this area")
    ids = [r["evaluation"] for r in rows]
    return ChartData(
        kind=DISTRIBUTION,
        title=f"Ramverk {framework}, område {area} ({rows[0]['area_name']}, tema {rows[0]['theme_name']}): "
              f"alla {len(rows)} utvärderingar",
        labels=[r["label"] for r in rows],
        series=[Series("Poäng", [r["score"] for r in rows])],
        caption=sources_caption(db, rows), marked=ids.index(marked.id) if marked and marked.id in ids else None,
        evaluations=ids)


def _only_framework(db: sqlite_utils.Database, area: int) -> str:
    """The one generation with scores in area N; several: the user must say which (N differs between them)."""
    rows = db.execute("SELECT framework, MAX(area_name), COUNT(*) FROM area_ranks WHERE area = ? GROUP BY framework "
                      "ORDER BY framework", [area]).fetchall()
    if not rows:
        raise AreaNotFound(f"area {area}: no evaluation in the database has a score in this area")
    if len(rows) > 1:
        meanings = "; ".join(f"{f}: {name} ({n} evaluations)" for f, name, n in rows)
        raise AmbiguousArea(f"area {area} means different areas in different framework generations ({meanings}); "
                            f"give --framework {rows[0][0]} (or another) or a municipality")
    return rows[0][0]


def _height(data: ChartData) -> float:
    if data.kind != DISTRIBUTION or len(data.labels) > MAX_BARS:
        return 4.8
    return max(3.5, 1.6 + 0.26 * len(data.labels))


def draw(data: ChartData) -> Figure:
    """A matplotlib Figure (no pyplot state, safe in a server thread) for the chart data."""
    drawers = {PROFILE: _draw_profile, TREND: _draw_trend, DISTRIBUTION: _draw_distribution,
               KPI_SCATTER: _draw_kpi_scatter}
    height = _height(data)
    figure = Figure(figsize=(9, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    drawers[data.kind](axes, data)
    axes.set_title(textwrap.fill(data.title, 80), fontsize=11)
    caption = textwrap.fill(data.caption, 150)
    figure.text(0.01, 0.01, caption, fontsize=7, color="#444444", va="bottom")
    caption_inches = (caption.count("\n") + 1) * 7 * 1.35 / 72 + 0.15  # lines × 7 pt × line spacing
    figure.tight_layout(rect=(0, min(0.4, caption_inches / height), 1, 1))
    return figure


def _draw_profile(axes, data: ChartData) -> None:
    score, reference = data.series
    positions = range(len(data.labels))
    bars = axes.barh([p - 0.2 for p in positions], score.values, height=0.4, color=SCORE_COLOUR, label=score.name)
    axes.bar_label(bars, labels=[swedish_number(v) for v in score.values], fontsize=7, padding=2)
    axes.barh([p + 0.2 for p in positions], [v if v is not None else 0 for v in reference.values], height=0.4,
              color=REFERENCE_COLOUR, label=reference.name)
    axes.set_yticks(list(positions), [textwrap.fill(label, 40) for label in data.labels], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(data.value_label)
    _legend(axes, loc="lower right", fontsize=8)


def _draw_trend(axes, data: ChartData) -> None:
    for series in data.series:
        points = [(x, v) for x, v in enumerate(series.values) if v is not None]
        axes.plot([x for x, _ in points], [v for _, v in points], marker="o", label=textwrap.shorten(series.name, 45))
    axes.set_xticks(range(len(data.labels)), data.labels)
    axes.set_xlabel("Utvärderingsår")
    axes.set_ylim(0, 100)
    axes.set_ylabel(data.value_label)
    _legend(axes, fontsize=7, loc="lower left", ncol=2)


def _legend(axes, **options) -> None:
    """A legend when some series has a name (an empty chart gets none, rather than a warning)."""
    if axes.get_legend_handles_labels()[1]:
        axes.legend(**options)


def _draw_distribution(axes, data: ChartData) -> None:
    if len(data.labels) > MAX_BARS:
        _draw_histogram(axes, data)
        return
    values = data.series[0].values
    colours = [SCORE_COLOUR if i == data.marked else OTHER_COLOUR for i in range(len(values))]
    axes.barh(range(len(values)), values, color=colours)
    axes.set_yticks(range(len(values)), data.labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(data.value_label)
    if data.marked is not None:
        axes.get_yticklabels()[data.marked].set_fontweight("bold")


def _draw_histogram(axes, data: ChartData) -> None:
    """Many evaluations: how many scored in each 5-point band; the marked evaluation as a line."""
    values = [v for v in data.series[0].values if v is not None]
    axes.hist(values, bins=range(0, 105, 5), color=OTHER_COLOUR, edgecolor="white")
    axes.set_xlim(0, 100)
    axes.set_xlabel(data.value_label)
    axes.set_ylabel("Antal utvärderingar")
    if data.marked is not None:
        score = data.series[0].values[data.marked]
        axes.axvline(score, color=SCORE_COLOUR, linewidth=2)
        rank = data.marked + 1
        axes.annotate(f"{data.labels[data.marked]}: {swedish_number(score)} (plats {rank} av {len(values)})",
                      xy=(score, axes.get_ylim()[1] * 0.92), xytext=(4, 0), textcoords="offset points",
                      color=SCORE_COLOUR, fontsize=8, fontweight="bold")


def save_chart(data: ChartData, out: str | Path) -> Path:
    """Draw and write the chart; the suffix (.png or .svg) chooses the format."""
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise UnsupportedChartFormat(f"{out.name}: charts are written as .png or .svg, not {out.suffix or 'no suffix'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    draw(data).savefig(out, format=kind)
    return out


def chart_bytes(data: ChartData, kind: str = "svg") -> bytes:
    """The chart as PNG or SVG bytes (for the Datasette route)."""
    import io

    buffer = io.BytesIO()
    draw(data).savefig(buffer, format=kind)
    return buffer.getvalue()


# --- scores beside a Kolada key figure ------------------------------------------------------------------

KPI_SCATTER = "kpi_scatter"
KOLADA_SOURCE = "Källa: Kolada (RKA)"


class KpiNotFetched(KompassError):
    """No evaluation has a value of the KPI asked for (fetch it with `kompass kolada fetch --kpi ID`)."""


def kpi_scatter_data(db: sqlite_utils.Database, kpi: str, area: int, *, framework: str | None = None,
                     gender: str = "T") -> ChartData:
    """One area's chosen scores against a Kolada KPI's value in each evaluation's year (view
    evaluation_kpi_values): labels are the evaluations, series[0] the KPI values (x), series[1] the scores (y)."""
    column = f"area_{int(area)}"
    rows = _kpi_rows(db, column, kpi, gender)
    if not rows:
        raise KpiNotFetched(f"{kpi}: no evaluation with a score in area {area} has a value of this KPI "
                            f"(run `kompass kolada fetch --kpi {kpi}` first)")
    framework = framework or Counter(r["framework"] for r in rows).most_common(1)[0][0]
    points = [r for r in rows if r["framework"] == framework and r["value"] is not None]
    if not points:
        raise KpiNotFetched(f"{kpi}: no evaluation in framework {framework} has both a score in area {area} "
                            "and a value of this KPI")
    scored = {r[0] for r in db.execute("SELECT evaluation FROM chosen_area_scores WHERE framework = ? AND area = ?",
                                       [framework, area])}
    missing = len(scored - {r["evaluation"] for r in points})
    chosen = [dict(r) for r in _chosen_with_urls(db, [r["evaluation"] for r in points], area)]
    title = _plain(_kpi_title(db, kpi))  # Kolada's text: drawn as it is, never as markup
    area_name = chosen[0]["area_name"] if chosen else f"område {area}"
    caption = (f"{KOLADA_SOURCE}, nyckeltal {kpi} «{title}», värde för utvärderingsåret"
               f"{f' ({gender})' if gender != 'T' else ''}"
               f"{_without_value(missing)}. "
               f"Poäng: {_plain(sources_caption(db, chosen).removeprefix('Källa: '))}")
    return ChartData(
        kind=KPI_SCATTER,
        title=f"Område {area} ({area_name}), ramverk {framework}, mot {title}",
        labels=[f"{r['kommun']} {r['year']}" for r in points],
        series=[Series(f"{title} ({kpi})", [r["value"] for r in points]),
                Series(f"Poäng område {area}", [r["score"] for r in points])],
        caption=caption, value_label=f"Poäng område {area} (max 100)",
        evaluations=[r["evaluation"] for r in points])


def _without_value(missing: int) -> str:
    if not missing:
        return ""
    return f"; {missing} {'utvärdering' if missing == 1 else 'utvärderingar'} utan värde i Kolada"


def _kpi_rows(db: sqlite_utils.Database, column: str, kpi: str, gender: str) -> list[dict]:
    cursor = db.execute(f"""SELECT evaluation, kommun, year, framework, [{column}] AS score, value
        FROM evaluation_kpi_values WHERE kpi = ? AND gender = ? AND [{column}] IS NOT NULL
        ORDER BY kommun, year""", [kpi, gender])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _chosen_with_urls(db: sqlite_utils.Database, evaluations: list[str], area: int):
    """The chosen scores behind the points; a page's score is named by its address, not its version hash."""
    marks = ", ".join("?" * len(evaluations))
    cursor = db.execute(f"""SELECT c.area_name, c.source, c.page,
          CASE WHEN c.source IN ('published_page', 'news') THEN COALESCE(s.source_url, c.provenance) ELSE c.provenance END
            AS provenance
        FROM chosen_area_scores c LEFT JOIN area_scores s ON s.evaluation = c.evaluation AND s.area = c.area
          AND s.source = c.source AND s.provenance = c.provenance
        WHERE c.evaluation IN ({marks}) AND c.area = ? ORDER BY c.kommun, c.year""", [*evaluations, area])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _kpi_title(db: sqlite_utils.Database, kpi: str) -> str:
    row = db.execute("SELECT title FROM kolada_kpis WHERE id = ?", [kpi]).fetchone()
    return " ".join(str(row[0] if row else kpi).split())


def _draw_kpi_scatter(axes, data: ChartData) -> None:
    x, y = data.series
    axes.scatter(x.values, y.values, color=SCORE_COLOUR, zorder=3)
    for label, xv, yv in zip(data.labels, x.values, y.values):
        axes.annotate(label, (xv, yv), textcoords="offset points", xytext=(4, 3), fontsize=7)
    axes.set_xlabel(x.name)
    axes.set_ylabel(data.value_label)
    axes.set_ylim(0, 100)
    axes.grid(True, color="#e5e5e5", zorder=0)


def _plain(text: str) -> str:
    """Text drawn as it is: matplotlib would read `$…$` as mathematics."""
    return text.replace("$", r"\$")
