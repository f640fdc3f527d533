"""pvenum._memo.kept: the rule every model index relies on (rebuilt for a replaced or resized source)."""

from types import SimpleNamespace

from pvenum._memo import kept


def test_kept_rebuilds_for_a_replaced_or_resized_source_only():
    owner, calls = SimpleNamespace(), []

    def build(src):
        calls.append(list(src))
        return len(calls)

    a = [1, 2]
    assert kept(owner, "_x", a, build) == 1
    assert kept(owner, "_x", a, build) == 1  # same list, same length: remembered
    a.append(3)
    assert kept(owner, "_x", a, build) == 2  # grown in place
    assert kept(owner, "_x", [1, 2, 3], build) == 3  # an equal but different list
    assert kept(owner, "_y", a, build) == 4  # another slot is another memo
    assert calls == [[1, 2], [1, 2, 3], [1, 2, 3], [1, 2, 3]]
