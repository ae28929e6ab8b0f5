"""Everything metasummary writes for people and other programs, written so that nothing is
ever half-written: staged under a temporary name and renamed into place (:mod:`.staging`),
folders with a manifest (:mod:`.manifest`), temporaries of killed runs cleaned up
(:mod:`.sweep`), and tables that spreadsheet programs read as text, never as formulas
(:mod:`.spreadsheet`)."""
