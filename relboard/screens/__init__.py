"""The board's screens, one per file; they call services and never build queries."""
