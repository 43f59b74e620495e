"""Parse CKAN's Solr-style `q` and `fq` (as ckanapi and the harvesters send them) into terms.

Supported: `field:value`, `field:"a value"`, `field:(a OR b)`, `field:[low TO high]` (and
`{...}` exclusive), `-field:value` / `NOT field:value`, `A OR B`, `AND`, parentheses, `*:*`.
Bare words are free text (searched by the index). The result is an AND of OR-groups of
terms, which is what the search service runs against the database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from ..services.catalog import Term
from .envelope import SearchQueryError

# CKAN's field names -> ours (the service's vocabulary).
FIELDS = {
    "organization": "organization", "owner_org": "organization",
    "groups": "groups", "group": "groups",
    "tags": "tags", "tag": "tags",
    "res_format": "res_format", "format": "res_format",
    "license_id": "license_id", "license": "license_id",
    "name": "name", "id": "id",
    "metadata_modified": "metadata_modified", "metadata_created": "metadata_created",
    "capacity": "capacity", "dataset_type": "dataset_type", "type": "dataset_type",
    "state": "state", "year": "year", "tahun": "year", "level": "level",
}
DATE_FIELDS = {"metadata_modified", "metadata_created"}

# What one call may ask, so that one request cannot tie up a worker (Solr has its own such limits:
# maxBooleanClauses 1024). Over a limit is a clear SearchQueryError (409), never a slow answer or a 500.
MAX_CHARS = 10_000  # one q or fq string
MAX_DEPTH = 20  # nested parentheses and NOTs
MAX_TERMS = 1024  # field values over every q and fq of one call
MAX_FQS = 100  # fq_list items

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<matchall>\*:\*)
    | (?P<lp>\() | (?P<rp>\))
    | (?P<op>AND|OR|NOT|&&|\|\|)(?=[\s(]|$)
    | (?P<negp>[-!])(?=\()
    | (?P<sign>[+-])?(?P<field>[A-Za-z_][\w.]*):(?:
          "(?P<qv>(?:[^"\\]|\\.)*)"
        | (?P<ropen>[\[{])\s*(?P<lo>[^\s\]}]+)\s+TO\s+(?P<hi>[^\s\]}]+)\s*(?P<rclose>[\]}])
        | \((?P<gv>[^)]*)\)
        | (?P<bv>(?:[^\s()"\\]|\\.)+)
      )
    | (?P<psign>[+-])?"(?P<phrase>(?:[^"\\]|\\.)*)"
    | (?P<word>[^\s()]+)
    )""", re.X)


