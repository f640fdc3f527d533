"""Cross-check pvenum's guest models against the guests' own code.

Debian's source packages of systemd and virt-what are fetched with apt through a private
sources list (the machine's apt state is untouched), their CPUID/MSR detectors are compiled
unchanged against a shim of ours that answers CPUID and /dev/cpu/0/msr from a pvenum platform,
and the real answers are compared with the ``systemd`` and ``virt-what`` models on every
platform pvenum knows plus thousands of generated ones. Nothing fetched is committed: it lives
in a temporary directory or the gitignored cache ``.cache/crosscheck``.

Entry points: ``python crosscheck/run.py`` (``make crosscheck``) and
tests/crosscheck/test_crosscheck.py. docs/crosscheck.md explains the method and the figures.
"""
