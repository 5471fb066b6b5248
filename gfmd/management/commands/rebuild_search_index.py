import time

from django.core.management.base import BaseCommand

from lib import search


class Command(BaseCommand):
    help = (
        "Build the search index again from the records: one document per record and entity. "
        "Saves keep it in step; run this after writing to the database by other means (SQL, a restore). "
        "Safe to run at any time."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("Search documents:")
        total = search.rebuild(self.stdout)
        search.vacuum()
        self.stdout.write(f"Built {total} search documents in {time.monotonic() - started:.1f} s.")
