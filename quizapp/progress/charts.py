"""Hand-written SVG charts for the progress page, returned as safe markup.

No JavaScript and no chart library: each chart is a small SVG drawn on the
server, scaled by its viewBox to the width of the page. Every chart carries
an accessible name and description (role="img" labelled by its <title> and
<desc>); the page puts a plain table beside each one. Every piece of text
that reaches the SVG goes through ``escape``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from quizapp.core.stats import HeatCell

#: Drawing units across; small enough that 13-unit text stays legible on a phone.
WIDTH = 400
FONT = 13
INK = "#1d1f24"
MUTED = "#555b66"
GRID = "#d9d6cf"
HEAT_COLOURS = ("#e6e3dc", "#c6dbef", "#86b4dd", "#3f7fc1", "#1a4fa0")
BAR = "#1a4fa0"
LINE = "#9b1c1c"
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: its legend name and fill."""

    name: str
    colour: str


def _attrs(values: dict[str, object]) -> str:
    return "".join(
        f' {key.rstrip("_").replace("_", "-")}="{escape(value)}"' for key, value in values.items()
    )


def _el(name: str, content: str = "", **attrs: object) -> str:
    """One SVG element; ``content`` must already be escaped (use ``_text`` for words)."""
    return f"<{name}{_attrs(attrs)}>{content}</{name}>"


def _text(x: float, y: float, words: str, **attrs: object) -> str:
    attrs.setdefault("fill", MUTED)
    attrs.setdefault("font_size", FONT)
    return _el("text", str(escape(words)), x=_n(x), y=_n(y), **attrs)


def _tip(words: str) -> str:
    """A hover tooltip for one mark (the table carries the same figure for everyone)."""
    return _el("title", str(escape(words)))


def _n(value: float) -> str:
    """Coordinates with at most one decimal, to keep the markup short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    """The chart's frame: its accessible name and description, then its marks."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" class="chart" role="img" focusable="false" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="system-ui, sans-serif">'
    )
    parts = [
        head,
        _el("title", str(escape(title)), id=f"{chart_id}-title"),
        _el("desc", str(escape(desc)), id=f"{chart_id}-desc"),
        *body,
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704  (every text and attribute above is escaped)


def day_label(day: date) -> str:
    """A day as people write it, the same in the charts' tooltips and in the tables."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """A day without its weekday ("1 Jun 2026"), where the weekday goes without saying."""
    return f"{day.day} {day:%b %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# Calendar heatmap ----------------------------------------------------------------


def heatmap(
    chart_id: str, title: str, desc: str, weeks: Sequence[Sequence[HeatCell | None]]
) -> Markup:
    """Weeks as columns, weekdays as rows (Monday on top), shaded by reviews that day."""
    left, top, step, size = 34, 20, 14, 11
    body = [_text(0, top + row * step + 10, label) for row, label in enumerate(WEEKDAYS) if label]
    body += _month_labels(weeks, left, step)
    for column, week in enumerate(weeks):
        for row, cell in enumerate(week):
            if cell is not None:
                tip = _tip(f"{day_label(cell.day)}: {_plural(cell.count, 'review')}")
                body.append(
                    _el(
                        "rect",
                        tip,
                        x=left + column * step,
                        y=top + row * step,
                        width=size,
                        height=size,
                        rx=2,
                        fill=HEAT_COLOURS[cell.level],
                    )
                )
    legend_y = top + 7 * step + 8
    body += _heat_legend(WIDTH - 5 * step - 38, legend_y, step, size)
    return _svg(chart_id, title, desc, legend_y + size + 6, body)


def _month_labels(weeks: Sequence[Sequence[HeatCell | None]], left: int, step: int) -> list[str]:
    """A month's name above the week holding its first day (and above the first week)."""
    labels: list[tuple[int, str]] = []
    for column, week in enumerate(weeks):
        days = [cell.day for cell in week if cell is not None]
        if days and (column == 0 or any(day.day == 1 for day in days)):
            first = next((d for d in days if d.day == 1), days[0])
            labels.append((column, f"{first:%b}"))
    if len(labels) > 1 and labels[1][0] - labels[0][0] < 3:
        labels.pop(0)  # the first week's label would collide with the next month's
    return [_text(left + column * step, 14, name) for column, name in labels]


def _heat_legend(x: float, y: float, step: int, size: int) -> list[str]:
    parts = [_text(x - 4, y + 10, "Less", text_anchor="end")]
    for level, colour in enumerate(HEAT_COLOURS):
        parts.append(
            _el("rect", x=_n(x + level * step), y=_n(y), width=size, height=size, rx=2, fill=colour)
        )
    parts.append(_text(x + 5 * step + 2, y + 10, "More"))
    return parts


# Vertical bars (forecast) ------------------------------------------------------


def day_bars(
    chart_id: str, title: str, desc: str, points: Sequence[tuple[date, int]], noun: str = "card"
) -> Markup:
    """One bar per day, with a count axis; every seventh day is labelled."""
    left, top, plot_h, bottom = 30, 10, 140, 26
    plot_w = WIDTH - left - 6
    ticks = _ticks(max((value for _, value in points), default=0))
    body = _y_axis(ticks, left, top, plot_h, str)
    slot = plot_w / max(len(points), 1)
    for index, (day, value) in enumerate(points):
        height = plot_h * value / ticks[-1]
        x = left + index * slot
        if value:
            body.append(
                _el(
                    "rect",
                    _tip(f"{day_label(day)}: {_plural(value, noun)} due"),
                    x=_n(x + 1),
                    y=_n(top + plot_h - height),
                    width=_n(slot - 2),
                    height=_n(height),
                    fill=BAR,
                )
            )
        if index % 7 == 0:
            body.append(
                _text(x + slot / 2, top + plot_h + 18, f"{day.day} {day:%b}", text_anchor="middle")
            )
    return _svg(chart_id, title, desc, top + plot_h + bottom, body)


def _ticks(highest: float) -> list[int]:
    """Five round ticks from 0 whose top covers ``highest`` (at least 0..4)."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if highest <= step * 4:
                return [step * n for n in range(5)]
        magnitude *= 10


def _y_axis(
    ticks: Sequence[int], left: float, top: float, plot_h: float, label: Callable[[int], str]
) -> list[str]:
    """Horizontal grid lines with their values, the top tick being the scale's maximum."""
    parts = []
    for tick in ticks:
        y = top + plot_h - plot_h * tick / ticks[-1]
        parts.append(_el("line", x1=left, x2=WIDTH - 6, y1=_n(y), y2=_n(y), stroke=GRID))
        parts.append(_text(left - 5, y + 4, label(tick), text_anchor="end"))
    return parts


# Horizontal bars (accuracy, mastery) ------------------------------------------------


def percent_bars(
    chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, int | None]]
) -> Markup:
    """One bar per row on a 0-100% scale; a row with no figure says so instead."""
    left, top, row_h = 96, 6, 28
    plot_w = WIDTH - left - 46
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * row_h
        body.append(_text(left - 8, y + 17, label, text_anchor="end", fill=INK))
        body.append(_el("rect", x=left, y=y + 4, width=_n(plot_w), height=18, fill="#efede8"))
        if value is None:
            body.append(_text(left + 6, y + 17, "no reviews yet"))
            continue
        body.append(
            _el(
                "rect",
                _tip(f"{label}: {value}%"),
                x=left,
                y=y + 4,
                width=_n(plot_w * value / 100),
                height=18,
                fill=BAR,
            )
        )
        body.append(_text(left + plot_w + 5, y + 17, f"{value}%", fill=INK))
    return _svg(chart_id, title, desc, top + len(rows) * row_h + 6, body)


