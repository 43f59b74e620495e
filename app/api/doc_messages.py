"""Babel extractor for app/api/actions.py: its `_()` strings and every `@action` docstring.

An action's docstring is its English `help_show` text (what CKAN clients read) and the msgid
of its description on the API documentation page, so the page can say it in Indonesian.
babel.cfg names this extractor; `scripts/update_translations` then lists a new action's
docstring as untranslated like any other message.
"""
from __future__ import annotations

import ast
import io
from typing import Any, Iterator

from babel.messages.extract import extract_python


def _is_action(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Name) and target.id == "action"


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, Any, Any, list[str]]]:
    """Yield babel's usual Python messages, then each action's cleaned docstring."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    encoding = options.get("encoding", "utf-8")
    tree = ast.parse(source.decode(encoding) if isinstance(source, bytes) else source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(_is_action(d) for d in node.decorator_list):
            doc = ast.get_docstring(node)  # cleaned as inspect.cleandoc cleans func.__doc__
            if doc:
                yield node.body[0].lineno, None, doc, ["TRANSLATORS: an API action, on the API page"]

