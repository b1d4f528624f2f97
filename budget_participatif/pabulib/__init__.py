"""Parser and writer for Pabulib ``.pb`` participatory-budgeting files.

A ``.pb`` file is a ``;``-separated CSV document with three sections, always in this order::

    META
    key;value
    budget;100000
    vote_type;approval
    ...
    PROJECTS
    project_id;cost;name;...
    1;2500;Benches;...
    VOTES
    voter_id;vote;...
    v1;1,3;...

Fields are quoted the way the ``csv`` module quotes them (a field containing ``;``, ``"`` or a line
break is wrapped in double quotes, inner quotes are doubled).  :func:`parse` accepts a leading
byte-order mark, CRLF/LF/CR line ends, blank lines, case-insensitive section names and decimal
costs written with a point or a comma (``1500.50``, ``1500,50``).  Every problem is reported as a
:class:`PabulibError` naming the 1-based physical line at fault.

:func:`write` produces a file that :func:`parse` reads back to an equal :class:`Election`.

This package is pure Python (standard library only) and does not import Django. It is split by
what each part does: ``model`` (the election, its projects and votes, exact numbers and the error),
``reader`` (:func:`parse`, with every check naming its line) and ``writer`` (:func:`write`).
"""

from .model import Election, Number, PabulibError, Project, Vote, format_number, parse_number
from .reader import parse, parse_file
from .writer import write

__all__ = [
    "Election",
    "Number",
    "PabulibError",
    "Project",
    "Vote",
    "format_number",
    "parse",
    "parse_file",
    "parse_number",
    "write",
]
