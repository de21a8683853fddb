"""``python -m resetlab``: the same as the ``resetlab`` command."""

from resetlab.cli import main

if __name__ == "__main__":
    main()