@dataclass
class Parsed:
    clauses: list[list[Term]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class UnknownField(SearchQueryError):
    pass


def parse(source: str, *, strict: bool = True) -> Parsed:
    """Parse one q/fq string; raise SearchQueryError on what cannot be run.

    With `strict` off (for `q`), `word:word` with an unknown field is free text.
    """
    if len(source or "") > MAX_CHARS:
        raise SearchQueryError(f"query too long: at most {MAX_CHARS} characters in one q or fq")
    tokens = _tokens(source or "", strict)
    parser = _Parser(tokens)
    node = parser.parse_and()
    if parser.pos != len(tokens):
        raise SearchQueryError("unbalanced parentheses")
    out = Parsed()
    _collect(node, out)
    return out


def _tokens(source: str, strict: bool = True) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    source = source.strip()
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m or m.end() == pos:
            raise SearchQueryError(f"cannot read {source[pos:pos + 30]!r}")
        pos = m.end()
        g = m.groupdict()
        if g["matchall"]:
            out.append(("all", None))
        elif g["lp"]:
            out.append(("lp", None))
        elif g["rp"]:
            out.append(("rp", None))
        elif g["op"]:
            op = {"&&": "AND", "||": "OR"}.get(g["op"], g["op"])
            out.append((op.lower(), None))
        elif g["negp"]:
            out.append(("not", None))
        elif g["field"]:
            try:
                term = _term(g)
            except UnknownField:
                if strict:
                    raise
                out.append(("text", m.group(0).strip().lstrip("+")))
                continue
            if g["sign"] == "-":
                out.append(("not", None))
            out.append(("term", term))
        elif g["phrase"] is not None:
            if g["psign"] == "-":
                raise SearchQueryError("negated free text is not supported")
            out.append(("text", g["phrase"]))
        elif g["word"]:
            word = g["word"]
            if word.startswith("-") and len(word) > 1:
                raise SearchQueryError("negated free text is not supported")
            if word in ("*", "+"):
                continue
            out.append(("text", word.lstrip("+")))
        if pos < len(source) and not source[pos].isspace() and source[pos] != ")" and out[-1][0] not in ("lp", "not"):
            raise SearchQueryError(f"unexpected {source[pos:pos + 30]!r}")
    return out


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _term(g: dict) -> Term:
    name = g["field"]
    fname = FIELDS.get(name) or FIELDS.get(name.lower())
    if fname is None:
        raise UnknownField(f"unknown field {name!r}")
    if g["ropen"]:
        low = _bound(fname, g["lo"], low=True, inclusive=g["ropen"] == "[")
        high = _bound(fname, g["hi"], low=False, inclusive=g["rclose"] == "]")
        return Term(fname, low=low, high=high, is_range=True)
    if g["gv"] is not None:
        parts = [p for p in re.split(r"\s+", g["gv"].strip()) if p]
        values = []
        expect_value = True
        for p in parts:
            if p.upper() == "OR":
                expect_value = True
                continue
            if not expect_value or p.upper() in ("AND", "NOT"):
                raise SearchQueryError(f"only OR is supported inside {name}:( )")
            values.append(_unescape(p.strip('"')))
            expect_value = False
        if not values:
            raise SearchQueryError(f"empty value for {name}")
        return Term(fname, values=tuple(values))
    value = _unescape(g["qv"] if g["qv"] is not None else g["bv"])
    if fname in DATE_FIELDS:
        moment = _date(value)
        return Term(fname, low=moment, high=moment, is_range=True)
    if fname == "year" and not value.isdigit():
        raise SearchQueryError(f"not a year: {value!r}")
    return Term(fname, values=(value,))


def _bound(fname: str, text: str, *, low: bool, inclusive: bool):
    if text == "*":
        return None
    if fname in DATE_FIELDS:
        moment = _date(text)
        if not inclusive:
            moment = moment + timedelta(microseconds=1 if low else -1)
        return moment
    if fname == "year":
        if not text.isdigit():
            raise SearchQueryError(f"not a year: {text!r}")
        return int(text) + (0 if inclusive else (1 if low else -1))
    raise SearchQueryError(f"ranges are not supported on {fname}")


_DATE_MATH = re.compile(r"^NOW(?:([+-])(\d+)(DAYS?|HOURS?|MINUTES?))?(?:/DAY)?$")


def _date(text: str) -> datetime:
    """Solr dates: ISO 8601 with Z (microseconds optional), a bare date, or NOW[-nDAYS]."""
    m = _DATE_MATH.match(text)
    if m:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        if m.group(1):
            n = int(m.group(2))
            unit = m.group(3).rstrip("S").lower() + "s"
            delta = timedelta(**{unit: n})
            now = now + delta if m.group(1) == "+" else now - delta
        if text.endswith("/DAY"):
            now = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return now
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SearchQueryError(f"not a date: {text!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchQueryError(f"query nested too deeply: at most {MAX_DEPTH} levels of parentheses and NOT")

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse_and(self):
        items = []
        while self.peek() not in (None, "rp"):
            if self.peek() == "and":
                self.pos += 1
                continue
            if self.peek() == "or":
                raise SearchQueryError("OR without a left side")
            items.append(self.parse_or())
        return ("and", items)

    def parse_or(self):
        items = [self.parse_unary()]
        while self.peek() == "or":
            self.pos += 1
            if self.peek() in (None, "rp", "and", "or"):
                raise SearchQueryError("OR without a right side")
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else ("or", items)

    def parse_unary(self):
        kind = self.peek()
        if kind is None:
            raise SearchQueryError("incomplete query")
        if kind == "not":
            self.pos += 1
            self._deeper()
            node = ("not", self.parse_unary())
            self.depth -= 1
            return node
        if kind == "lp":
            self.pos += 1
            self._deeper()
            node = self.parse_and()
            if self.peek() != "rp":
                raise SearchQueryError("unbalanced parentheses")
            self.pos += 1
            self.depth -= 1
            return node
        if kind == "rp":
            raise SearchQueryError("unbalanced parentheses")
        self.pos += 1
        value = self.tokens[self.pos - 1][1]
        return (kind, value)


def check_size(clauses: list[list[Term]]) -> None:
    """Refuse a call whose q and fq together name more than MAX_TERMS values."""
    count = sum(max(1, len(term.values)) for clause in clauses for term in clause)
    if count > MAX_TERMS:
        raise SearchQueryError(f"too many conditions: at most {MAX_TERMS} values over q, fq and fq_list")


def _collect(node, out: Parsed) -> None:
    """Flatten the tree into AND-ed clauses of OR-ed terms, and free text."""
    kind = node[0]
    if kind == "and":
        for child in node[1]:
            _collect(child, out)
    elif kind == "all":
        return
    elif kind == "text":
        out.text.append(str(node[1]))
    else:
        out.clauses.extend(_clauses(node))


def _clauses(node) -> list[list[Term]]:
    kind = node[0]
    if kind == "term":
        return [[node[1]]]
    if kind == "all":
        return []
    if kind == "text":
        raise SearchQueryError("free text can only be combined with AND")
    if kind == "and":
        out = []
        for child in node[1]:
            out.extend(_clauses(child))
        return out
    if kind == "or":
        group: list[Term] = []
        for child in node[1]:
            sub = _clauses(child)
            if len(sub) != 1:
                raise SearchQueryError("OR of combined conditions is not supported")
            group.extend(sub[0])
        return [group]
    if kind == "not":
        inner = node[1]
        if inner[0] == "not":
            return _clauses(inner[1])
        sub = _clauses(inner)
        if len(sub) == 1:  # NOT (a OR b) = NOT a AND NOT b
            return [[replace(t, negate=not t.negate)] for t in sub[0]]
        if all(len(c) == 1 for c in sub) and len(sub) > 1:
            # NOT (a AND b) = NOT a OR NOT b
            return [[replace(c[0], negate=not c[0].negate) for c in sub]]
        raise SearchQueryError("this negation is not supported")
    raise SearchQueryError("unsupported query")
