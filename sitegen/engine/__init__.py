"""How the stages of ``sitegen.core`` are run fast and small.

    parallel.py   worker processes: fork_map, the spool, the child that plans a large site
    cache.py      the build cache: one content-addressed store under .sitegen-cache/
    bodies.py     article bodies kept on disk rather than in memory
    write.py      the atomic write of the output folder, and its safety check
    uptodate.py   whether the output is already what a build would write
    preview.py    the live preview's quick path for an edited article

The engine may import the core; the core never imports the engine.
"""
