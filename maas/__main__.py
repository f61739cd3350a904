"""``python -m maas`` runs the command line."""

from maas.cli.main import main

main()
