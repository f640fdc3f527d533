"""The documentation is tested: every ```console block in README.md and docs/*.md is a transcript
that is run, and docs/matrix.md is exactly `pvenum --markdown`.

A ```console block is a terminal session: each `$ COMMAND` line is run (by bash, in the order
shown, in one temporary directory per block, so a block may build a file and read it back), and
the lines after it, up to the next `$ ` line, are what it must print (stdout and stderr, as a
terminal shows them, at COLUMNS=120). A line that is only `...` (or `…`) stands for skipped
output: the shown lines around it must appear in that order, each run of consecutive shown lines
consecutively; without `...` the whole output must match. Trailing blanks are ignored (rich pads
table lines). `$EDITOR` is `true`: the edit is the reader's. The block's directory holds
links to the repository's top-level entries, so paths like `tests/data/...` work as in a
checkout. A block whose example needs a prepared directory (a git repository with history, say)
is preceded by a comment that prepares it, visible in the Markdown source and hidden when
rendered:

    <!-- console-setup
    git init -q . && ...
    -->

Its lines run first, in the same directory, and must succeed. Blocks that only illustrate (no output, or commands that need the reader's own
repository) are written as ```sh and not run.

Changing pvenum's output in a way that changes an example fails this test until the example is
updated — that is the point.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pvtest import ROOT, load_script

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ELLIPSIS = {"...", "…"}
WIDTH = "120"
_FENCE = re.compile(r"^(`{3,})(\S*)\s*$")


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    steps: list[Step]
    setup: list[str] = field(default_factory=list)  # from a `<!-- console-setup ... -->` comment

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def console_blocks(path: Path) -> list[Block]:
    """Every ```console block of a Markdown file, as commands and their shown output."""
    blocks: list[Block] = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(1), m.group(2), i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        if info != "console":
            continue
        steps: list[Step] = []
        for text in body:
            if text.startswith("$ "):
                steps.append(Step(text[2:]))
            elif steps:
                steps[-1].expected.append(text)
            elif text.strip():
                raise AssertionError(f"{path.name}:{start + 1}: console block output before any `$ ` command")
        blocks.append(Block(path, start + 1, steps, _setup_before(lines, start)))
    return blocks


def _setup_before(lines: list[str], fence: int) -> list[str]:
    """The commands of a `<!-- console-setup ... -->` comment right before a fence (blank lines
    between them allowed)."""
    j = fence - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0 or lines[j].strip() != "-->":
        return []
    end = j
    while j >= 0 and not lines[j].startswith("<!--"):
        j -= 1
    if j < 0 or lines[j].strip() != "<!-- console-setup":
        return []
    return [ln for ln in lines[j + 1:end] if ln.strip()]


def mismatch(expected: list[str], actual: list[str]) -> str | None:
    """None when ``actual`` shows ``expected`` (``...`` lines skip output), else why not."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]
    while expected and not expected[-1]:
        expected.pop()
    while actual and not actual[-1]:
        actual.pop()
    segments: list[list[str]] = [[]]
    for e in expected:
        if e.strip() in ELLIPSIS:
            segments.append([])
        else:
            segments[-1].append(e)
    if len(segments) == 1:
        if expected == actual:
            return None
        for n, (e, a) in enumerate(zip(expected, actual)):
            if e != a:
                return f"line {n + 1} differs:\n  shown: {e!r}\n  real:  {a!r}"
        return f"shown {len(expected)} lines, real output has {len(actual)}"
    pos = 0
    last = len(segments) - 1
    for k, seg in enumerate(segments):
        if not seg:
            continue
        if k == 0:  # before the first `...`: the output starts with it
            found = 0 if actual[:len(seg)] == seg else -1
        elif k == last:  # after the last `...`: the output ends with it
            found = len(actual) - len(seg) if len(actual) - len(seg) >= pos and actual[len(actual) - len(seg):] == seg else -1
        else:
            found = next((j for j in range(pos, len(actual) - len(seg) + 1) if actual[j:j + len(seg)] == seg), -1)
        if found < 0:
            near = next((j for j in range(pos, len(actual)) if actual[j] == seg[0]), None)
            where = "" if near is None else f" (its first line is at real line {near + 1})"
            return f"shown lines not found in order{where}:\n  " + "\n  ".join(seg)
        pos = found + len(seg)
    return None


def _programs(command: str) -> list[str]:
    """The programs a shell line runs (the first word of each pipeline stage), for the skip check."""
    lex = shlex.shlex(command, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    lex.commenters = "#"
    out, expect_program = [], True
    try:
        tokens = list(lex)
    except ValueError:
        return out
    for tok in tokens:
        if tok in ("|", "||", "&&", ";", "&", "(", ")"):
            expect_program = True
        elif tok in (">", ">>", "<", "2>", "2>&1"):
            expect_program = False
        elif expect_program:
            if "=" in tok and not tok.startswith("-"):  # VAR=value before the program
                continue
            if not tok.startswith("$"):
                out.append(tok)
            expect_program = False
    return out


def _workdir(tmp_path: Path) -> Path:
    for entry in ROOT.iterdir():
        if entry.name not in {".git", ".venv", ".cache"}:
            (tmp_path / entry.name).symlink_to(entry)
    return tmp_path


def run_block(block: Block, tmp_path: Path) -> list[str]:
    """Run every step; return the problems found (empty: the block is what the tool prints)."""
    cwd = _workdir(tmp_path)
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": WIDTH,
           "EDITOR": "true", "LC_ALL": "C.UTF-8"}
    for var in ("NO_COLOR", "FORCE_COLOR", "TERM", "PVENUM_SLOW_SCALE"):
        env.pop(var, None)
    if block.setup:
        prep = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", "\n".join(block.setup)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300, start_new_session=True)
        assert prep.returncode == 0, f"{block.id}: console-setup failed:\n{prep.stdout}{prep.stderr}"
    problems = []
    for step in block.steps:
        # A new session: a timeout kills the whole pipeline, not just bash.
        proc = subprocess.run(["bash", "-o", "pipefail", "-c", "{\n" + step.command + "\n} 2>&1"], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, start_new_session=True)
        why = mismatch(step.expected, proc.stdout.decode(errors="replace").splitlines())
        if why:
            problems.append(f"$ {step.command}\n{why}")
    return problems


BLOCKS = [b for doc in DOCS for b in console_blocks(doc)]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_console_block_is_real_output(block, tmp_path):
    missing = sorted({p for s in [*block.steps, *map(Step, block.setup)] for p in _programs(s.command)
                      if p != "pvenum" and shutil.which(p) is None})
    if missing:
        pytest.skip(f"{block.id} runs {', '.join(missing)}, not installed")
    problems = run_block(block, tmp_path)
    assert not problems, f"{block.id}: the example is not what the tool prints now\n\n" + "\n\n".join(problems)


def test_readme_has_console_examples():
    # The README's examples are the ones a user copies; they must stay under test.
    readme = [b for b in BLOCKS if b.path.name == "README.md"]
    commands = [s.command for b in readme for s in b.steps]
    assert len(commands) >= 8, commands
    for sub in ("resolve", "inspect", "validate", "diff", "compare-encodings", "build", "main"):
        assert any(c.startswith(f"pvenum {sub}") for c in commands), sub


# -- the matcher itself: a changed, missing or reordered line fails ---------------------------------

REAL = ["header", "a", "b", "c", "d", "footer"]


@pytest.mark.parametrize("shown", [
    REAL,
    ["header", "...", "footer"],
    ["header", "a", "...", "c", "...", "footer"],
    ["...", "b", "c", "..."],
    ["...", "d", "footer"],
    ["header   ", "a", "b", "c", "d", "footer", ""],
])
def test_matcher_accepts_faithful_excerpts(shown):
    assert mismatch(shown, REAL) is None


@pytest.mark.parametrize("shown", [
    ["header", "a", "b", "c", "d"],                # a line missing at the end, no `...`
    ["header", "a", "B", "c", "d", "footer"],      # one line changed
    ["header", "...", "c", "a", "..."],            # a run of lines out of order
    ["...", "c", "...", "a", "..."],               # separate excerpts out of order
    ["a", "...", "footer"],                        # does not start where the output starts
    ["header", "...", "d"],                        # does not end where the output ends
    ["header", "...", "a", "c", "..."],            # consecutive shown lines not consecutive
])
def test_matcher_rejects_unfaithful_excerpts(shown):
    assert mismatch(shown, REAL) is not None


# -- docs/matrix.md is the Markdown matrix -----------------------------------------------------------


def test_matrix_doc_is_pvenum_markdown(cli):
    real = cli("--markdown")
    assert real.returncode == 0, real.stderr.decode()
    doc = (ROOT / "docs" / "matrix.md").read_text()
    assert doc == real.stdout.decode(), "docs/matrix.md is stale: run `make docs`"


def test_make_docs_regenerates_the_matrix():
    make = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^docs:.*\n((?:\t.*\n)+)", make, re.M)
    assert recipe and "--markdown" in recipe.group(1) and "docs/matrix.md" in recipe.group(1)


# -- the README's textconv recipe works in a real repository -------------------------------------


def _readme_textconv_recipe() -> tuple[list[str], str]:
    text = (ROOT / "README.md").read_text()
    m = re.search(r"^```\w*\n(# \.gitattributes\n(?:.*\n)*?)```", text, re.M)
    assert m, "README: no .gitattributes recipe block"
    attributes = [ln for ln in m.group(1).splitlines() if ln.strip() and "diff=" in ln]
    config = re.search(r"git config diff\.pvenum\.textconv \"([^\"]+)\"", m.group(1))
    assert config, "README: the recipe sets no diff.pvenum.textconv"
    return attributes, config.group(1)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_readme_textconv_recipe_survives_git_log_on_foreign_dat(tmp_path):
    """A `.dat` that is not an ACPI table (any project has some) must not break `git log -p`:
    with the recipe as the README gives it, git shows it and the real ACPI table decoded."""
    attributes, textconv = _readme_textconv_recipe()
    repo = tmp_path / "repo"
    repo.mkdir()
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(tmp_path), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)

    assert git("init", "-q").returncode == 0
    git("config", "diff.pvenum.textconv", textconv)
    (repo / ".gitattributes").write_text("\n".join(attributes) + "\n")
    (repo / "samples.dat").write_bytes(b"temperature;pressure\n21.5;1013\n")
    facp = ROOT / "tests" / "data" / "acpi" / "firecracker" / "facp.dat"  # a real FADT, 276 bytes
    (repo / "FACP.dat").write_bytes(facp.read_bytes())
    assert git("add", ".").returncode == 0
    assert git("commit", "-qm", "first").returncode == 0
    (repo / "samples.dat").write_bytes(b"temperature;pressure\n22.0;1009\n")
    assert git("commit", "-qam", "second").returncode == 0
    log = git("log", "-p")
    assert log.returncode == 0, log.stderr
    assert "+22.0;1009" in log.stdout and "-21.5;1013" in log.stdout
    # the real table is decoded (its OEM id and length as fields), not dumped
    assert '"FIRECK"' in log.stdout and re.search(r"^\+FACP\.\w+ = (276|0x0*114)$", log.stdout, re.M | re.I), log.stdout


