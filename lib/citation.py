"""Citations of any record: one description, written as text, BibTeX, RIS, CSL-JSON and citation_* meta tags.

One model for every kind of record (docs/citing.md):

- the **item** is the record as the knowledge base publishes it: its title, its
  address and the day it was read, published by the knowledge base;
- its **container** (`Document`) is the source document it quotes, with the
  issuer, place and date the document bears, and where in it;
- its **event** (`Occasion`) is what the record is of: a meeting and its track
  (dated as that track was held), a plan or a draft (dated as the plan or the
  draft, and saying "planned" or "draft"), or another event, cited as itself
  with its organiser.

A date is one a source bears; a document that bears none is "undated", with
our reading of when it was written in brackets where we have one. Every format
gives the item as a report (Zotero, BibTeX's techreport, RIS's RPRT, CSL's
report), never as a journal article. Each model says, in its `citation()`
method, what its records' parts are; the writers below only format that one
description, so the formats cannot disagree.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

from lib.links import absolute
from lib.vocabulary import english

FORUM = "Global Forum on Migration and Development"
GMG = "Global Migration Group"
PUBLISHER = "GFMD Knowledge Base"

# What an occasion is: the record's event.
HELD, PLANNED, PROPOSED, DRAFT, OTHER_EVENT = "held", "planned", "proposed", "draft", "other-event"

# ?format= value: (media type, file extension).
FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


@dataclass(frozen=True)
class DateSpan:
    """The days a source gives for something, or none: then "undated", with our reading in brackets."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    supplied: str = ""  # our reading of when an undated document was written: "late 2007"

    @property
    def last(self):
        return self.end or self.start

    @property
    def text(self):
        if self.start is None:
            return "undated" + (f" [{self.supplied}]" if self.supplied else "")
        start, end = self.start, self.last
        if start == end:
            return day(start)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}-{day(end)}"
        if start.year == end.year:
            return f"{start.day} {start:%B} - {day(end)}"
        return f"{day(start)} - {day(end)}"

    def parts(self):
        """CSL date-parts: one day, or the first and last of a span."""
        days = [self.start] if self.last == self.start else [self.start, self.last]
        return {"date-parts": [[d.year, d.month, d.day] for d in days]}


def day(date):
    return f"{date.day} {date:%B %Y}"


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAYS = re.compile(rf"(\d{{1,2}})(?: ({MONTHS}))?(?: (\d{{4}}))?\s*[-–]\s*(\d{{1,2}}) ({MONTHS}) (\d{{4}})")
ONE_DAY = re.compile(rf"(\d{{1,2}}) ({MONTHS}) (\d{{4}})")


def span_of(text):
    """The days a source's words give ("8-9 September 2008", "9 July 2007"); undated where they give none."""
    text = " ".join((text or "").split())
    if match := DAYS.fullmatch(text):
        first, first_month, first_year, last, month, year = match.groups()
        end = datetime.datetime.strptime(f"{last} {month} {year}", "%d %B %Y").date()
        start = datetime.datetime.strptime(f"{first} {first_month or month} {first_year or year}", "%d %B %Y").date()
        return DateSpan(start, end) if start <= end else DateSpan()
    if match := ONE_DAY.fullmatch(text):
        return DateSpan(datetime.datetime.strptime(text, "%d %B %Y").date())
    return DateSpan()


@dataclass(frozen=True)
class Document:
    """The container: the source document a record quotes, as the document names its issuer, place and date."""

    title: str
    kind: str = ""  # what it is: "presentation", "report"
    issuer: str = ""
    place: str = ""
    dated: DateSpan = field(default_factory=DateSpan)
    url: str = ""
    location: str = ""  # where in it the record is

    @property
    def text(self):
        parts = [self.issuer, f"“{self.title},”", self.kind, self.place, self.dated.text, self.url, self.location]
        return ", ".join(p for p in parts if p).replace(",”,", ",”")


def document_of(record, location=None):
    """A record's source document, with where in it the record is."""
    source = record.source
    return Document(
        title=source.title,
        kind=source.get_kind_display().lower(),
        issuer=source.issuer,
        place=source.place,
        dated=DateSpan(source.date, source.date, source.date_supplied),
        url=source.url,
        location=record.source_location if location is None else location,
    )


