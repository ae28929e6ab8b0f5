from __future__ import annotations

import pytest

from metasummary import embeddings


@pytest.mark.slow
def test_packaged_model_loads_offline_and_ranks_by_meaning() -> None:
    if not embeddings.available():
        pytest.skip("the semantic extra is not installed")
    encoder = embeddings.load_encoder()
    vectors = encoder.encode(
        [
            "Testing ML models is hard without a specification.",
            "There is no clear oracle to test machine learning components.",
            "Customers expect a perfect AI that makes no mistakes.",
        ]
    )
    assert vectors.shape == (3, 384)
    similar = float(vectors[0] @ vectors[1])
    different = float(vectors[0] @ vectors[2])
    assert similar > different
