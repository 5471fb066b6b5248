from django.core.management.base import BaseCommand
from django.db import transaction

from lib import anchoring
from lib.caching import content_changed


class Command(BaseCommand):
    help = (
        "Anchor every record's quoted text again in its source's stored text, and write again the stretches "
        "of those texts no record quotes with their search documents. The site's writes keep the anchors in "
        "step; run this after writing to the database by other means (SQL, a restore). Safe to run at any time."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            content_changed(documents=anchoring.rebuild())
        self.stdout.write("Anchored every record again; check_content reports any orphan.")
