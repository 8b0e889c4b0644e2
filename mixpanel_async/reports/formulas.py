"""Formula expressions: the grammar Mixpanel's query server accepts (letters, numbers,
`+ - * / ^` and parentheses; only an atom follows `^`), the letters that name operands
(A..Z, then BA, BB, ...) and the rules a formula with its own operands must pass."""

from __future__ import annotations

import re
from typing import NamedTuple

from mixpanel_async.reports.arguments import refuse

_TOKEN = re.compile(
    r"[ \t]*(?:(?P<num>(?:[0-9](?:_?[0-9])*(?:\.[0-9](?:_?[0-9])*)?|\.[0-9](?:_?[0-9])*)"
    r"(?:[eE][+-]?[0-9](?:_?[0-9])*)?)"
    r"|(?P<var>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/^()]))"
)
_BASE = 26


class Parsed(NamedTuple):
    """What the rules need from a well-formed expression: its variable names (each once, in
    order of first use) and its number literals (as written)."""

    variables: tuple[str, ...]
    numbers: tuple[str, ...]


def parse(expression: str) -> Parsed | str:
    """`expression` read by the server's grammar, or why it does not fit it (a string)."""
    expect_operand, after_caret, depth, at = True, False, 0, 0
    variables: list[str] = []
    numbers: list[str] = []
    text = expression.rstrip(" \t")
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            return f"unexpected character {text[at]!r} at position {at}"
        token, at = match.group().strip(" \t"), match.end()
        if match.group("op") is None:  # a number or a name
            if not expect_operand:
                return f"unexpected {token!r}"
            expect_operand, after_caret = False, False
            if match.group("var") is not None:
                if token not in variables:
                    variables.append(token)
            else:
                numbers.append(token)
        elif expect_operand:
            if token == "(":
                depth += 1
                after_caret = False
            elif token != "-" or after_caret:
                return f"unexpected {token!r}"
        elif token == ")" and depth:
            depth -= 1
        elif token in "+-*/^":
            expect_operand, after_caret = True, token == "^"
        else:
            return f"unexpected {token!r}"
    if expect_operand or depth:
        return "is incomplete"
    return Parsed(tuple(variables), tuple(numbers))


def syntax_problem(expression: str) -> str | None:
    """Why `expression` is not a formula (None when it is one)."""
    found = parse(expression)
    return found if isinstance(found, str) else None


def letters_for(index: int) -> str:
    """The letters that name operand `index` (0 is A, 25 is Z, 26 is BA)."""
    letters = ""
    while True:
        index, digit = divmod(index, _BASE)
        letters = chr(ord("A") + digit) + letters
        if index == 0:
            return letters


def index_of(letters: str) -> int | None:
    """The operand that `letters` names, or None when no operand is ever named so (a
    lowercase letter, a leading A on several letters)."""
    if not letters or any(not "A" <= c <= "Z" for c in letters):
        return None
    if len(letters) > 1 and letters[0] == "A":
        return None
    index = 0
    for char in letters:
        index = index * _BASE + ord(char) - ord("A")
    return index


def check_operand_formula(expression: str, count: int) -> None:
    """A formula over its own `count` operands: well-formed (FM4), no number with an
    uppercase E (FM5), every letter naming an operand (FM2) and at least one letter (V16)."""
    found = parse(expression)
    if isinstance(found, str):
        raise refuse(f"formula {expression!r} {found}", "expression", "FM4_SYNTAX")
    for literal in found.numbers:
        if "E" in literal:
            raise refuse(
                f"formula {expression!r}: write {literal!r} with a lowercase e (the server "
                "renames uppercase letters of a formula with operands)",
                "expression",
                "FM5_UPPER_E",
            )
    unknown = [v for v in found.variables if (i := index_of(v)) is None or i >= count]
    if unknown:
        last = f"A..{letters_for(count - 1)}" if count > 1 else "A" if count else "none"
        raise refuse(
            f"formula {expression!r} names {unknown}; its {count} operands are {last}",
            "expression",
            "FM2_UNKNOWN_LETTER",
        )
    if not found.variables:
        raise refuse(
            f"formula {expression!r} names no operand (A, B, ...)",
            "expression",
            "V16_FORMULA_SYNTAX",
        )
