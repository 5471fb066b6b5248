"""Anchoring a record's quoted text in the stored text of its source, as W3C Web Annotation selectors.

A record quotes its source repaired: list numbers the extraction lost are
restored, words split by a line break are joined, a misread letter is mended,
and a matrix's columns run into each other line by line. So the two are
compared on their letters and digits alone, case folded (`normalise`), each
kept with its offset in the raw text; the quote is then read piece by piece,
from each place its first letters occur, aligned with what follows there
(`find_spans`). Pieces a few characters apart (a page number, a stray bullet
between them) make one span; a quote read across a matrix's columns keeps one
span per piece. What the record has that its span lacks, and what the span has
that the record leaves out, is said in the anchor's `repairs`.

Models declare what they quote with `quoted_texts()`: [(field, text), ...];
an item quoted as part of another record (an activity's objective) names that
record with `anchored_record()`. The anchors are derived data, rewritten by the
write path (`lib.caching.content_changed`, through `update`) into the model
settings.ANCHOR_MODEL names, from the stored texts settings.SOURCE_TEXT_MODEL
names.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import compress

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext

from lib.models import configured_model

# How far beyond three times its length (in letters and digits) the rest of a quote may reach: a matrix's
# other columns, a page's header and footer, another heading's paragraphs lie between its pieces.
WINDOW = 600
# Pieces this close in the source (a page number, a footnote mark, a bullet) make one span.
JOIN = 4
# A quote may add this share of its letters to the source (restored numbers, mended letters), no more.
MOST_RESTORED = 0.1
# A quote may begin with this many letters its source lacks (a restored list number).
LEAD = 6
# How many of a quote's first letters are looked for to find where it may begin.
PROBE = 12
# The shortest run of a quote's continuation taken as found: shorter ones are chance.
MIN_RUN = 4
# Characters of context a TextQuoteSelector gives on each side.
CONTEXT = 32


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    restored: tuple = ()  # the record's text its span lacks
    left_out: tuple = ()  # the source's text inside the span the record leaves out


class Normalised:
    """A text's letters and digits, case folded, each with its offset in the raw text."""

    def __init__(self, raw):
        self.raw = raw
        # Found by C loops (map, compress), not a Python step per character: texts run to 40,000 characters.
        flags = list(map(str.isalnum, raw))
        self.offsets = list(compress(range(len(raw)), flags))
        letters = "".join(compress(raw, flags))
        folded = letters.casefold()
        if len(folded) != len(letters):
            # A letter folding into two ("ß" into "ss") keeps its own: each letter keeps its offset.
            folded = "".join(c.casefold() if len(c.casefold()) == 1 else c for c in letters)
        self.text = folded

    def raw_span(self, start, end):
        """The raw offsets of the normalised characters start..end (exclusive)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def pieces_of(quote, source, hint=0):
    """[(quote start, quote end, source start, source end)] of the quote's pieces, in order, or None.

    Each place the quote's first letters occur is tried, and the reading that restores least, in the
    fewest pieces, at or after the place the record's location names, is kept: a matrix repeats the
    opening words of its cells.
    """
    # Most quotes are the source's own letters: where they occur whole, the nearest such place is the
    # reading the search below would keep, found without aligning every candidate.
    whole = list(occurrences(source.text, quote))
    if whole:
        position = min(whole, key=lambda p: (p < hint, abs(p - hint)))
        return [(0, len(quote), position, position + len(quote))]
    for lead in range(min(LEAD, len(quote))):
        probe = quote[lead : lead + PROBE]
        readings = []
        for position in occurrences(source.text, probe):
            pieces, restored = follow(quote, lead, source, position)
            if pieces is not None:
                readings.append(((restored, len(pieces), position < hint, abs(position - hint)), pieces))
        if readings:
            return min(readings)[1]
    return None


def occurrences(text, probe):
    position = text.find(probe)
    while position != -1:
        yield position
        position = text.find(probe, position + 1)


def follow(quote, at, source, position):
    """The pieces of the quote read from `position` on (its first piece starting there), and how many of
    its letters the source lacks; (None, n) where it lacks too many.

    After the first piece, the rest is aligned with what follows in the source (difflib's longest matching
    blocks, in order), so that a short piece near by is preferred to a longer one further on.
    """
    length = 0
    while at + length < len(quote) and position + length < len(source.text):
        if quote[at + length] != source.text[position + length]:
            break
        length += 1
    pieces = [(at, at + length, position, position + length)]
    cursor, rest = position + length, quote[at + length :]
    if rest:
        region = source.text[cursor : cursor + 3 * len(rest) + WINDOW]
        matcher = SequenceMatcher(None, rest, region, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            if size >= MIN_RUN or (size and a + size == len(rest)):
                start = at + length + a
                pieces.append((start, start + size, cursor + b, cursor + b + size))
    restored = len(quote) - sum(piece[1] - piece[0] for piece in pieces)
    if restored > MOST_RESTORED * len(quote):
        return None, restored
    return pieces, restored


def find_spans(quote_text, source, hint=0):
    """The spans of the source's raw text the quote is read from, or None where it cannot be found."""
    quote = Normalised(quote_text)
    if not quote.text:
        return None
    pieces = pieces_of(quote.text, source, hint)
    if pieces is None:
        return None
    groups = [[pieces[0]]]
    for piece in pieces[1:]:
        last = groups[-1][-1]
        if piece[2] - last[3] <= JOIN and piece[0] - last[1] <= JOIN:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    spans, previous_end = [], 0
    for index, group in enumerate(groups):
        next_start = groups[index + 1][0][0] if index + 1 < len(groups) else len(quote.text)
        restored = gaps(quote, [(p[0], p[1]) for p in group], previous_end, next_start)
        left_out = gaps(source, [(p[2], p[3]) for p in group])
        start, end = source.raw_span(group[0][2], group[-1][3])
        if index == 0:
            start = with_punctuation(source.raw, start, quote_text[: quote.offsets[0]], -1)
        if index == len(groups) - 1:
            end = with_punctuation(source.raw, end, quote_text[quote.offsets[-1] + 1 :], 1)
        spans.append(Span(start, end, restored, left_out))
        previous_end = group[-1][1]
    return spans


