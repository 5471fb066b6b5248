import time

from django.core.management.base import BaseCommand
from django.db import transaction

from lib import related
from lib.caching import content_changed


class Command(BaseCommand):
    help = (
        "Compute again every record's related records (by wording) from the search documents, with a fresh "
        "vocabulary. Saves keep the lists in step under the last vocabulary; run this after loading or writing "
        "by other means, and now and then to take in new words. Safe to run at any time."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("Related records:")
        with transaction.atomic():
            total = related.rebuild(self.stdout)
            # The pages show the lists: a new revision, as for any change of what they show.
            content_changed()
        self.stdout.write(f"Related records of {total} records computed in {time.monotonic() - started:.1f} s.")
