"""Citations of any record: one description, written as text, BibTeX, RIS, CSL-JSON and citation_* meta tags.

Each model that can be cited says, in its `citation()` method, who is a
record's author, what it is called, what it belongs to and when it was issued;
the writers below only format that one description, so the formats cannot
disagree.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator

from lib.links import absolute

FORUM = "Global Forum on Migration and Development"
GMG = "Global Migration Group"
PUBLISHER = "GFMD Knowledge Base"

# ?format= value: (media type, file extension).
FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    author: str
    container: str
    issued: datetime.date | None
    url: str
    accessed: datetime.date
    source: str
    # CSL item type; the BibTeX and RIS types follow from it.
    kind: str = "webpage"
    extra: dict = field(default_factory=dict)

    @property
    def plain(self):
        year = f" {self.issued.year}." if self.issued else ""
        source = f" Source: {self.source}." if self.source else ""
        return (
            f"{self.author}.{year} “{self.title}.” {self.container}.{source} "
            f"{PUBLISHER}, {self.url} (accessed {self.accessed.day} {self.accessed:%B %Y})."
        )

    @property
    def bibtex(self):
        fields = [
            ("author", f"{{{latex(self.author)}}}"),
            ("title", f"{{{latex(self.title)}}}"),
            ("howpublished", latex(self.container)),
            ("year", str(self.issued.year) if self.issued else None),
            ("date", self.issued.isoformat() if self.issued else None),
            ("publisher", latex(PUBLISHER)),
            ("note", latex(f"Source: {self.source}") if self.source else None),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@misc{{{self.key},\n{body}\n}}"

    @property
    def ris(self):
        lines = [
            ("TY", "ELEC" if self.kind == "webpage" else "GEN"),
            ("AU", self.author),
            ("TI", self.title),
            ("T2", self.container),
            ("PY", str(self.issued.year) if self.issued else None),
            ("DA", f"{self.issued:%Y/%m/%d}" if self.issued else None),
            ("PB", PUBLISHER),
            ("UR", self.url),
            ("Y2", f"{self.accessed:%Y/%m/%d}"),
            ("N1", f"Source: {self.source}" if self.source else None),
        ]
        # RIS is line-based: a value never spans lines.
        text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
        return text + "ER  - \r\n"

    @property
    def csl(self):
        item = {
            "id": self.key,
            "type": self.kind,
            "title": self.title,
            "author": [{"literal": self.author}],
            "container-title": self.container,
            "publisher": PUBLISHER,
            "URL": self.url,
            "accessed": date_parts(self.accessed),
        }
        if self.source:
            item["note"] = f"Source: {self.source}"
        if self.issued:
            item["issued"] = date_parts(self.issued)
        return item

    @property
    def meta_tags(self):
        """Highwire Press tags, which Zotero and other reference managers read."""
        tags = [
            ("citation_title", self.title),
            ("citation_author", self.author),
            ("citation_publisher", PUBLISHER),
            ("citation_public_url", self.url),
        ]
        if self.issued:
            tags.append(("citation_publication_date", f"{self.issued:%Y/%m/%d}"))
        return tags


def date_parts(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


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


def where(record):
    source = record.source
    return source.title + (f", {record.source_location}" if record.source_location else "")


def for_record(request, record):
    """The citation of a record whose model says how it is cited: its `citation()` gives every field of
    a Citation but the page's address and the day it was accessed."""
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
        return render(request, "400.html", {"message": f"format must be one of {names}, or left out."}, status=400)
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
