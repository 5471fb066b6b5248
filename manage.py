#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gfmd.settings")
    from gfmd.env import load_env_file

    # Development defaults from .env or .env.example, so that commands run outside make too.
    load_env_file(Path(__file__).resolve().parent)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