def with_punctuation(raw, offset, marks, direction):
    """The span's edge moved over the punctuation the quote opens or closes with ("(", "?", "”"), where the
    source prints the same there."""
    marks = marks.strip()
    if direction < 0:
        return offset - len(marks) if marks and raw[offset - len(marks) : offset] == marks else offset
    return offset + len(marks) if marks and raw[offset : offset + len(marks)] == marks else offset


def gaps(normalised, runs, before=None, after=None):
    """The raw text between runs of normalised characters (and before the first, after the last, from
    `before` to `after`, where given): what one text has that the other lacks."""
    bounds = [(a, b) for (_, a), (b, _) in zip(runs, runs[1:], strict=False)]
    if before is not None and runs[0][0] > before:
        bounds.insert(0, (before, runs[0][0]))
    if after is not None and after > runs[-1][1]:
        bounds.append((runs[-1][1], after))
    found = []
    for a, b in bounds:
        if b > a:
            start, end = normalised.raw_span(a, b)
            found.append(" ".join(normalised.raw[start:end].split()))
    return tuple(found)


def selectors(raw, span):
    """The W3C TextQuoteSelector and TextPositionSelector of a span of the raw text."""
    return {
        "exact": raw[span.start : span.end],
        "prefix": raw[max(0, span.start - CONTEXT) : span.start],
        "suffix": raw[span.end : span.end + CONTEXT],
    }


def describe_repairs(span):
    parts = [f"restores “{text}”" for text in span.restored]
    parts += [f"leaves out the extraction’s “{text}”" for text in span.left_out]
    return "; ".join(parts)


QUOTED_LABEL = re.compile(r"['‘“\"]([^'’”\"]{4,})['’”\"]")


def location_hint(location, source):
    """Where in the source (normalised) its location points: the first thing it quotes ('Slide 'X''),
    found in the source. 0 where it quotes nothing found."""
    for label in QUOTED_LABEL.findall(location or ""):
        position = source.text.find(Normalised(label).text)
        if position != -1:
            return position
    return 0


def anchors_of(record, source):
    """{field: spans or None} for each text the record quotes, anchored in the source (a Normalised)."""
    hint = location_hint(getattr(record, "source_location", ""), source)
    return {field: find_spans(text, source, hint) for field, text in record.quoted_texts() if text.strip()}


def problems(record):
    """{field: message} of the texts a record being saved quotes that its source's stored text does not hold:
    the editor is told on saving rather than the reader finding an orphan. Its own fields only (an
    activity's items are checked on their own forms)."""
    texts = [(f, getattr(record, f)) for f in record.QUOTED_FIELDS] if hasattr(record, "QUOTED_FIELDS") else []
    if not texts and hasattr(record, "quoted_texts"):
        texts = record.quoted_texts()
    try:
        source_id = source_id_of(record)
    except ObjectDoesNotExist:  # an item of an activity not yet saved
        return {}
    stored = stored_texts({source_id}).get(source_id) if source_id is not None else None
    if stored is None:
        return {}
    hint = location_hint(getattr(anchored(record), "source_location", ""), stored)
    return {
        field: gettext(
            "This text is not found in the stored text of its source, so its reader could not show where "
            "it is. Quote the source's words as it prints them (restoring a lost number or mending a few letters "
            "is fine), or correct the source."
        )
        for field, text in texts
        if text.strip() and find_spans(text, stored, hint) is None
    }


