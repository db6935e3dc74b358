"""The `srmt` console script: the same commands as manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")
    from django.core.management import execute_from_command_line

    # `srmt import-cases` reads better than import_cases; Django names commands by module.
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
