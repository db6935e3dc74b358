#!/usr/bin/env python
"""Django's command-line utility for SRMT (the same as the `srmt` console script)."""

from srmt.__main__ import main

if __name__ == "__main__":
    main()
