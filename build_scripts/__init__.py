"""Press-dossier publication pipeline: seeds/ (text + YAML) -> Markdown in docs/ -> MkDocs site."""
