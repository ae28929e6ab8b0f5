"""The built-in example review: a miniature of the CAIN 2023 meta-summary.

``data`` reads its files (``cain2023/``, described in the README there) into plain values;
``demo`` runs them through the whole pipeline (``metasummary demo``). Nothing is imported
here, so reading the data does not load the pipeline.
"""
