from __future__ import annotations

from sitegen.cli import main

raise SystemExit(main())
