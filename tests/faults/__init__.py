"""Builds that are killed, run out of disk, run two at once, or are pointed
at a folder they must not replace: the previous site survives each."""
