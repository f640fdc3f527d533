"""Text kept inside a Markdown table cell (GitHub, GitLab): the diff report's and the matrix's."""

from __future__ import annotations

_MD_SPECIAL = set("\\`*_[]<>|#~")


def md_text(text: str) -> str:
    """Plain text safe inside a GitHub/GitLab table cell."""
    text = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def md_code(text: str) -> str:
    """A code span safe inside a table cell: pipes escaped, fence longer than any backtick run."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"
