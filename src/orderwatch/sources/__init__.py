"""One module per family of datasets; each turns bundled raw files into tidy store tables.

Every function here returns a DataFrame with exactly the columns of its store table
(docs/ARCHITECTURE.md); none touches the store.
"""
