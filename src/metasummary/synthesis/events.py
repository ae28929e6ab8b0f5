"""The actions of the events the synthesis writes.

They change findings, themes, placements and extraction values, never a record, a link or a
decision, so the views of the screening (status counts, agreement, progress, conflicts) are
kept across them (:meth:`metasummary.Project.records_version`). An action missing here only
makes those views recomputed more often than needed, never kept too long.
"""

EVENT_PREFIXES = ("finding.", "findings.", "extraction.", "sort.", "coding.", "codebook.")
