"""How batch work is cut into chunks: every item once, in order; the last round in smaller chunks."""

from __future__ import annotations

import pytest

from maas.batch.runner import CHUNKS_PER_WORKER, MAX_CHUNK, split


@pytest.mark.parametrize("n", [0, 1, 5, 17, 130, 1000, 10_000])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_chunks_hold_every_item_once_in_order_largest_first(n, workers):
    chunks = split(list(range(n)), workers)
    assert [x for chunk in chunks for x in chunk] == list(range(n))
    sizes = [len(c) for c in chunks]
    assert all(0 < s <= MAX_CHUNK for s in sizes)
    assert sizes == sorted(sizes, reverse=True)


def test_one_worker_gets_even_chunks_and_several_a_finer_last_round():
    one = [len(c) for c in split(list(range(1000)), 1)]
    assert one == [125] * CHUNKS_PER_WORKER
    two = [len(c) for c in split(list(range(1000)), 2)]
    assert two[0] == 63 and set(two[:13]) == {63}  # 1000 / (2 workers × 8)
    assert sum(two[13:]) >= 2 * 63 and max(two[13:]) == 16  # the last 2-3 chunks' worth, in quarters
