from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pipeline.exporting import export_fixtures
from pipeline.loading import FixtureError


class Command(BaseCommand):
    help = (
        "Write the knowledge base's content, as it is in the database, back into the YAML fixtures: each "
        "record in the file and place it came from, comments and wrapping kept, so that `git diff` shows "
        "exactly what editors changed. Records added in the admin go where their parent is."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the files (fixtures to update them in place).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the YAML files already in the directory (the loader reads every file in it, "
            "so old and new files must not be mixed).",
        )
        parser.add_argument(
            "--from",
            dest="template",
            default=None,
            help="The files whose layout the export keeps (default: the fixtures directory, GFMD_FIXTURES_DIR).",
        )

    def handle(self, *args, directory, replace, template, **options):
        directory = Path(directory)
        template = Path(template) if template else Path(settings.GFMD_FIXTURES_DIR)
        existing = sorted(directory.glob("*.yaml")) if directory.exists() else []
        if existing and not replace:
            raise CommandError(
                f"{directory} already holds {len(existing)} YAML files; choose an empty directory, "
                "or give --replace to replace them."
            )
        try:
            written = export_fixtures(template, directory)
        except FixtureError as error:
            raise CommandError(str(error)) from None
        for path in existing:
            if path.name not in written:
                path.unlink()
        self.stdout.write(f"Wrote {len(written)} files to {directory}/:")
        for name in written:
            self.stdout.write(f"  {name}")
