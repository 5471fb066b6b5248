from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pipeline.loading import FixtureError, Loader, fixture_paths

WHAT = {"changed": "changed", "deleted": "deleted", "added": "added"}


class Command(BaseCommand):
    help = (
        "Load the knowledge base's content from the YAML files in fixtures/ into a migrated database. "
        "Safe to run again, and beside editors: records already as the files describe them are left alone, "
        "and so is every record an editor has changed, moved, added or deleted since it was loaded, "
        "unless --force is given. Records the files no longer hold are removed (only when every file is loaded)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            help="Load only these content files (plus the shared sources, themes, GMG members and meetings).",
        )
        parser.add_argument(
            "--fixtures",
            default=None,
            help="The directory to load (default: the fixtures directory, GFMD_FIXTURES_DIR); "
            "an export_gfmd directory restores what was exported.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace records editors have changed since they were loaded with what the files say, and list them.",
        )

    def handle(self, *args, files, force, fixtures, **options):
        directory = Path(fixtures) if fixtures else Path(settings.GFMD_FIXTURES_DIR)
        loader = Loader(force=force)
        try:
            paths = fixture_paths(directory, files)
            stats = loader.load(paths, complete=not files)
        except FixtureError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {len(paths)} files from {directory.name}/:")
        for name, counts in stats.items():
            line = (
                f"  {name}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
            )
            if counts["deleted"]:
                line += f", {counts['deleted']} deleted as the files no longer hold them"
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

    def list_records(self, outcomes):
        seen = set()
        for outcome in outcomes:
            key = (outcome.model, outcome.pk)
            if key in seen:
                continue
            seen.add(key)
            edits = outcome.model.history.filter(id=outcome.pk).exclude(history_user=None)
            last = edits.select_related("history_user").order_by("-history_date", "-history_id").first()
            by = ""
            if last is not None and outcome.what != "refers":
                user, date = last.history_user.get_username(), f"{last.history_date:%Y-%m-%d %H:%M}"
                by = f", {WHAT[outcome.what]} by {user} on {date}"
            elif outcome.what not in ("changed", "refers"):
                by = f", {WHAT[outcome.what]}"
            if outcome.what == "added":
                by += ", not in the files"
            self.stdout.write(f"  {outcome.model._meta.verbose_name} {outcome.pk}: {outcome.label}{by}")
