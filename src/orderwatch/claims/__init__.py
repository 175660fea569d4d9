"""The claim ledger: empirical claims in YAML, tested against the data.

``seed.yaml`` holds the testable claims of the project's seed paper (Wang Junsheng,
"The Difference Between Chinese and American Security Order and The Construction of
Asian Security Order", CASS, 2025-01-04). Verdicts come from the data, whatever they
turn out to be; claims the bundled data cannot test are ``not_testable`` with a reason.
"""

from orderwatch.claims.data import ClaimData
from orderwatch.claims.evaluate import (
    VERDICTS, combine_verdicts, evaluate_claim, evaluate_ledger, seed_ledger, verdict_table,
)
from orderwatch.claims.ledger import load_ledger, parse_ledger

__all__ = ["VERDICTS", "ClaimData", "combine_verdicts", "evaluate_claim", "evaluate_ledger",
           "load_ledger", "parse_ledger", "seed_ledger", "verdict_table"]
