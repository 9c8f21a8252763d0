"""Which reports make a development one of conflicting reports: a report that says another report is wrong."""
from __future__ import annotations

import pytest

from monitor.engine import contradicts


@pytest.mark.parametrize("text", [
    "Correction: an earlier version of this article said a gas contract had been signed in Moscow; no contract was "
    "signed.",
    "An earlier version of this story reported that the two leaders had agreed a price; they did not.",
    "Beijing on Monday denied a report that it planned to send peacekeepers to Ukraine.",
    "The Kremlin dismissed as fiction a newspaper report that Xi had warned Putin against nuclear threats.",
    "Peskov rejected Western media reports that the talks had ended without agreement on gas.",
    # the verdict between the verb and the report it denies
    "The envoy dismissed as 'at odds with what was said' a Financial Journal report that he had proposed a truce.",
    "Contrary to earlier reports, no agreement on the pipeline's price was reached.",
    "That was wrong: no agreement on the project was signed.",
])
def test_a_denial_or_a_retraction_contradicts_another_report(text: str) -> None:
    assert contradicts(text)


@pytest.mark.parametrize("text", [
    # a dispute between the parties, not between reports
    "China's foreign ministry rejected the accusation as groundless.",
    "Beijing called the claims baseless and said it had never supplied weapons to either side.",
    # a correction of a slip changes no claim
    "Correction: an earlier version of this article misspelled the name of the Kremlin spokesman.",
    "Correction: an earlier version of this article said Xi left Moscow on Tuesday.",
    # not denying, and plain negation, are no contradiction
    "Putin did not deny the reports when asked about them at his news conference.",
    "Xi did not mention the pipeline, and no contract was signed.",
    "Putin has not commented on the warrant.",
    "'That was wrong,' Blinken said of the decision to hold the talks in Moscow.",
])
def test_disputes_slips_and_negations_do_not(text: str) -> None:
    assert not contradicts(text)
