from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pipeline.loading import FixtureError, Loader, fixture_paths


class Command(BaseCommand):
    help = (
        "Load the knowledge base's content from the YAML files in fixtures/ into a migrated database. "
        "Safe to run again: records already as the files describe them are left alone, and so is every "
        "record an editor has changed since it was loaded, unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            help="Load only these content files (plus the shared sources, themes, GMG members and meetings).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace records editors have changed since they were loaded with what the files say, and list them.",
        )

    def handle(self, *args, files, force, **options):
        loader = Loader(force=force)
        try:
            paths = fixture_paths(settings.GFMD_FIXTURES_DIR, files)
            stats = loader.load(paths)
        except FixtureError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {len(paths)} files from {settings.GFMD_FIXTURES_DIR.name}/:")
        for name, counts in stats.items():
            line = (
                f"  {name}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
            )
            if counts["kept"]:
                line += f", {counts['kept']} kept as an editor changed them"
            self.stdout.write(line)
        if loader.kept:
            self.stdout.write(
                self.style.WARNING(
                    "Kept these records as editors changed them since they were loaded "
                    "(export_gfmd writes them to the files; --force replaces them with the files' version):"
                )
            )
            self.list_records(loader.kept)
        if loader.replaced:
            self.stdout.write(self.style.WARNING("Replaced these records editors had changed:"))
            self.list_records(loader.replaced)

    def list_records(self, records):
        seen = set()
        for record, label in records:
            key = (type(record), record.pk)
            if key in seen:
                continue
            seen.add(key)
            edits = record.history.exclude(history_user=None).select_related("history_user")
            last = edits.order_by("-history_date", "-history_id").first()
            by = ""
            if last is not None:
                by = f", changed by {last.history_user.get_username()} on {last.history_date:%Y-%m-%d %H:%M}"
            self.stdout.write(f"  {record._meta.verbose_name} {record.pk}: {label}{by}")
