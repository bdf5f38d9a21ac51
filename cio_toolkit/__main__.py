"""`python -m cio_toolkit`: the `cio-toolkit` command, where its script is not at hand."""

from .cli import main

raise SystemExit(main())
