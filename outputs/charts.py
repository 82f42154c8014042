"""Charts of evaluations: the numbers come from `chart_data` (pure reading), drawing from `draw`.

Three kinds, titles and labels in Swedish:
- profile: one evaluation's eight area scores beside the reference value (median or mean), like
  the report's own figure;
- trend: each area's score over a municipality's evaluations (areas matched by theme);
- distribution: every evaluation's score in one area of a framework generation, one marked;
- kpi_scatter: one area's scores against a Kolada key figure, in the named municipality's generation,
  that municipality marked.

Numbers are drawn the Swedish way (decimal comma, a space between thousands); a trend breaks its lines
where the framework generation changes (the areas' questions changed there), with the change marked.
"""
from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from kompass.errors import KompassError
from outputs.data import (REFERENCE_LABELS, choose_evaluation, choose_evaluations, chosen_scores, database_median,
                          evaluations_of, scores_in_area, sources_caption, swedish_number, swedish_tick)

PROFILE, TREND, DISTRIBUTION = "profile", "trend", "distribution"
FORMATS = ("png", "svg")
MAX_BARS = 40          # more evaluations than this: a histogram with the marked one drawn in, not a bar each
SCORE_COLOUR, REFERENCE_COLOUR, OTHER_COLOUR = "#1f5f8b", "#b9b9b9", "#9fbcd1"
MARKED_COLOUR, BREAK_COLOUR = "#c0392b", "#777777"


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
    marked: int | None = None         # distribution, kpi_scatter: index of the marked evaluation in `labels`
    evaluations: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)  # trend: each position's framework generation


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
        caption=sources_caption(db, all_rows), evaluations=[e.id for e in evaluations],
        frameworks=[e.framework or "" for e in evaluations])


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
    _swedish_axes(axes)
    axes.set_title(textwrap.fill(data.title, 80), fontsize=11)
    caption = textwrap.fill(data.caption, 150)
    figure.text(0.01, 0.01, caption, fontsize=7, color="#444444", va="bottom")
    caption_inches = (caption.count("\n") + 1) * 7 * 1.35 / 72 + 0.15  # lines × 7 pt × line spacing
    figure.tight_layout(rect=(0, min(0.4, caption_inches / height), 1, 1))
    if data.kind == KPI_SCATTER:  # names placed once the layout is final, so that they stay apart
        _place_labels(axes, data, labelled_points(data))
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


def _swedish_axes(axes) -> None:
    """Numeric tick labels with a decimal comma and a space between thousands (never `0.5` or `1e6`); the
    category axes (areas, years, evaluations) keep their text."""
    formatter = FuncFormatter(lambda value, _position: swedish_tick(round(value, 6)))
    for axis in (axes.xaxis, axes.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):
            axis.set_major_formatter(formatter)


def generation_runs(frameworks: list[str]) -> list[range]:
    """Consecutive positions of one framework generation: a trend's lines are drawn within a run only."""
    runs, start = [], 0
    for index in range(1, len(frameworks) + 1):
        if index == len(frameworks) or frameworks[index] != frameworks[start]:
            runs.append(range(start, index))
            start = index
    return runs


def _draw_trend(axes, data: ChartData) -> None:
    runs = generation_runs(data.frameworks or [""] * len(data.labels))
    for series in data.series:
        colour = None  # the series' colour, chosen with its first segment and kept across the break
        for run in runs:
            points = [(x, series.values[x]) for x in run if series.values[x] is not None]
            if not points:
                continue
            (line,) = axes.plot([x for x, _ in points], [v for _, v in points], marker="o", color=colour,
                                label=textwrap.shorten(series.name, 45) if colour is None else "_nolegend_")
            colour = line.get_color()
    for run in runs[1:]:  # the framework changed between two evaluations: a visible break, named
        boundary = run.start - 0.5
        axes.axvline(boundary, color=BREAK_COLOUR, linestyle="--", linewidth=1, gid="framework-break")
        axes.annotate(f"nytt ramverk {data.frameworks[run.start]}", xy=(boundary, 98), xytext=(3, 0),
                      textcoords="offset points", va="top", fontsize=7, color=BREAK_COLOUR, rotation=90)
    axes.set_xticks(range(len(data.labels)), data.labels)
    axes.set_xlim(-0.5, len(data.labels) - 0.5)
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


