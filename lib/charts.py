"""A small bar chart drawn by the server as SVG, one bar a value, with its numbers as a table.

The template (templates/includes/chart.html) draws what `bar_chart` measures
here: no JavaScript, and nothing a reader's browser must compute. A value
whose records our sources do not give (a count of None) is drawn as a hatched
gap labelled "not in our sources", never as a bar of zero: zero is a count
our sources give, the gap is their silence.
"""

# At most this many bars: the values with the most records, in their order. A chart of every meeting
# at a hundred times the content would grow with it.
MAX_BARS = 30
ROW = 22  # px a bar's row takes, its bar 14 px high
BAR = 14
LABEL_WIDTH = 170  # px for the labels left of the bars
BARS_WIDTH = 240  # px the largest bar takes
NUMBER_WIDTH = 140  # px right of the bars for a count, or "not in our sources"
GAP = 28  # px of the hatched marker that stands for "not in our sources"


def bar_chart(values, *, slug, title, heading):
    """What templates/includes/chart.html draws: values [{"label", "count"}] (count None: not in our
    sources), the chart's `slug` (unique on its page: its ids), `title`, and its table's `heading` of the
    labels. None when every count is 0."""
    if not any(value["count"] != 0 for value in values):
        return None  # nothing in the view, and nothing our sources are silent on: no chart of zeros
    biggest = max((value["count"] or 0 for value in values), default=0) or 1
    bars = []
    for row, value in enumerate(values):
        count = value["count"]
        width = 0 if not count else max(1, round(BARS_WIDTH * count / biggest))
        top = row * ROW
        bars.append(
            {
                "label": value["label"],
                "count": count,
                "silent": count is None,
                "y": top + (ROW - BAR) // 2,
                "text_y": top + ROW // 2 + 5,
                "width": GAP if count is None else width,
                "number_x": LABEL_WIDTH + (GAP if count is None else width) + 6,
            }
        )
    return {
        "slug": slug,
        "title": title,
        "heading": heading,
        "bars": bars,
        "width": LABEL_WIDTH + BARS_WIDTH + NUMBER_WIDTH,
        "height": len(values) * ROW,
        "bars_x": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "silent": any(bar["silent"] for bar in bars),
    }


def largest(values, size=MAX_BARS):
    """The `size` values with the most records (those not in our sources while there is room), in their
    order: what a chart keeps of a long facet."""
    if len(values) <= size:
        return values
    counted = sorted((v for v in values if v["count"]), key=lambda v: -v["count"])[:size]
    kept = {id(v) for v in counted}
    silent = [v for v in values if v["count"] is None]
    kept |= {id(v) for v in silent[: size - len(kept)]}
    return [v for v in values if id(v) in kept]
