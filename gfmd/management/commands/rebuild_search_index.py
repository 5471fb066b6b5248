import time

from django.core.management.base import BaseCommand
from django.db import transaction

from lib import related, search
from lib.caching import content_changed


class Command(BaseCommand):
    help = (
        "Build the search index again from the records: one document per record and entity, and the records "
        "related by their wording, which are computed from them. "
        "The site's writes keep it in step; run this after writing to the database by other means (SQL, a restore). "
        "Safe to run at any time."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("Search documents:")
        with transaction.atomic():
            total = search.rebuild(self.stdout)
            # Computed from the documents' words.
            related.rebuild(self.stdout)
            content_changed()
        search.vacuum()
        self.stdout.write(f"Built {total} search documents in {time.monotonic() - started:.1f} s.")
