"""The import step: search-result files into sources, open-API searches, and exports.

Reached through ``project.imports`` (:class:`~.files.Imports`, files), ``project.searches``
(:class:`~.search.Searches`, APIs) and ``project.exports`` (:class:`~.exports.Exports`,
records written out with :mod:`.writers`). Nothing is imported here, so a face that needs
one part does not load the others.
"""
