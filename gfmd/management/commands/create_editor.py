import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

ROLES = {"editor": "Secretariat editor", "admin": "Secretariat admin"}
PASSWORD_VARIABLE = "GFMD_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a secretariat account that can sign in to the admin: an editor (adds and corrects records) "
        "or, with --role admin, a secretariat admin (also deletes records and manages accounts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help=f"Take the password from the {PASSWORD_VARIABLE} environment variable instead of asking for it.",
        )

    def handle(self, *args, username, email, first_name, last_name, role, no_input, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account named {username!r}.")
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError(f"The role {ROLES[role]!r} is missing; run `manage.py migrate` first.") from None
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, is_staff=True)
        password = self.read_password(no_input)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(f"Created {username} as a {ROLES[role].lower()}; they can sign in at /admin/.")

    def read_password(self, no_input):
        if no_input:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"Set {PASSWORD_VARIABLE} to the new account's password.")
            return password
        if not sys.stdin.isatty():
            # getpass would read the password from whatever is piped in, or fail at its end.
            raise CommandError(
                f"There is no terminal to ask for the password on: set {PASSWORD_VARIABLE} to the new account's "
                "password and add --no-input."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
