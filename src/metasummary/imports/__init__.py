"""The import step: search-result files into sources, open-API searches, and exports.

Reach the parts through ``project.imports`` (:class:`Imports`, files), ``project.searches``
(:class:`Searches`, APIs) and ``project.exports`` (:class:`Exports`, records written out).
"""

from metasummary.imports.exports import Exports
from metasummary.imports.files import Imports
from metasummary.imports.search import Searches

__all__ = ["Exports", "Imports", "Searches"]
