"""The stages of a build and the values they hand each other.

Each stage is a module named after what it makes, and takes the value of
the stage before it:

    load     site folder  -> Sources    load.py
    parse    Sources      -> documents  parse.py, records.py; markdown.py -> mdtree.py
    resolve  documents    -> Site       resolve.py, events.py
    plan     Site         -> pages      plan.py, plan_records.py, plan_timeline.py, pages.py
    render   a page       -> HTML       render.py, over theme.py and i18n.py
    outputs  Site, pages  -> files      feeds.py, ics.py, sitemap.py, search.py, images.py

Below them: the settings (config.py), the values (model.py), problems
(diagnostics.py, messages.py over messages.json) and text and YAML helpers (text.py,
textfile.py, yamldoc.py, fields.py).

Everything here runs in one process and never imports ``sitegen.engine``:
how the stages are run fast or small (worker processes, the build cache,
spooling, the atomic write) is the engine's business, not theirs.
"""