@dataclass(frozen=True)
class Occasion:
    """The event: the meeting and track a record is of, the plan or draft it is of, or another event."""

    kind: str  # HELD, PLANNED, PROPOSED, DRAFT or OTHER_EVENT
    name: str  # "GFMD 2009, Athens, Civil Society Days, Roundtable 1"; another event's own title
    dated: DateSpan = field(default_factory=DateSpan)
    place: str = ""  # another event's place; a meeting's is in its name
    organiser: str = ""
    reported_beside: str = ""  # another event: the meeting its source reports it beside

    @property
    def text(self):
        if self.kind == OTHER_EVENT:
            text = self.name + (f", {self.place}" if self.place else "") + f" ({self.dated.text})"
            text += f", organiser: {self.organiser}" if self.organiser else ", organiser not named"
            return text + (f"; reported beside {self.reported_beside}" if self.reported_beside else "")
        if self.kind == HELD:
            return f"{self.name} ({self.dated.text})"
        return f"{self.name} ({self.kind}, {self.dated.text})"

    @property
    def title(self):
        """As CSL's event-title: the name, with the plan or draft it is."""
        return self.name if self.kind in (HELD, OTHER_EVENT) else f"{self.name} ({self.kind})"


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    genre: str  # what the record is: "Recommendation", "Draft key message", "Presentation"
    url: str
    accessed: datetime.date
    author: str = ""  # the body whose record it is, where a source names it
    issued: DateSpan = field(default_factory=DateSpan)
    occasion: Occasion | None = None
    document: Document | None = None
    # Who publishes the item and where: the knowledge base, or, for a source document cited as itself, its issuer.
    publisher: str = PUBLISHER
    place: str = ""
    online: str = ""  # a source document cited as itself: where the public reads it
    links: tuple = ()  # the editors' links of the record, as notes: "Restates: <the record it restates>"

    @property
    def described(self):
        """What the record is and of what, with its date: "Recommendation, GFMD 2009, ... (2-3 November 2009)"."""
        if self.occasion is not None:
            return f"{self.genre}, {self.occasion.text}"
        return ", ".join(p for p in (self.genre, self.place, self.issued.text, self.online) if p)

    @property
    def notes(self):
        """The event and the container, for the formats that have no field for them."""
        parts = [self.described]
        if self.document is not None:
            parts.append(f"In {self.document.text}")
        parts.extend(self.links)
        return ". ".join(parts) + "."

    @property
    def plain(self):
        parts = [f"{self.author}." if self.author else "", f"“{self.title}.”", self.notes]
        parts.append(f"{PUBLISHER}, {self.url} (accessed {day(self.accessed)}).")
        return " ".join(p for p in parts if p)

    @property
    def bibtex(self):
        dated = self.issued.start is not None
        fields = [
            ("author", f"{{{latex(self.author)}}}" if self.author else None),
            ("title", f"{{{latex(self.title)}}}"),
            ("type", latex(self.genre)),
            ("institution", latex(self.publisher)),
            ("address", latex(self.place) if self.place else None),
            ("year", str(self.issued.start.year) if dated else None),
            ("date", date_range(self.issued) if dated else None),
            ("note", latex(self.notes)),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@techreport{{{self.key},\n{body}\n}}"

    @property
    def ris(self):
        start = self.issued.start
        lines = [
            ("TY", "RPRT"),
            ("AU", self.author),
            ("TI", self.title),
            ("M3", self.genre),
            ("PB", self.publisher),
            ("CY", self.place),
            ("PY", str(start.year) if start else None),
            ("DA", f"{start:%Y/%m/%d}" if start else None),
            ("UR", self.url),
            ("Y2", f"{self.accessed:%Y/%m/%d}"),
            ("N1", self.notes),
        ]
        # RIS is line-based: a value never spans lines.
        text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
        return text + "ER  - \r\n"

    @property
    def csl(self):
        item = {
            "id": self.key,
            "type": "report",
            "title": self.title,
            "genre": self.genre,
            "publisher": self.publisher,
            "URL": self.url,
            "accessed": DateSpan(self.accessed).parts(),
            "note": self.notes,
        }
        if self.author:
            item["author"] = [{"literal": self.author}]
        if self.place:
            item["publisher-place"] = self.place
        if self.issued.start is not None:
            item["issued"] = self.issued.parts()
        if self.document is not None:
            item["container-title"] = self.document.title
        if self.occasion is not None:
            item["event-title"] = self.occasion.title
            if self.occasion.place:
                item["event-place"] = self.occasion.place
            if self.occasion.dated.start is not None:
                item["event-date"] = self.occasion.dated.parts()
        return item

    @property
    def meta_tags(self):
        """Highwire Press tags, which Zotero and Google Scholar read. An institution makes Zotero's embedded
        metadata translator import a report; a title alone would make it guess a journal article."""
        tags = [("citation_title", self.title)]
        if self.author:
            tags.append(("citation_author", self.author))
        tags += [
            ("citation_technical_report_institution", self.publisher),
            ("citation_publisher", self.publisher),
            ("citation_public_url", self.url),
        ]
        if self.issued.start is not None:
            tags.append(("citation_date", f"{self.issued.start:%Y/%m/%d}"))
        return tags


def date_range(span):
    """An ISO 8601 date or interval, as biblatex's date field takes it."""
    if span.last == span.start:
        return span.start.isoformat()
    return f"{span.start.isoformat()}/{span.last.isoformat()}"


LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex(text):
    return re.sub(r"[\\{}&%$#_~^]", lambda m: LATEX_SPECIALS[m.group()], text)


def short(text, words=12):
    return Truncator(" ".join(text.split())).words(words)


def printed(number, restored):
    """A number as the source prints it; one it does not print, restored by counting, in brackets."""
    return f"[{number}]" if number and restored else number


def for_record(request, record):
    """The citation of a record whose model says how it is cited: its `citation()` gives every field of
    a Citation but the page's address and the day it was accessed."""
    # Citations cite the English source at its English address, whatever the page's language: one
    # citation of a record, as its source gives it (Manila, not Manille).
    with english():
        url = absolute(record.get_absolute_url())
        return Citation(url=url, accessed=timezone.localdate(), **record.citation())


# What a page that offers its citation as a download reads.
FORMAT_PARAMETERS = ("format",)


def respond(request, citation):
    """The citation as a download when ?format= asks for one; None for the page; a 400 for anything else."""
    wanted = request.GET.get("format")
    if wanted in (None, "", "html"):
        return None
    if wanted not in FORMATS:
        names = ", ".join(FORMATS)
        message = gettext("format must be one of {formats}, or left out.").format(formats=names)
        return render(request, "400.html", {"message": message}, status=400)
    content_type, extension = FORMATS[wanted]
    if wanted == "bibtex":
        body = citation.bibtex + "\n"
    elif wanted == "ris":
        body = citation.ris
    else:
        body = json.dumps([citation.csl], ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{extension}"'
    return response