# -- the stored anchors -----------------------------------------------------------


def anchored(record):
    """The record the anchors of this record's text belong to: itself, or the one it is part of."""
    return record.anchored_record() if hasattr(record, "anchored_record") else record


def source_id_of(record):
    return getattr(anchored(record), "source_id", None)


def update(records, documents=()):
    """Rewrite the anchors of these records (and of the records they are part of), for the write path;
    `documents` are the search documents' (kind, pk) of deleted records, whose anchors go with them.
    Returns the search documents' (kind, pk) of the unrecorded stretches of their sources, old and new."""
    from lib.search.registry import KINDS

    keys = defaultdict(set)
    for record in records:
        target = anchored(record)
        if target is not None and target.pk is not None:
            keys[type(target)].add(target.pk)
    for kind, pk in documents:
        if kind in KINDS:
            keys[apps.get_model(KINDS[kind].model)].add(pk)
    sources = set()
    for model, pks in keys.items():
        if getattr(model, "QUOTED_FIELDS", ()):
            sources |= rewrite(model, pks)
    return rewrite_unrecorded(sources)


def rewrite(model, pks):
    """Rewrite the anchors of the model's records with these pks; the ids of the sources they were or are in."""
    anchor_model = configured_model("ANCHOR_MODEL")
    content_type = ContentType.objects.get_for_model(model)
    sources = set()
    for chunk in chunks(sorted(pks), 500):
        old = anchor_model.objects.filter(content_type=content_type, object_id__in=chunk)
        before = spans_by_source(old.values_list("source_id", "start", "end"))
        old.delete()
        records = list(model._default_manager.filter(pk__in=chunk).prefetch_related(*model.QUOTED_PREFETCH))
        texts = stored_texts({record.source_id for record in records})
        rows = [row for r in records if r.source_id in texts for row in build(r, texts[r.source_id], content_type)]
        anchor_model.objects.bulk_create(rows, batch_size=500)
        after = spans_by_source((row.source_id, row.start, row.end) for row in rows)
        # What no record quotes changes only where a span moved: an edit that leaves the quoted text alone
        # (a note, a theme) leaves the source's unrecorded stretches as they are.
        sources |= {source for source in before.keys() | after.keys() if before.get(source) != after.get(source)}
    return sources


def spans_by_source(rows):
    """{source id: sorted [(start, end)]} of (source id, start, end) rows."""
    spans = defaultdict(list)
    for source_id, start, end in rows:
        spans[source_id].append((start, end))
    return {source_id: sorted(found) for source_id, found in spans.items()}


def rewrite_unrecorded(source_ids):
    """Rewrite the stretches of these sources' texts no record quotes; their search documents' (kind, pk),
    the old ones' and the new ones'."""
    from lib.search.registry import kind_of

    if not source_ids:
        return set()
    model = configured_model("UNRECORDED_TEXT_MODEL")
    kind = kind_of(model)
    old = model.objects.filter(source__in=source_ids)
    keys = {(kind, pk) for pk in old.values_list("pk", flat=True)}
    old.delete()
    rows = []
    anchors = configured_model("ANCHOR_MODEL").objects.order_by("start", "end", "pk")
    for source_id, text in (
        configured_model("SOURCE_TEXT_MODEL").objects.filter(source__in=source_ids).values_list("source_id", "text")
    ):
        spans = anchors.filter(source=source_id).values_list("start", "end", "fragment", "url", "label")
        for part in reading(text, spans)["parts"]:
            if part["kind"] == "unrecorded":
                rows.append(model(source_id=source_id, start=part["start"], end=part["end"], text=part["text"]))
    created = model.objects.bulk_create(rows, batch_size=500)
    if not all(row.pk for row in created):  # a backend that gives no ids back
        created = model.objects.filter(source__in=source_ids)
    return keys | {(kind, row.pk) for row in created}


def rebuild(source_ids=None):
    """Every record's anchors written again (or those of the records citing these sources): after a source's
    stored text changed, or writes that bypassed the write path. Returns the search documents' (kind, pk)
    of the unrecorded stretches, for the caller's `content_changed`."""
    sources = set()
    for model in anchored_models():
        records = model._default_manager.all()
        if source_ids is not None:
            records = records.filter(source__in=source_ids)
        update_keys = set(records.values_list("pk", flat=True))
        if source_ids is None:
            content_type = ContentType.objects.get_for_model(model)
            configured_model("ANCHOR_MODEL").objects.filter(content_type=content_type).delete()
        sources |= rewrite(model, update_keys)
    if source_ids is None:
        sources |= set(configured_model("SOURCE_TEXT_MODEL").objects.values_list("source_id", flat=True))
    return rewrite_unrecorded(sources | set(source_ids or ()))


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stored_texts(source_ids):
    """{source id: Normalised} of the sources among these holding a stored text."""
    rows = configured_model("SOURCE_TEXT_MODEL").objects.filter(source_id__in=source_ids)
    return {source_id: Normalised(text) for source_id, text in rows.values_list("source_id", "text")}


