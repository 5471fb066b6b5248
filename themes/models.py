from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.models import LONG_TEXT, Versioned
from lib.vocabulary import Translated


class Theme(Translated, Versioned):
    """A cross-year subject area, curated by the knowledge base's editors; its name and description in the
    Forum's three languages (themes/translation.py)."""

    slug = models.SlugField(max_length=80, unique=True, help_text=_("Used in links: /themes/<slug>/."))
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(max_length=LONG_TEXT, help_text=_("Two or three sentences: what the theme covers."))
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order in lists of themes."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themes:detail", kwargs={"slug": self.slug})
