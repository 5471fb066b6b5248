from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gfmd.loading import FixtureError, Loader, fixture_paths


class Command(BaseCommand):
    help = (
        "Load the knowledge base's content from the YAML files in fixtures/ into a migrated database. "
        "Safe to run again: records already as the files describe them are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            help="Load only these content files (plus the shared sources, themes, GMG members and meetings).",
        )

    def handle(self, *args, files, **options):
        try:
            paths = fixture_paths(settings.GFMD_FIXTURES_DIR, files)
            stats = Loader().load(paths)
        except FixtureError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {len(paths)} files from {settings.GFMD_FIXTURES_DIR.name}/:")
        for name, counts in stats.items():
            self.stdout.write(
                f"  {name}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
