"""How the stages of ``sitegen.core`` are run fast and small.

    runners.py    how the stages run: Serial, Pooled, Bounded, and choose_runner()
    parallel.py   worker processes: fork_map, the spool, the child that plans a large site
    cache.py      the build cache: one content-addressed store under .sitegen-cache/
    parsing.py    files parsed once: from the last build, the cache, or the workers
    fastmd.py     Markdown read by markdown-it.rs into the core's tree, where it can be trusted
    rendering.py  pages rendered once: from the last build, the cache, or the workers
    calendars.py  the calendars, from the cache or the workers
    pictures.py   the pictures' smaller copies, made once and kept in the cache
    bodies.py     article bodies kept on disk rather than in memory
    publish.py    the write stage: picture copies, files, search index, the site put in place
    write.py      the atomic write of the output folder, and its safety check
    uptodate.py   whether the output is already what a build would write
    incremental.py  what a build hands the next in one process; the preview's quick path

The engine may import the core; the core never imports the engine.
"""
