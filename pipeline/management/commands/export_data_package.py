from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gfmd import datapackage


class Command(BaseCommand):
    help = (
        "Write the whole knowledge base as its data package, the file /data/gfmd-knowledge-base.zip serves: "
        "datapackage.json, README.md (the codebook), CITATION.cff and one CSV per table, for a release or an "
        "archive. Each record's page_url starts with --base-url."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write gfmd-knowledge-base.zip.")
        parser.add_argument(
            "--base-url",
            required=True,
            help="The site's address, with no trailing slash (https://gfmd.example.org): the records' pages.",
        )

    def handle(self, *args, directory, base_url, **options):
        if not base_url.startswith(("http://", "https://")) or base_url.endswith("/"):
            raise CommandError(f"--base-url must be an http(s) address without a trailing slash, not {base_url!r}.")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{datapackage.ZIP_NAME}.zip"
        with open(path, "wb") as out:
            for chunk in datapackage.zip_chunks(base_url):
                out.write(chunk)
        tables = datapackage.tables(base_url)
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes): {len(tables)} tables.")
        for table in tables:
            self.stdout.write(f"  {table.path}: {table.row_count} rows")
