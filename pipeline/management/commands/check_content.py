from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from pipeline.checks import coverage_lines, find_problems


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    pass


class Command(BaseCommand):
    help = """\
Check the content in the database and print one line per problem, naming the
record and its page in the admin. Exits with an error if any problem is found.

- Provenance: every meeting, roundtable, session, milestone, event, passage,
  recommendation, section and proposed activity says where in its source it comes from
  (the database already requires the source itself).
- Proposed activities have at least one objective and one GMG member.
- Roundtables, sessions, top-level recommendations and proposed activities
  are linked to at least one theme.
- Numbering:
  - a session's number is N.n, N being its roundtable's number, and is used
    once in the roundtable. Where every numbered session of a roundtable comes
    from a document transcribed in full, the numbers run N.1, N.2... without a
    gap. Web pages and the fragment of the Mauritius 2012 concept paper give
    only some sessions, so their lists may start later or skip (2.2 without
    2.1);
  - sections are lettered a, b, c... without a gap in each roundtable;
  - activities, sub-activities, objectives, milestones and recommendations
    have positions 1..n in their list;
  - in each list of recommendations (same meeting, track, roundtable,
    session, kind and parent) either no item is numbered or every item is,
    running 1, 2, 3..., a, b, c... or i, ii, iii... without a gap or a
    duplicate; a list printed under several headings may restart under each.
- A number or letter the source does not print is marked restored
  (number_restored), and its source location says "restored"; a source
  location that says so belongs to a record marked restored.
- Coverage: a meeting whose sessions (or recommendations) are "not in our
  sources" holds none as held; the number of sessions held, where known, is
  not below the number it holds.
- Text shows no extraction damage: a word split by the extraction ("Countri
  es"), doubled spaces, a space before punctuation, a hyphen at a line end or
  followed by a space (except in "low- and high-skilled"), a line that is
  only a number, a footnote marker glued to a word ("migrants3 and"), bullet
  characters, PDF artefacts, spaces at a line end or around a text.
- Anchors: every text a record quotes is found in the stored text of its
  source (0 orphans), where its stored anchors say.

With --coverage it first prints, for each source whose text is stored, the
share of that text the records cover (characters inside at least one
record's span, over all characters, spaces left out).
"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--coverage", action="store_true", help="Print the share of each stored text records cover."
        )

    def handle(self, *args, coverage=False, **options):
        if coverage:
            for line in coverage_lines():
                self.stdout.write(line)
        problems, records = find_problems()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            noun = "problem" if len(problems) == 1 else "problems"
            raise CommandError(f"{len(problems)} {noun} found in {records} records.")
        self.stdout.write(f"No problems found in {records} records.")
