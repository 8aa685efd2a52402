"""Entry point for ``python -m mda_coder``."""

from mda_coder.cli import main

if __name__ == "__main__":
    main()