def kpi_scatter_data(db: sqlite_utils.Database, kpi: str, area: int, *, kommun: str | None = None,
                     year: int | None = None, framework: str | None = None, gender: str = "T") -> ChartData:
    """One area's chosen scores against a Kolada KPI's value in each evaluation's year (view
    evaluation_kpi_values): labels are the evaluations, series[0] the KPI values (x), series[1] the scores (y).

    With `kommun` the chart is that municipality's framework generation (area N means different areas in
    different generations) and its evaluation is `marked`; without it, `framework` or else the generation
    with the most points."""
    column = f"area_{int(area)}"
    rows = _kpi_rows(db, column, kpi, gender)
    if not rows:
        raise KpiNotFetched(f"{kpi}: no evaluation with a score in area {area} has a value of this KPI "
                            f"(run `kompass kolada fetch --kpi {kpi}` first)")
    marked = _kpi_marked_evaluation(db, kommun, year, area, {r["evaluation"] for r in rows}) if kommun else None
    if marked and framework and framework != marked.framework:
        raise KompassError(f"{marked.label} was evaluated in framework {marked.framework}, not {framework}; "
                           "leave out --framework (or the municipality)")
    framework = framework or (marked.framework if marked else
                              Counter(r["framework"] for r in rows).most_common(1)[0][0])
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
    ids = [r["evaluation"] for r in points]
    unmarked = ""
    if marked and marked.id not in ids:
        unmarked = f"; {marked.label} saknas i diagrammet (ingen poäng i område {area} eller inget värde i Kolada)"
    caption = (f"{KOLADA_SOURCE}, nyckeltal {kpi} «{title}», värde för utvärderingsåret"
               f"{f' ({gender})' if gender != 'T' else ''}"
               f"{_without_value(missing)}{unmarked}. "
               f"Poäng: {_plain(sources_caption(db, chosen).removeprefix('Källa: '))}")
    return ChartData(
        kind=KPI_SCATTER,
        title=f"Område {area} ({area_name}), ramverk {framework}, mot {title}"
              + (f": {marked.kommun} markerad" if marked and marked.id in ids else ""),
        labels=[f"{r['kommun']} {r['year']}" for r in points],
        series=[Series(f"{title} ({kpi})", [r["value"] for r in points]),
                Series(f"Poäng område {area}", [r["score"] for r in points])],
        caption=caption, value_label=f"Poäng område {area} (max 100)",
        marked=ids.index(marked.id) if marked and marked.id in ids else None, evaluations=ids)


def _kpi_marked_evaluation(db: sqlite_utils.Database, kommun: str, year: int | None, area: int, with_value: set[str]):
    """The municipality's evaluation to mark: of `year`, or else its latest with a score in the area and a value
    of the KPI, or else its latest with a score in the area, or else its latest scored one."""
    evaluations = evaluations_of(db, kommun)
    if year is not None:
        return choose_evaluation(evaluations, year)
    in_area = {r[0] for r in db.execute("SELECT evaluation FROM chosen_area_scores WHERE area = ? AND evaluation IN "
                                        f"({', '.join('?' * len(evaluations))})", [area, *(e.id for e in evaluations)])}
    for wanted in (in_area & with_value, in_area):
        found = [e for e in evaluations if e.id in wanted]
        if found:
            return found[-1]
    return choose_evaluations(evaluations)[0]


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


def labelled_points(data: ChartData) -> list[int]:
    """Which points of a scatter get a name: the marked one first, then the extremes (lowest and highest
    KPI value and score); the rest stay unnamed, so the names never pile up."""
    x, y = (series.values for series in data.series)
    order = [] if data.marked is None else [data.marked]
    indices = range(len(x))
    for pick in (min(indices, key=lambda i: (x[i], i)), max(indices, key=lambda i: (x[i], -i)),
                 min(indices, key=lambda i: (y[i], i)), max(indices, key=lambda i: (y[i], -i))):
        if pick not in order:
            order.append(pick)
    return order


# Where a name may sit beside its point (offset in points, alignment), tried in order until it overlaps nothing.
LABEL_PLACES = [((5, 4), "left", "bottom"), ((-5, 4), "right", "bottom"), ((5, -4), "left", "top"),
                ((-5, -4), "right", "top"), ((0, 9), "center", "bottom"), ((0, -9), "center", "top")]


def _draw_kpi_scatter(axes, data: ChartData) -> None:
    x, y = data.series
    colours = [MARKED_COLOUR if i == data.marked else SCORE_COLOUR for i in range(len(x.values))]
    sizes = [90 if i == data.marked else 28 for i in range(len(x.values))]
    axes.scatter(x.values, y.values, c=colours, s=sizes, zorder=3, edgecolors="white", linewidths=0.5)
    axes.set_xlabel(x.name)
    axes.set_ylabel(data.value_label)
    axes.set_ylim(0, 100)
    axes.grid(True, color="#e5e5e5", zorder=0)


def _place_labels(axes, data: ChartData, indices: list[int]) -> None:
    """Name the chosen points where the name overlaps no other name (nor leaves the plot); a name with no free
    place is left out (the marked one always has its place, being placed first)."""
    x, y = data.series
    figure = axes.figure
    renderer = figure.canvas.get_renderer()
    frame = axes.get_window_extent(renderer)
    taken = []
    for index in indices:
        marked = index == data.marked
        for offset, ha, va in LABEL_PLACES:
            text = axes.annotate(data.labels[index], (x.values[index], y.values[index]), textcoords="offset points",
                                 xytext=offset, ha=ha, va=va, fontsize=8 if marked else 7,
                                 fontweight="bold" if marked else "normal",
                                 color=MARKED_COLOUR if marked else "#333333", zorder=4)
            box = text.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if (inside or marked and offset == LABEL_PLACES[-1][0]) and not any(box.overlaps(b) for b in taken):
                taken.append(box)
                break
            text.remove()


def _plain(text: str) -> str:
    """Text drawn as it is: matplotlib would read `$…$` as mathematics."""
    return text.replace("$", r"\$")
