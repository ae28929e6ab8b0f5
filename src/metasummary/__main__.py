"""``python -m metasummary`` runs the CLI."""

from metasummary.cli import main

raise SystemExit(main())