# -- published figures come from the files the make targets write ------------------------------------


def test_readme_fuzz_figures_are_those_of_fuzz_results():
    results = (ROOT / "fuzz" / "RESULTS.md").read_text()
    readme = (ROOT / "README.md").read_text()
    total = re.search(r"^- command: `make fuzz FUZZ_TOTAL=(\d+)`", results, re.M)
    execs = re.search(r"^- executions: ([\d,]+) over (\d+) targets", results, re.M)
    assert total and execs, "fuzz/RESULTS.md is not in the form fuzz/run.py writes"
    rows = re.findall(r"^\| [\w-]+ \| ([\d,]+) \|", results, re.M)
    assert len(rows) == int(execs.group(2)) and sum(int(r.replace(",", "")) for r in rows) == int(execs.group(1).replace(",", ""))
    assert f"`make fuzz FUZZ_TOTAL={total.group(1)}`" in readme
    assert f"{execs.group(1)}\nexecutions over {execs.group(2)} targets" in readme or \
        f"{execs.group(1)} executions over {execs.group(2)} targets" in readme.replace("\n", " ")
    assert "no finding" not in readme or "- findings: none" in results
    # The shares the README quotes: the other targets' (smallest or largest) and the audit's.
    shares = dict(re.findall(r"^\| ([\w-]+) \| ([\d,]+) \|", results, re.M))
    audit = shares.pop("audit")
    counts = sorted({int(v.replace(",", "")) for v in shares.values()})
    small, big = f"{counts[0]:,}", f"{counts[-1]:,}"
    flat = readme.replace("\n", " ")
    assert f"({small} or {big} each" in flat and f"a fifth share, {audit})" in flat


