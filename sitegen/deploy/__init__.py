"""Publishing a built site to object storage or a server over SSH,
uploading only what changed (``sitegen deploy``)."""
