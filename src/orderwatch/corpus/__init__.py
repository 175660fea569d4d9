"""Corpus scoring at scale: every document of a large collection scored with the words
stream's methods, partition by partition, in this process or on a Dask cluster; results
as partitioned Parquet, loadable as per-country-year positions of the words stream.

>>> from orderwatch.corpus import score_corpus, country_year_positions   # doctest: +SKIP
>>> score_corpus("statements/", "scored/", engine="dask", workers=2)        # doctest: +SKIP
>>> country_year_positions("scored/")                                      # doctest: +SKIP
"""

from orderwatch.corpus.load import country_year_positions, documents
from orderwatch.corpus.score import CorpusReport, score_corpus

__all__ = ["score_corpus", "country_year_positions", "documents", "CorpusReport"]