def build(record, source, content_type):
    """The anchor rows of one record (unsaved), a row per span; a text not found gets none (an orphan)."""
    anchor_model = configured_model("ANCHOR_MODEL")
    rows = []
    for field, spans in anchors_of(record, source).items():
        for piece, span in enumerate(spans or ()):
            fragment = record.reader_fragment + (f"-{len(rows)}" if rows else "")
            rows.append(
                anchor_model(
                    content_type=content_type,
                    object_id=record.pk,
                    source_id=record.source_id,
                    field=field,
                    piece=piece,
                    start=span.start,
                    end=span.end,
                    repairs=describe_repairs(span),
                    url=record.get_absolute_url(),
                    label=str(record)[:300],
                    fragment=fragment,
                    **selectors(source.raw, span),
                )
            )
    return rows


def anchored_models():
    """The content models whose records quote their source."""
    from lib.content import content_models

    return [model for model in content_models() if getattr(model, "QUOTED_FIELDS", ())]


# -- reading a source beside its records ---------------------------------------------


def reading(raw, anchors):
    """The stored text cut into parts for its reader, and the share of it records cover.

    `anchors` are (start, end, fragment, url, label[, repairs]) in the order of their start. Overlapping spans make one
    passage: an element with the first span's fragment as its id, the others' ids inside it, and the
    records quoting it, each once. Between passages, text no record quotes is `unrecorded` (whitespace
    alone is `plain`). The share counts the characters inside at least one span over all, spaces left out.
    """
    parts, cursor, covered = [], 0, 0
    for passage in passages(anchors):
        start, end = passage["start"], passage["end"]
        if start > cursor:
            parts.append(gap(raw, cursor, start))
        passage["text"] = raw[start:end]
        covered += non_space(passage["text"])
        parts.append(passage)
        cursor = end
    if cursor < len(raw):
        parts.append(gap(raw, cursor, len(raw)))
    total = non_space(raw)
    return {"parts": parts, "covered": covered, "total": total, "share": covered / total if total else 0}


def passages(anchors):
    found = []
    for start, end, fragment, url, label, *repairs in anchors:
        if found and start < found[-1]["end"]:
            passage = found[-1]
            passage["end"] = max(passage["end"], end)
            passage["more"].append(fragment)
        else:
            passage = {"kind": "quoted", "start": start, "end": end, "fragment": fragment, "more": [], "records": []}
            found.append(passage)
        if all(record["url"] != url for record in passage["records"]):
            passage["records"].append({"url": url, "label": label, "repairs": []})
        record = next(record for record in passage["records"] if record["url"] == url)
        record["repairs"] += [repair for repair in repairs if repair and repair not in record["repairs"]]
    return found


def gap(raw, start, end):
    """Text between passages; only what holds a letter or digit is marked unrecorded (not a list's dot)."""
    text = raw[start:end]
    kind = "unrecorded" if any(char.isalnum() for char in text) else "plain"
    return {"kind": kind, "text": text, "start": start, "end": end, "fragment": f"text-{start}"}


def non_space(text):
    return sum(1 for char in text if not char.isspace())


def check(model):
    """[(record, message)] of the model's records whose quoted text is not found in its source's stored
    text (an orphan), or whose stored anchors are not the ones their text gives now."""
    anchor_model = configured_model("ANCHOR_MODEL")
    content_type = ContentType.objects.get_for_model(model)
    stored = defaultdict(set)
    rows = anchor_model.objects.filter(content_type=content_type)
    for pk, field, start, end in rows.values_list("object_id", "field", "start", "end"):
        stored[pk].add((field, start, end))
    records = model._default_manager.prefetch_related(*model.QUOTED_PREFETCH).order_by("pk")
    texts = stored_texts(set(records.values_list("source_id", flat=True)))
    found = []
    for record in records:
        if record.source_id not in texts:
            continue
        spans = anchors_of(record, texts[record.source_id])
        orphaned = [field for field, found_spans in spans.items() if found_spans is None]
        found += [
            (record, f"its {field} is not found in the stored text of its source (an orphan).") for field in orphaned
        ]
        now = {(field, s.start, s.end) for field, found_spans in spans.items() for s in found_spans or ()}
        if not orphaned and now != stored.get(record.pk, set()):
            found.append((record, "its stored anchors are not where its text is now: run anchor_records."))
    return found
