from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pipeline.exporting import write_fixtures


class Command(BaseCommand):
    help = (
        "Write the knowledge base's content, as it is in the database, as YAML fixtures in the format "
        "load_gfmd reads, so that editors' changes can be reviewed and committed."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the files.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the YAML files already in the directory first (the loader reads every file in it, "
            "so old and new files must not be mixed).",
        )

    def handle(self, *args, directory, replace, **options):
        directory = Path(directory)
        existing = sorted(directory.glob("*.yaml")) if directory.exists() else []
        if existing and not replace:
            raise CommandError(
                f"{directory} already holds {len(existing)} YAML files; choose an empty directory, "
                "or give --replace to delete them first."
            )
        for path in existing:
            path.unlink()
        written = write_fixtures(directory)
        self.stdout.write(f"Wrote {len(written)} files to {directory}/:")
        for name in written:
            self.stdout.write(f"  {name}")
