from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from verifier.sandbox.values import decode, dumps, encode, loads


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        -7,
        2**200,
        "héllo",
        1.5,
        [1, [2, [3]]],
        {1, 2, 3},
        set(),
        {frozenset({1, 2}), frozenset()},
        Counter({"a": 2, "b": 1}),
        {1: "one", 2: "two"},
        {(1, 2): [3]},
        {"plain": {"nested": [1]}},
        {"$set": 1},  # a real dict whose key looks like a tag
        b"\x00\xff",
    ],
)
def test_round_trip_through_json_text(value: object) -> None:
    assert loads(dumps(value)) == value


def test_encodings_are_the_documented_tags() -> None:
    assert encode((1, 2)) == [1, 2]
    assert encode((1, 2), tag_tuples=True) == {"$tuple": [1, 2]}
    assert encode({3, 1, 2}) == {"$set": [1, 2, 3]}
    assert encode(Counter([2, 1, 2])) == {"$multiset": [1, 2, 2]}
    assert encode({2: "b", 1: "a"}) == {"$map": [[1, "a"], [2, "b"]]}
    assert encode({"k": 1}) == {"k": 1}


def test_huge_int_survives_the_decimal_digit_limit() -> None:
    big = 7**20000  # ~17000 digits: json.dumps(int) would raise ValueError
    text = dumps(big)
    assert "$int" in text
    assert loads(text) == big
    assert loads(dumps(-big)) == -big


def test_non_finite_floats() -> None:
    assert math.isnan(loads(dumps(float("nan"))))
    assert loads(dumps(float("-inf"))) == float("-inf")
    json.loads(dumps(float("inf")))  # stays strict JSON


def test_equal_sets_encode_identically_whatever_the_insertion_order() -> None:
    assert dumps({"b", "a", "c"}) == dumps({"c", "b", "a"})
    assert dumps({1, "x"}) == dumps({"x", 1})  # mixed types still get one order


def test_tuple_tag_and_hashable_positions_decode_to_hashables() -> None:
    assert decode({"$tuple": [1, [2]]}) == (1, [2])
    value = decode({"$set": [[1, 2], {"$set": [3]}]})
    assert value == {(1, 2), frozenset({3})}


def test_self_referencing_value_is_refused_not_looped() -> None:
    xs: list[object] = []
    xs.append(xs)
    with pytest.raises(ValueError):
        encode(xs)


def test_unknown_objects_become_a_repr() -> None:
    class Thing:
        def __repr__(self) -> str:
            return "Thing()"

    assert encode(Thing()) == {"$repr": "Thing()"}


def test_fractions_cross_the_pipe_exactly() -> None:
    from fractions import Fraction

    from verifier.sandbox.values import decode, encode

    assert encode(Fraction(-7, 3)) == {"$fraction": "-7/3"}
    assert decode(encode([Fraction(1, 3), {Fraction(1, 2)}])) == [Fraction(1, 3), {Fraction(1, 2)}]


def test_dataclasses_decode_into_the_classes_given_by_name() -> None:
    """A spec's datatype value crosses as {"$dataclass": ...}; the child rebuilds it from
    the function module's own class of that (constructor) name, nested ones too."""
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class Fork:
        left: object
        val: int

    @dataclasses.dataclass(frozen=True)
    class Tip:
        pass

    sent = encode([Fork(Fork(Tip(), 1), 2)])
    assert decode(sent) == [{"$dataclass": "Fork", "fields": {"left": {"$dataclass": "Fork", "fields": {
        "left": {"$dataclass": "Tip", "fields": {}}, "val": 1}}, "val": 2}}]  # no classes: plain data
    assert decode(sent, {"Fork": Fork, "Tip": Tip}) == [Fork(Fork(Tip(), 1), 2)]
    with pytest.raises(LookupError, match="defines no dataclass Tip"):
        decode(sent, {"Fork": Fork})