def stacked_bars(
    chart_id: str,
    title: str,
    desc: str,
    segments: Sequence[Segment],
    rows: Sequence[tuple[str, Sequence[int]]],
) -> Markup:
    """One bar per row split into segments, scaled to the largest row, with a legend."""
    left, top, row_h = 96, 6, 28
    plot_w = WIDTH - left - 32
    largest = max((sum(values) for _, values in rows), default=0) or 1
    body = []
    for index, (label, values) in enumerate(rows):
        y = top + index * row_h
        body.append(_text(left - 8, y + 17, label, text_anchor="end", fill=INK))
        x = float(left)
        for segment, value in zip(segments, values, strict=True):
            width = plot_w * value / largest
            if value:
                body.append(
                    _el(
                        "rect",
                        _tip(f"{label}: {value} {segment.name.lower()}"),
                        x=_n(x),
                        y=y + 4,
                        width=_n(width),
                        height=18,
                        fill=segment.colour,
                    )
                )
            x += width
        body.append(_text(x + 5, y + 17, str(sum(values)), fill=INK))
    legend_y = top + len(rows) * row_h + 8
    legend, legend_h = _legend(segments, legend_y)
    return _svg(chart_id, title, desc, legend_y + legend_h, body + legend)


def _legend(segments: Sequence[Segment], y: float) -> tuple[list[str], float]:
    """Swatches and names, three or four to a row so they fit; the parts and their height."""
    parts = []
    per_row = 4 if len(segments) <= 4 else 3
    column = (WIDTH - 8) / per_row
    for index, segment in enumerate(segments):
        x = 8 + (index % per_row) * column
        row_y = y + (index // per_row) * 20
        parts.append(
            _el("rect", x=_n(x), y=_n(row_y), width=12, height=12, rx=2, fill=segment.colour)
        )
        parts.append(_text(x + 17, row_y + 11, segment.name, fill=INK))
    rows = -(-len(segments) // per_row)
    return parts, rows * 20 + 4


# Line (readiness) -------------------------------------------------------------------


def percent_line(
    chart_id: str, title: str, desc: str, points: Sequence[tuple[date, float]]
) -> Markup:
    """Share (0..1) per day as a line on a 0-100% scale; first and last days labelled."""
    left, top, plot_h, bottom = 44, 10, 140, 26
    plot_w = WIDTH - left - 14
    body = _y_axis([0, 25, 50, 75, 100], left, top, plot_h, lambda tick: f"{tick}%")
    span = max(len(points) - 1, 1)
    coords = [
        (left + plot_w * index / span, top + plot_h * (1 - share))
        for index, (_, share) in enumerate(points)
    ]
    if len(coords) > 1:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        body.append(_el("polyline", points=path, fill="none", stroke=LINE, stroke_width=2))
    for (day, share), (x, y) in zip(points, coords, strict=True):
        body.append(
            _el(
                "circle",
                _tip(f"{day_label(day)}: {round(share * 100)}%"),
                cx=_n(x),
                cy=_n(y),
                r=3,
                fill=LINE,
            )
        )
    for index in {0, len(points) - 1} if points else set():
        day = points[index][0]
        anchor = "start" if index == 0 else "end"
        body.append(
            _text(coords[index][0], top + plot_h + 18, f"{day.day} {day:%b}", text_anchor=anchor)
        )
    return _svg(chart_id, title, desc, top + plot_h + bottom, body)