def _bench_run_module():
    """bench/run.py (pvtest.load_script: bench/ is not left on sys.path)."""
    return load_script(ROOT / "bench" / "run.py", "pvenum_bench_run")


def test_readme_bench_figures_are_those_of_bench_results():
    # `make bench` writes bench/RESULTS.md and the README's two quotes of it; both quotes must be
    # exactly what bench/run.py makes of that file (a hand edit, or a stale README, fails here).
    bench = _bench_run_module()
    results = (ROOT / "bench" / "RESULTS.md").read_text()
    readme = (ROOT / "README.md").read_text()
    assert f"{bench.BEGIN}\n{bench.readme_results(results)}\n{bench.END}" in readme
    assert f"{bench.FLEET_BEGIN}\n{bench.readme_fleet(results)}\n{bench.FLEET_END}" in readme
    rows = [line for line in results.splitlines() if line.startswith("| ") and not line.startswith("| group")]
    targets = [r for r in rows if r.split("|")[8].strip() in ("met", "NOT MET")]
    met = sum(1 for r in targets if r.split("|")[8].strip() == "met")
    assert f"Targets met: {met} of {len(targets)}." in results


def test_readme_crosscheck_figures_are_those_of_crosscheck_results():
    results = (ROOT / "crosscheck" / "RESULTS.md").read_text()
    readme = (ROOT / "README.md").read_text().replace("\n", " ")
    checked = re.findall(r"^\| (systemd|virt-what) (\S+) \|", results, re.M)
    not_here = results.split("## Not reproduced here", 1)[1]
    assert "crosscheck/RESULTS.md" in readme
    for package, version in checked:
        assert f"{package} {version.split('-')[0]}" in readme, (package, version)
    # a source checked through its binary package is quoted as such, with its figures
    for package, version, checked_n, disagree in re.findall(
            r"^\| (\S+) (\S+(?: \(arm64\))?) \| [^|]+ \| (\d+) \| \d+ \| \d+ \| (\d+) \| \d+ \| Debian binary package", results, re.M):
        assert f"{package} {version}, the binary package: {int(checked_n):,} platforms, {disagree} disagreements" in readme
    # every source the models claim but the run could not obtain is "not reproduced here" in the README
    for claimed in ("virt-what", "systemd 262"):
        if claimed.split()[0] in not_here and (claimed == "virt-what" or "262" in not_here):
            at = readme.index(claimed if claimed != "virt-what" else "| `virt-what` |")
            assert "not reproduced here" in readme[at:at + 600], claimed


def test_readme_sizes_the_saved_dsdt_input_as_it_is():
    # "a 96-byte DSDT (a 97-byte input: its first byte picks the file)": the saved timeout input
    # in tests/data/fuzz-regressions/audit/, less the byte that picks the file.
    readme = (ROOT / "README.md").read_text()
    dsdt, given = map(int, re.search(r"a (\d+)-byte DSDT \(a (\d+)-byte input", readme).groups())
    (saved,) = (ROOT / "tests" / "data" / "fuzz-regressions" / "audit").glob("timeout-*")
    assert (dsdt, given) == (saved.stat().st_size - 1, saved.stat().st_size)
